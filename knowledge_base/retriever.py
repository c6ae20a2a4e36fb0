"""The hybrid retriever: FAISS dense + BM25 lexical candidates, filtered, fused by reciprocal rank.

Rows: every item ever added gets a row; a changed item gets a new row and its old row is tombstoned,
so updates never re-embed or re-analyse the items that did not change. `updated()` returns a *new*
retriever, so a caller can swap its reference atomically while searches keep using the old one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

import numpy as np

from knowledge_base.analysis import dense_texts, detect_language, item_languages, lexical_text
from knowledge_base.config import KnowledgeBaseConfig
from knowledge_base.dense import DenseIndex
from knowledge_base.embedder import Embedder
from knowledge_base.errors import KnowledgeBaseError, KnowledgeBaseInputError
from knowledge_base.lexical import LexicalIndex
from knowledge_base.types import MODES, FaqAnswer, SearchFilters, SearchResult, UpdateSummary
from store.formats import ITEM_KINDS, RISK_LEVELS, CatalogItem

log = logging.getLogger("advisor.kb.retriever")

FORMAT_VERSION = 1
MAX_K = 1000


def catalog_fingerprint(items: Iterable[CatalogItem]) -> str:
    """sha256 over the items' content, independent of their order."""
    digest = hashlib.sha256()
    for line in sorted(json.dumps(i.to_dict(), sort_keys=True, ensure_ascii=False) for i in items):
        digest.update(line.encode("utf-8"))
    return digest.hexdigest()


@dataclass
class _Columns:
    """Per-row filter attributes as numpy arrays, so a filter is a few vectorised comparisons."""

    kind: np.ndarray  # int8 index into ITEM_KINDS
    category: np.ndarray  # int32 index into categories
    price: np.ndarray  # float64, 0 when absent
    min_age: np.ndarray  # int16, -1 when absent
    max_age: np.ndarray  # int16, -1 when absent
    risk: np.ndarray  # int8, 0 when absent, 1..5 for R1..R5
    has_zh: np.ndarray
    has_en: np.ndarray

    @classmethod
    def empty(cls) -> _Columns:
        return cls(*(np.zeros(0, dtype=t) for t in (np.int8, np.int32, np.float64, np.int16, np.int16,
                                                      np.int8, bool, bool)))  # fmt: skip

    def extend(self, items: Sequence[CatalogItem], categories: dict[str, int]) -> _Columns:
        langs = [item_languages(i) for i in items]
        new = {
            "kind": np.asarray([ITEM_KINDS.index(i.kind) for i in items], dtype=np.int8),
            "category": np.asarray([categories.setdefault(i.category.lower(), len(categories)) for i in items],
                                   dtype=np.int32),
            "price": np.asarray([i.price or 0.0 for i in items], dtype=np.float64),
            "min_age": np.asarray([-1 if i.min_age is None else i.min_age for i in items], dtype=np.int16),
            "max_age": np.asarray([-1 if i.max_age is None else i.max_age for i in items], dtype=np.int16),
            "risk": np.asarray([RISK_LEVELS.index(i.risk_level) + 1 if i.risk_level else 0 for i in items],
                               dtype=np.int8),
            "has_zh": np.asarray(["zh" in lang for lang in langs], dtype=bool),
            "has_en": np.asarray(["en" in lang for lang in langs], dtype=bool),
        }  # fmt: skip
        return _Columns(**{k: np.concatenate([getattr(self, k), v]) for k, v in new.items()})

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


class HybridRetriever:
    """Build with `build(items)`, query with `search`, `answer_faq`; persist with `knowledge_base.storage`."""

    def __init__(self, config: KnowledgeBaseConfig, embedder: Embedder) -> None:
        self.config = config
        self.embedder = embedder
        self.items_: list[CatalogItem | None] | None = None
        self.row_of_: dict[str, int] = {}
        self.alive_ = np.zeros(0, dtype=bool)
        self.categories_: dict[str, int] = {}
        self.columns_ = _Columns.empty()
        self.lexical_ = LexicalIndex(k1=config.bm25_k1, b=config.bm25_b)
        self.dense_ = DenseIndex(embedder.dim, exact_max_items=config.exact_index_max_items, nprobe=config.ivf_nprobe)

    # ------------------------------------------------------------------------------------------
    # Building and updating

    def build(self, items: Sequence[CatalogItem], *, progress: bool = False) -> HybridRetriever:
        ids = [i.item_id for i in items]
        if len(set(ids)) != len(ids):
            raise KnowledgeBaseInputError("duplicate item_id in the catalog; ids must be unique")
        self.items_ = []
        self._append(items, progress=progress)
        return self

    def _append(self, items: Sequence[CatalogItem], *, progress: bool = False) -> None:
        assert self.items_ is not None
        if not items:
            return
        start = len(self.items_)
        texts: list[str] = []
        vec_rows: list[int] = []
        for offset, item in enumerate(items):
            for text in dense_texts(item).values():
                texts.append(text)
                vec_rows.append(start + offset)
        vectors = self.embedder.encode(texts, progress=progress) if texts else np.zeros((0, self.embedder.dim))
        self.dense_.add(np.asarray(vectors, dtype=np.float32), np.asarray(vec_rows, dtype=np.int64))
        self.lexical_.add([lexical_text(i) for i in items])
        self.columns_ = self.columns_.extend(items, self.categories_)
        self.items_.extend(items)
        self.alive_ = np.concatenate([self.alive_, np.ones(len(items), dtype=bool)])
        for offset, item in enumerate(items):
            self.row_of_[item.item_id] = start + offset

    def _remove(self, rows: Sequence[int]) -> None:
        assert self.items_ is not None
        rows_arr = np.asarray(rows, dtype=np.int64)
        if rows_arr.size == 0:
            return
        self.dense_.remove_rows(rows_arr)
        self.lexical_.remove(rows)
        self.alive_[rows_arr] = False
        for row in rows:
            item = self.items_[row]
            if item is not None:
                self.row_of_.pop(item.item_id, None)
            self.items_[row] = None

    def updated(
        self, upserts: Sequence[CatalogItem] = (), deletes: Sequence[str] = ()
    ) -> tuple[HybridRetriever, UpdateSummary]:
        """A new retriever with items added/changed/deleted; only those items are embedded and analysed.

        Deleting an unknown id raises `KnowledgeBaseInputError` (nothing is changed)."""
        self._require_built()
        unknown = [i for i in deletes if i not in self.row_of_]
        if unknown:
            raise KnowledgeBaseInputError(f"cannot delete unknown item id(s): {', '.join(unknown[:5])}")
        new = self._clone()
        assert new.items_ is not None
        added = [i for i in upserts if i.item_id not in new.row_of_]
        changed = [i for i in upserts if i.item_id in new.row_of_ and new.items_[new.row_of_[i.item_id]] != i]
        unchanged = len(upserts) - len(added) - len(changed)
        stale = [new.row_of_[i.item_id] for i in changed] + [new.row_of_[i] for i in deletes]
        new._remove(stale)
        new._append([*added, *changed])
        return new, UpdateSummary(added=len(added), changed=len(changed), deleted=len(deletes), unchanged=unchanged)

    def _clone(self) -> HybridRetriever:
        import faiss

        self._require_built()
        assert self.items_ is not None
        new = HybridRetriever(self.config, self.embedder)
        new.items_ = list(self.items_)
        new.row_of_ = dict(self.row_of_)
        new.alive_ = self.alive_.copy()
        new.categories_ = dict(self.categories_)
        new.columns_ = _Columns(**{k: v.copy() for k, v in self.columns_.to_arrays().items()})
        lex = self.lexical_
        new.lexical_.vocab_, new.lexical_.tf_ = dict(lex.vocab_), lex.tf_.copy()
        new.lexical_.dl_, new.lexical_.df_, new.lexical_.alive_ = lex.dl_.copy(), lex.df_.copy(), lex.alive_.copy()
        d = self.dense_
        new.dense_.vectors_ = np.array(d.vectors_)
        new.dense_.vec_row_, new.dense_.alive_ = d.vec_row_.copy(), d.alive_.copy()
        new.dense_.kind_, new.dense_.index_ = d.kind_, faiss.clone_index(d.index_)
        return new

    # ------------------------------------------------------------------------------------------
    # Reading

    def _require_built(self) -> None:
        if self.items_ is None:
            raise KnowledgeBaseError("the retriever has no index; build it or load it first")

    @property
    def n_items(self) -> int:
        return int(self.alive_.sum())

    def items(self) -> list[CatalogItem]:
        self._require_built()
        assert self.items_ is not None
        return [i for i in self.items_ if i is not None]

    def get(self, item_id: str) -> CatalogItem | None:
        row = self.row_of_.get(item_id)
        return None if row is None or self.items_ is None else self.items_[row]

    def fingerprint(self) -> str:
        return catalog_fingerprint(self.items())

    def mask(self, filters: SearchFilters | None) -> np.ndarray | None:
        """Boolean mask over rows of live items passing the filters (None: every live row)."""
        if filters is None or filters.empty:
            return None
        c = self.columns_
        mask = self.alive_.copy()
        if filters.kinds is not None:
            mask &= np.isin(c.kind, [ITEM_KINDS.index(k) for k in filters.kinds])
        if filters.categories is not None:
            codes = [self.categories_[x.lower()] for x in filters.categories if x.lower() in self.categories_]
            mask &= np.isin(c.category, codes)
        if filters.min_price is not None:
            mask &= c.price >= filters.min_price
        if filters.max_price is not None:
            mask &= c.price <= filters.max_price
        if filters.language is not None:
            mask &= c.has_zh if filters.language == "zh" else c.has_en
        if filters.age is not None:
            mask &= (c.min_age < 0) | (c.min_age <= filters.age)
            mask &= (c.max_age < 0) | (c.max_age >= filters.age)
        if filters.exclude_age_limited_products:
            products = np.isin(c.kind, [ITEM_KINDS.index("insurance"), ITEM_KINDS.index("finance")])
            mask &= ~(products & ((c.min_age >= 0) | (c.max_age >= 0)))
        if filters.max_risk_level is not None:
            mask &= c.risk <= RISK_LEVELS.index(filters.max_risk_level) + 1
        for item_id in filters.exclude_ids:
            row = self.row_of_.get(item_id)
            if row is not None:
                mask[row] = False
        return mask

    def _lexical_candidates(self, query: str, n: int, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        rows, scores = self.lexical_.scores(query)
        if mask is not None and rows.size:
            keep = mask[rows]
            rows, scores = rows[keep], scores[keep]
        if rows.size > n:
            top = np.argpartition(-scores, n)[:n]
            rows, scores = rows[top], scores[top]
        order = np.lexsort((rows, -scores))
        return rows[order], scores[order]

    def dense_query(self, query: str) -> tuple[str, float]:
        """(text to embed, the dense side's fusion weight) for this query.

        The weight is scaled by how much of the query the encoder's vocabulary covers; a Chinese query
        the encoder does not cover is replaced by its dictionary gloss (see `knowledge_base.gloss`)."""
        coverage = self.embedder.coverage(query)
        if coverage >= self.config.coverage_floor:
            return query, self.config.dense_weight * coverage
        if self.config.gloss_chinese and detect_language(query) == "zh":
            from knowledge_base.gloss import gloss

            text, share = gloss(query)
            if text.strip():
                return text, self.config.dense_weight * self.config.gloss_weight * share
        return query, 0.0

    def search(
        self,
        query: str,
        *,
        k: int = 10,
        filters: SearchFilters | None = None,
        mode: str = "hybrid",
    ) -> list[SearchResult]:
        """Top-k items for the query among those passing `filters`, fused by weighted RRF."""
        self._require_built()
        assert self.items_ is not None
        query = query.strip()
        if not query:
            raise KnowledgeBaseInputError("the query is empty")
        if not 1 <= k <= MAX_K:
            raise KnowledgeBaseInputError(f"k must be between 1 and {MAX_K}, got {k}")
        if mode not in MODES:
            raise KnowledgeBaseInputError(f"unknown mode '{mode}'; valid modes: {', '.join(MODES)}")
        mask = self.mask(filters)
        n = max(self.config.candidates, 5 * k)
        fused: dict[int, float] = {}
        dense_hits: dict[int, tuple[int, float]] = {}
        lexical_hits: dict[int, tuple[int, float]] = {}
        rrf_k = self.config.rrf_k
        if mode in ("hybrid", "lexical"):
            rows, scores = self._lexical_candidates(query, n, mask)
            for rank, (row, score) in enumerate(zip(rows.tolist(), scores.tolist(), strict=True), start=1):
                lexical_hits[row] = (rank, score)
                fused[row] = fused.get(row, 0.0) + self.config.lexical_weight / (rrf_k + rank)
        dense_text, weight = self.dense_query(query)
        if mode == "hybrid" and weight > 0 and dense_text != query and lexical_hits:
            best = min(lexical_hits, key=lambda r: lexical_hits[r][0])
            weight *= max(0.0, 1.0 - self.config.gloss_damping * self.lexical_.coverage(query, best))
        if mode == "dense" or (mode == "hybrid" and weight > 0):
            vector = self.embedder.encode([dense_text])[0]
            rows, sims = self.dense_.search(vector, n, mask)
            for rank, (row, sim) in enumerate(zip(rows.tolist(), sims.tolist(), strict=True), start=1):
                dense_hits[row] = (rank, sim)
                fused[row] = fused.get(row, 0.0) + (weight if mode == "hybrid" else 1.0) / (rrf_k + rank)
        ranked = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        language = detect_language(query)
        results = []
        for row, score in ranked:
            item = self.items_[row]
            assert item is not None
            d, lx = dense_hits.get(row), lexical_hits.get(row)
            results.append(SearchResult(
                item_id=item.item_id, kind=item.kind, title=display_title(item, language), score=score,
                dense_rank=d[0] if d else None, lexical_rank=lx[0] if lx else None,
                dense_score=d[1] if d else None, lexical_score=lx[1] if lx else None, item=item,
            ))  # fmt: skip
        return results

    def answer_faq(self, question: str, *, kinds: Sequence[str] = ("faq",), k: int = 3) -> FaqAnswer:
        """The best FAQ entry and a 0..1 score: the mean of the query's idf-weighted term coverage by the
        entry and (when the encoder understands the query) their cosine similarity."""
        results = self.search(question, k=k, filters=SearchFilters(kinds=tuple(kinds)))
        language = detect_language(question)
        best: tuple[float, CatalogItem] | None = None
        dense_text, weight = self.dense_query(question.strip())
        vector = self.embedder.encode([dense_text])[0] if weight > 0 else None
        for result in results:
            row = self.row_of_[result.item_id]
            lexical = self.lexical_.coverage(question, row)
            score = lexical if vector is None else 0.5 * (lexical + max(self.dense_.row_similarity(vector, row), 0.0))
            if best is None or score > best[0]:
                best = (score, result.item)
        if best is None:
            return FaqAnswer(item=None, question="", answer="", score=0.0, confident=False)
        score, item = best
        title, answer = display_title(item, language), display_description(item, language)
        return FaqAnswer(item=item, question=title, answer=answer, score=round(float(score), 4),
                         confident=bool(score >= self.config.faq_min_score))  # fmt: skip

    # ------------------------------------------------------------------------------------------
    # Persistence (directories are managed by `knowledge_base.storage`)

    def manifest(self) -> dict[str, Any]:
        from importlib.metadata import version

        return {
            "format_version": FORMAT_VERSION,
            "model": self.embedder.name,
            "dimensions": self.embedder.dim,
            "item_count": self.n_items,
            "rows": len(self.items_ or []),
            "vectors": self.dense_.n_live,
            "dense_index": self.dense_.kind_,
            "catalog_fingerprint": self.fingerprint(),
            "config": self.config.to_dict(),
            "versions": {p: version(p) for p in ("faiss-cpu", "jieba", "PyStemmer", "numpy", "scipy")},
        }

    def save(self, directory: Path) -> None:
        self._require_built()
        assert self.items_ is not None
        directory.mkdir(parents=True, exist_ok=True)
        with (directory / "items.jsonl").open("w", encoding="utf-8") as f:
            for item in self.items_:
                f.write(json.dumps(None if item is None else item.to_dict(), ensure_ascii=False) + "\n")
        # cast: numpy's stub matches unpacked dict[str, ndarray] values against its `allow_pickle: bool` too
        np.savez(directory / "columns.npz", alive=self.alive_, **cast(dict[str, Any], self.columns_.to_arrays()))
        (directory / "categories.json").write_text(json.dumps(self.categories_, ensure_ascii=False), encoding="utf-8")
        self.lexical_.save(directory)
        self.dense_.save(directory)
        (directory / "manifest.json").write_text(json.dumps(self.manifest(), indent=2, ensure_ascii=False) + "\n",
                                                 encoding="utf-8")  # fmt: skip

    @classmethod
    def load(cls, directory: Path, config: KnowledgeBaseConfig, embedder: Embedder) -> HybridRetriever:
        manifest_path = directory / "manifest.json"
        if not manifest_path.is_file():
            raise KnowledgeBaseInputError(f"{directory} is not a knowledge-base index (no manifest.json)")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise KnowledgeBaseError(f"{directory}: index format {manifest.get('format_version')}, "
                                     f"expected {FORMAT_VERSION}; rebuild it with `advisor kb build`")  # fmt: skip
        if int(manifest["dimensions"]) != embedder.dim:
            raise KnowledgeBaseError(
                f"{directory} was built with {manifest['model']} ({manifest['dimensions']} dimensions); "
                f"the configured encoder {embedder.name} has {embedder.dim}"
            )
        new = cls(replace(config, bm25_k1=manifest["config"]["bm25_k1"], bm25_b=manifest["config"]["bm25_b"]),
                  embedder)  # fmt: skip
        items: list[CatalogItem | None] = []
        with (directory / "items.jsonl").open(encoding="utf-8") as f:
            for line in f:
                data = json.loads(line)
                items.append(None if data is None else CatalogItem(**{**data, "tags": tuple(data["tags"])}))
        new.items_ = items
        new.row_of_ = {item.item_id: row for row, item in enumerate(items) if item is not None}
        with np.load(directory / "columns.npz", allow_pickle=False) as z:
            new.alive_ = z["alive"]
            new.columns_ = _Columns(**{k: z[k] for k in _Columns.__dataclass_fields__})
        new.categories_ = json.loads((directory / "categories.json").read_text(encoding="utf-8"))
        new.lexical_ = LexicalIndex.load(directory)
        new.dense_ = DenseIndex.load(
            directory, dim=embedder.dim, kind=manifest["dense_index"],
            exact_max_items=config.exact_index_max_items, nprobe=config.ivf_nprobe,
        )  # fmt: skip
        return new


def display_title(item: CatalogItem, language: str) -> str:
    """The item's title in the query's language when it has one."""
    if language == "en":
        return item.title_en or (item.title if detect_language(item.title) == "en" else item.title)
    return item.title_zh or (item.title if detect_language(item.title) == "zh" else item.title)


def display_description(item: CatalogItem, language: str) -> str:
    if language == "en":
        return item.description_en or item.description
    return item.description_zh or item.description


def ndcg_discount(rank: int) -> float:
    return 1.0 / math.log2(rank + 1)
