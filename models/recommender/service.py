"""The product recommender: collaborative filtering + cold start + profile boosts + suitability + reasons.

`Recommender.fit(interactions, catalog, …)` learns one item space for courses and products together,
so a course purchase informs an insurance suggestion. `recommend(user, kind=…, k=…, language=…)` returns
ranked, *suitable* items (every product passes `models.suitability.check`) with a reason a person
understands, in their language. Artifacts are np.savez arrays + JSON (no pickle) and round-trip exactly.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, cast

import numpy as np
import pandas as pd
import scipy
import scipy.sparse as sp

from models import suitability
from models.errors import ModelInputError, NotFittedError
from models.recommender.cf import ALS, EASE, InteractionMatrix
from models.recommender.profile_rules import GOAL_KEYS, goal_label, implied_goals, item_goals
from store.formats import ITEM_KINDS, CatalogItem

log = logging.getLogger("advisor.recommender")

ARTIFACT_FORMAT = 1
CONFIG_FILE = "config.json"
ARRAYS_FILE = "arrays.npz"
ITEMS_FILE = "items.json"
CONTENT_NEIGHBOURS = 5  # warm items an untouched item borrows its score from


class Embedder(Protocol):
    """Turns texts into vectors (the knowledge base's embedder or a sentence-transformers model)."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class RecommenderConfig:
    """Hyperparameters (from api.settings): the CF algorithm and how the other signals are blended."""

    algorithm: str = "ease"  # ease | als
    l2: float = 500.0  # EASE regularisation (ALS: `als_l2`)
    weighting: str = "binary"  # binary | log | raw applied to the summed interaction weights
    als_factors: int = 64
    als_l2: float = 1.0
    als_alpha: float = 1.0
    als_iterations: int = 15
    content_weight: float = 0.5  # how far a content-similar, never-touched item can rise
    profile_weight: float = 0.3  # boost for an item serving a stated / implied goal
    segment_weight: float = 0.7  # cold start: segment popularity vs global popularity
    ease_max_items: int = 20_000  # above it, ALS is used whatever `algorithm` says

    def __post_init__(self) -> None:
        if self.algorithm not in ("ease", "als"):
            raise ModelInputError(f"unknown recommender algorithm '{self.algorithm}'; valid: ease, als")


@dataclass(frozen=True)
class UserContext:
    """What the recommender knows about the person asking (from the profile and the conversation)."""

    user_id: str | None = None
    age: int | None = None
    family: Mapping[str, Any] = field(default_factory=dict)
    risk_tolerance: str | None = None
    segment: str | None = None
    goals: tuple[str, ...] = ()  # goal keys (profile_rules.GOAL_KEYS) stated in the chat
    history: tuple[str, ...] = ()  # item ids touched since the model was trained (e.g. this session)

    @classmethod
    def from_profile(
        cls, profile: Mapping[str, Any], *, goals: Sequence[str] = (), history: Sequence[str] = ()
    ) -> UserContext:
        """From `store.repository.profile_to_dict` output (unknown fields are ignored)."""
        return cls(
            user_id=profile.get("user_id"),
            age=profile.get("age"),
            family=profile.get("family") or {},
            risk_tolerance=profile.get("risk_tolerance"),
            segment=profile.get("segment"),
            goals=tuple(goals),
            history=tuple(history),
        )


@dataclass(frozen=True)
class Recommendation:
    item_id: str
    kind: str
    title: str
    score: float
    reason: str  # the main reason, in the requested language
    reasons: tuple[str, ...]  # every reason that applies, main first
    source: str  # cf | content | segment | popular | profile
    price: float | None = None
    currency: str = "CNY"
    risk_level: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["reasons"] = list(self.reasons)
        return data


def _lang(language: str | None) -> str:
    return "zh" if (language or "").lower().startswith("zh") else "en"


def _title(item: CatalogItem, language: str) -> str:
    if language == "zh":
        return item.title_zh or item.title
    return item.title_en or item.title


_TOOK = {"course": ("学过", "took"), "insurance": ("投保了", "insured with"), "finance": ("选择了", "chose"),
         "article": ("读过", "read"), "faq": ("看过", "read")}  # fmt: skip
_ALSO = {"course": ("也常学习", "often also take"), "insurance": ("也常投保", "often insure with"),
         "finance": ("也常选择", "often also choose"), "article": ("也常阅读", "often also read"),
         "faq": ("也常查看", "often also read")}  # fmt: skip


def _people_who_took(anchor: CatalogItem, target: CatalogItem, language: str) -> str:
    took_zh, took_en = _TOOK.get(anchor.kind, _TOOK["course"])
    also_zh, also_en = _ALSO.get(target.kind, _ALSO["course"])
    if language == "zh":
        return f"{took_zh}《{_title(anchor, 'zh')}》的用户{also_zh}《{_title(target, 'zh')}》"
    return f"people who {took_en} {_title(anchor, 'en')} {also_en} {_title(target, 'en')}"


def _risk_reason(item: CatalogItem, tolerance: str | None, language: str) -> str | None:
    if not item.is_product:
        return None
    if tolerance in suitability.RISK_TOLERANCES:
        return (
            f"符合您的风险等级 {tolerance}（产品 {item.risk_level}）"
            if language == "zh"
            else (f"fits your risk level {tolerance} (product {item.risk_level})")
        )
    return (
        f"低风险产品（{item.risk_level}）；完成风险测评后可看到更多产品"
        if language == "zh"
        else f"a low-risk product ({item.risk_level}); take the risk questionnaire to see more"
    )


def data_fingerprint(frame: pd.DataFrame) -> str:
    """sha256 over the (user, item, weight) triples, order-independent, for the artifact's config.json."""
    keys = pd.util.hash_pandas_object(frame[["user_id", "item_id", "weight"]], index=False).to_numpy()
    return hashlib.sha256(np.sort(keys).tobytes()).hexdigest()


class Recommender:
    """Estimator: `fit` → `recommend` / `similar_items` → `save` / `load` (exact round trip)."""

    def __init__(self, config: RecommenderConfig | None = None) -> None:
        self.config = config or RecommenderConfig()

    # ------------------------------------------------------------------------------------------ fit
    def fit(
        self,
        interactions: pd.DataFrame,
        catalog: Sequence[CatalogItem],
        *,
        segments: Mapping[str, str | None] | None = None,
        embedder: Embedder | None = None,
    ) -> Recommender:
        """Learns from `user_id,item_id,weight` rows; only catalog items can be recommended.

        `segments` (user id → segment) gives the cold-start segment popularity; `embedder` gives the
        content embeddings through which items nobody has touched yet can still be recommended.
        """
        if not catalog:
            raise ModelInputError("the catalog is empty; load a catalog first (advisor load catalog)")
        items = sorted(catalog, key=lambda i: i.item_id)
        item_ids = [i.item_id for i in items]
        known = interactions[interactions["item_id"].isin(set(item_ids))]
        dropped = len(interactions) - len(known)
        if dropped:
            log.info("ignoring %d interactions with items not in the catalog", dropped)
        if known.empty:
            raise ModelInputError("no interactions with catalog items to train on; load interactions first")
        data = InteractionMatrix.from_frame(known, item_ids=item_ids)
        started = time.perf_counter()
        cfg = self.config
        algorithm = cfg.algorithm if len(item_ids) <= cfg.ease_max_items else "als"
        if algorithm == "ease":
            self.ease_ = EASE(l2=cfg.l2, weighting=cfg.weighting, max_items=cfg.ease_max_items).fit(data.matrix)
        else:
            self.als_ = ALS(factors=cfg.als_factors, l2=cfg.als_l2, alpha=cfg.als_alpha,
                            iterations=cfg.als_iterations, weighting=cfg.weighting).fit(data.matrix)  # fmt: skip
        self.algorithm_ = algorithm
        self.user_ids_ = data.user_ids
        self.item_ids_ = data.item_ids
        self.matrix_ = data.matrix
        self.items_ = items
        self.item_goals_ = [item_goals(i) for i in items]
        self.popularity_ = np.asarray((data.matrix > 0).sum(axis=0)).ravel().astype(np.float32)
        names: list[str] = sorted({s for s in (segments or {}).values() if s})
        seg_pop = np.zeros((len(names), len(item_ids)), dtype=np.float32)
        if names:
            index = {n: k for k, n in enumerate(names)}
            for row, user in enumerate(data.user_ids):
                seg = (segments or {}).get(str(user))
                if seg:
                    start, end = data.matrix.indptr[row], data.matrix.indptr[row + 1]
                    seg_pop[index[seg], data.matrix.indices[start:end]] += 1.0
        self.segment_names_ = np.array(names, dtype=str)
        self.segment_popularity_ = seg_pop
        self.train_seconds_ = time.perf_counter() - started  # CF + popularity; embedding is timed apart
        self.embeddings_: np.ndarray | None = None
        if embedder is not None:
            texts = [f"{i.title_en or i.title}. {i.description_en or i.description}" for i in items]
            emb = np.asarray(embedder.encode(texts), dtype=np.float32)
            norms = np.linalg.norm(emb, axis=1, keepdims=True)
            self.embeddings_ = emb / np.where(norms > 0, norms, 1.0)
        self.fingerprint_ = data_fingerprint(known)
        self.trained_at_ = datetime.now(UTC).isoformat()
        self.n_interactions_ = len(known)
        self._index()
        return self

    def _index(self) -> None:
        self._pos = {item_id: n for n, item_id in enumerate(self.item_ids_)}
        self._user_pos = {str(u): n for n, u in enumerate(self.user_ids_)}
        self._seg_pos = {str(s): n for n, s in enumerate(self.segment_names_)}
        self._kinds = np.array([i.kind for i in self.items_])
        self._levels = np.array([int(i.risk_level[1]) if i.risk_level in suitability.RISK_LEVELS else 0
                                 for i in self.items_], dtype=np.int64)  # fmt: skip
        self._min_ages = np.array([np.nan if i.min_age is None else i.min_age for i in self.items_], dtype=np.float64)
        self._max_ages = np.array([np.nan if i.max_age is None else i.max_age for i in self.items_], dtype=np.float64)
        self._cold = self.popularity_ == 0
        self._goal_matrix = np.array(
            [[key in goals for key in GOAL_KEYS] for goals in self.item_goals_], dtype=np.float64
        ).reshape(len(self.items_), len(GOAL_KEYS))
        self._cold_items = np.zeros(0, dtype=np.int64)
        self._cold_neighbours = np.zeros((0, 0), dtype=np.int64)
        self._cold_sims = np.zeros((0, 0), dtype=np.float64)
        warm = np.flatnonzero(~self._cold)
        if self.embeddings_ is not None and self._cold.any() and warm.size:
            cold = np.flatnonzero(self._cold)
            sims = self.embeddings_[cold] @ self.embeddings_[warm].T
            n = min(CONTENT_NEIGHBOURS, warm.size)
            top = np.argsort(-sims, axis=1, kind="stable")[:, :n]
            self._cold_items = cold
            self._cold_neighbours = warm[top]
            self._cold_sims = np.clip(np.take_along_axis(sims, top, axis=1), 0.0, None).astype(np.float64)

    def _check(self) -> None:
        if not hasattr(self, "item_ids_"):
            raise NotFittedError("the recommender is not trained; run `advisor recommender train` or call fit()")

    # ------------------------------------------------------------------------------------ scoring
    @property
    def items(self) -> list[CatalogItem]:
        self._check()
        return list(self.items_)

    def item(self, item_id: str) -> CatalogItem | None:
        self._check()
        pos = self._pos.get(item_id)
        return None if pos is None else self.items_[pos]

    def _history_row(self, user: UserContext) -> sp.csr_matrix:
        n = len(self.item_ids_)
        row = sp.csr_matrix((1, n), dtype=np.float32)
        if user.user_id is not None and (pos := self._user_pos.get(str(user.user_id))) is not None:
            row = self.matrix_[pos]
        extra = [self._pos[i] for i in user.history if i in self._pos]
        if extra:
            add = sp.csr_matrix(
                (np.ones(len(extra), dtype=np.float32), (np.zeros(len(extra), dtype=np.int64), extra)), shape=(1, n)
            )
            row = (row + add).tocsr()
        return row

    def _cf_scores(self, row: sp.csr_matrix) -> np.ndarray:
        if self.algorithm_ == "ease":
            return cast(np.ndarray, self.ease_.scores(row)[0])
        return cast(np.ndarray, self.als_.scores(row)[0])

    def _anchor(self, row: sp.csr_matrix, target: int) -> int | None:
        """The history item that contributes most to the target's score (for 'people who took X …')."""
        if row.nnz == 0:
            return None
        if self.algorithm_ == "ease":
            share = self.ease_.contributions(row, target)
        else:
            f = self.als_.item_factors_
            norms = np.linalg.norm(f, axis=1) + 1e-9
            share = (f[row.indices] @ f[target]) / (norms[row.indices] * norms[target])
        best = int(np.argmax(share))
        return int(row.indices[best]) if share[best] > 0 else None

    def similar_items(self, item_id: str, *, k: int = 5, kind: str | None = None) -> list[tuple[str, float]]:
        """Items most often taken together with `item_id` (for cross-sell: a course ↔ the insurance it teaches)."""
        self._check()
        pos = self._pos.get(item_id)
        if pos is None:
            raise ModelInputError(f"unknown item '{item_id}'")
        if self.algorithm_ == "ease":
            sims = self.ease_.weights_[pos].astype(np.float64)
        else:
            f = self.als_.item_factors_
            norms = np.linalg.norm(f, axis=1) + 1e-9
            sims = (f @ f[pos]) / (norms * norms[pos])
        sims = sims.copy()
        sims[pos] = -np.inf
        if kind is not None:
            sims[self._kinds != kind] = -np.inf
        order = np.argsort(-sims, kind="stable")[:k]
        return [(str(self.item_ids_[i]), float(sims[i])) for i in order if np.isfinite(sims[i]) and sims[i] > 0]

    def recommend(
        self,
        user: UserContext,
        *,
        kind: str | None = None,
        k: int = 10,
        language: str = "en",
        exclude: Sequence[str] = (),
    ) -> list[Recommendation]:
        """Ranked items for the user: only `kind` (or all kinds), only suitable ones, seen ones left out."""
        self._check()
        if kind is not None and kind not in ITEM_KINDS:
            raise ModelInputError(f"unknown kind '{kind}'; valid: {', '.join(ITEM_KINDS)}")
        if k < 1:
            raise ModelInputError(f"k must be at least 1, got {k}")
        bad_goals = [g for g in user.goals if g not in GOAL_KEYS]
        if bad_goals:
            raise ModelInputError(f"unknown goal(s) {', '.join(bad_goals)}; valid: {', '.join(GOAL_KEYS)}")
        lang = _lang(language)
        cfg = self.config
        row = self._history_row(user)
        n = len(self.item_ids_)
        source = np.empty(n, dtype=object)
        if row.nnz:
            cf = self._cf_scores(row).astype(np.float64)
            top = cf.max() if cf.size and cf.max() > 0 else 1.0
            score = np.clip(cf / top, 0.0, None)
            source[:] = "cf"
            if self._cold_items.size:
                # an untouched item inherits the similarity-weighted CF score of its content neighbours
                inherited = (self._cold_sims * score[self._cold_neighbours]).sum(axis=1)
                inherited /= np.maximum(self._cold_sims.sum(axis=1), 1e-9)
                score[self._cold_items] = cfg.content_weight * inherited
                source[self._cold_items] = "content"
        else:
            pop = self.popularity_ / (self.popularity_.max() or 1.0)
            score = (1.0 - cfg.segment_weight) * pop
            source[:] = "popular"
            seg = self._seg_pos.get(str(user.segment)) if user.segment else None
            if seg is not None and self.segment_popularity_[seg].max() > 0:
                seg_pop = self.segment_popularity_[seg] / self.segment_popularity_[seg].max()
                score = score + cfg.segment_weight * seg_pop
                source[seg_pop > 0] = "segment"
            else:
                score = pop.astype(np.float64)
        # profile-aware boosts: stated goals first, then goals implied by stated facts
        goal_reason: dict[int, str] = {}
        boost = cfg.profile_weight * (1.0 if row.nnz else 2.0)  # without history the profile leads
        stated = [GOAL_KEYS.index(g) for g in dict.fromkeys(user.goals)]
        stated_hit = np.zeros(n, dtype=bool)
        if stated:
            member = self._goal_matrix[:, stated]
            stated_hit = np.asarray(member.any(axis=1))
            first = member.argmax(axis=1)
            score[stated_hit] += boost
            for hit_pos in np.flatnonzero(stated_hit):
                label = goal_label(GOAL_KEYS[stated[int(first[hit_pos])]], lang)
                goal_reason[int(hit_pos)] = f"符合您的目标：{label}" if lang == "zh" else f"matches your goal: {label}"
        implied = implied_goals(age=user.age, family=user.family)
        if implied:
            strengths = self._goal_matrix[:, [GOAL_KEYS.index(f.key) for f in implied]] * np.array(
                [f.strength for f in implied]
            )
            best = strengths.argmax(axis=1)
            best_strength = strengths.max(axis=1)
            hit = (best_strength > 0) & ~stated_hit
            score[hit] += boost * 0.5 * best_strength[hit]
            for hit_pos in np.flatnonzero(hit):
                fact = implied[int(best[hit_pos])]
                goal_reason[int(hit_pos)] = fact.zh if lang == "zh" else fact.en
        # candidates: kind, not seen, suitable (the rule, for every product)
        candidate = suitability.allowed_mask(
            kinds=self._kinds, levels=self._levels, min_ages=self._min_ages, max_ages=self._max_ages,
            risk_tolerance=user.risk_tolerance, age=user.age,
        )  # fmt: skip
        if kind is not None:
            candidate &= self._kinds == kind
        candidate[row.indices] = False
        candidate[[self._pos[i] for i in exclude if i in self._pos]] = False
        ranked = np.where(candidate, score, -np.inf)
        top = min(k, int(candidate.sum()))
        if top == 0:
            return []
        best = np.argpartition(-ranked, top - 1)[:top] if top < n else np.arange(n)
        order = best[np.lexsort((best, -ranked[best]))]  # score desc, ties by catalog order
        out: list[Recommendation] = []
        for pos in order:
            pos = int(pos)
            if not np.isfinite(ranked[pos]):
                continue
            item = self.items_[pos]
            if not suitability.check(item, risk_tolerance=user.risk_tolerance, age=user.age).allowed:
                continue  # the rule itself has the last word on every item shown
            src = str(source[pos])
            reasons = self._reasons(item, pos, row, src, goal_reason.get(pos), user, lang)
            if src == "popular" and pos in goal_reason:
                src = "profile"
            out.append(
                Recommendation(
                    item_id=item.item_id, kind=item.kind, title=_title(item, lang), score=round(float(score[pos]), 6),
                    reason=reasons[0], reasons=tuple(reasons), source=src, price=item.price, currency=item.currency,
                    risk_level=item.risk_level,
                )
            )  # fmt: skip
        return out

    def _reasons(
        self, item: CatalogItem, pos: int, row: sp.csr_matrix, source: str, goal: str | None, user: UserContext,
        lang: str,
    ) -> list[str]:  # fmt: skip
        reasons: list[str] = []
        if source == "cf":
            anchor = self._anchor(row, pos)
            if anchor is not None:
                reasons.append(_people_who_took(self.items_[anchor], item, lang))
        elif source == "content":
            anchor = None
            if self.embeddings_ is not None and row.nnz:
                sims = self.embeddings_[row.indices] @ self.embeddings_[pos]
                anchor = int(row.indices[int(np.argmax(sims))])
            if anchor is not None:
                a = _title(self.items_[anchor], lang)
                reasons.append(
                    f"新上线，与您学过的《{a}》内容相近" if lang == "zh" else f"new, and close to {a} you took"
                )
        if goal:
            reasons.append(goal)
        if source == "segment" and not reasons:
            reasons.append("与您相似的用户常选择" if lang == "zh" else "popular with people like you")
        risk = _risk_reason(item, user.risk_tolerance, lang)
        if risk:
            reasons.append(risk)
        if not reasons:
            reasons.append("近期热门" if lang == "zh" else "popular right now")
        return reasons

    # -------------------------------------------------------------------------------- save / load
    def save(self, directory: str | Path) -> Path:
        """Writes the artifact into a fresh sibling directory, then swaps it in (readers never see half)."""
        self._check()
        target = Path(directory)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
        staging.chmod(0o755)  # mkdtemp makes it private; the served artifact is an ordinary directory
        arrays: dict[str, np.ndarray] = {
            "user_ids": self.user_ids_.astype(str),
            "item_ids": self.item_ids_.astype(str),
            "indptr": self.matrix_.indptr,
            "indices": self.matrix_.indices,
            "data": self.matrix_.data,
            "popularity": self.popularity_,
            "segment_names": self.segment_names_.astype(str),
            "segment_popularity": self.segment_popularity_,
        }
        if self.algorithm_ == "ease":
            arrays["ease_weights"] = self.ease_.weights_
        else:
            arrays["als_user_factors"] = self.als_.user_factors_
            arrays["als_item_factors"] = self.als_.item_factors_
        if self.embeddings_ is not None:
            arrays["embeddings"] = self.embeddings_
        np.savez(staging / ARRAYS_FILE, **arrays)  # type: ignore[arg-type]
        (staging / ITEMS_FILE).write_text(
            json.dumps([i.to_dict() for i in self.items_], ensure_ascii=False), encoding="utf-8"
        )
        config = {
            "format": ARTIFACT_FORMAT,
            "model": "advisor.recommender",
            "algorithm": self.algorithm_,
            "config": asdict(self.config),
            "trained_at": self.trained_at_,
            "train_seconds": round(self.train_seconds_, 3),
            "data_fingerprint": self.fingerprint_,
            "n_users": int(len(self.user_ids_)),
            "n_items": int(len(self.item_ids_)),
            "n_interactions": int(self.n_interactions_),
            "content_embeddings": self.embeddings_ is not None,
            "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "pandas": pd.__version__},
        }
        (staging / CONFIG_FILE).write_text(json.dumps(config, indent=2), encoding="utf-8")
        old = target.parent / f".{target.name}-old-{os.getpid()}-{time.time_ns()}"
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
        return target

    @classmethod
    def load(cls, directory: str | Path) -> Recommender:
        path = Path(directory)
        config_path = path / CONFIG_FILE
        if not config_path.is_file():
            raise ModelInputError(
                f"{path} is not a recommender artifact (no {CONFIG_FILE}); run `advisor recommender train`"
            )
        meta = json.loads(config_path.read_text(encoding="utf-8"))
        if meta.get("model") != "advisor.recommender" or meta.get("format") != ARTIFACT_FORMAT:
            raise ModelInputError(f"{path} holds an unsupported artifact (format {meta.get('format')})")
        model = cls(RecommenderConfig(**meta["config"]))
        with np.load(path / ARRAYS_FILE, allow_pickle=False) as arrays:
            a = {name: arrays[name] for name in arrays.files}
        model.algorithm_ = meta["algorithm"]
        model.user_ids_ = a["user_ids"]
        model.item_ids_ = a["item_ids"]
        model.matrix_ = sp.csr_matrix(
            (a["data"], a["indices"], a["indptr"]), shape=(len(a["user_ids"]), len(a["item_ids"]))
        )
        model.popularity_ = a["popularity"]
        model.segment_names_ = a["segment_names"]
        model.segment_popularity_ = a["segment_popularity"]
        cfg = model.config
        if model.algorithm_ == "ease":
            model.ease_ = EASE(l2=cfg.l2, weighting=cfg.weighting, max_items=cfg.ease_max_items)
            model.ease_.weights_ = a["ease_weights"]
        else:
            model.als_ = ALS(factors=cfg.als_factors, l2=cfg.als_l2, alpha=cfg.als_alpha,
                             iterations=cfg.als_iterations, weighting=cfg.weighting)  # fmt: skip
            model.als_.user_factors_ = a["als_user_factors"]
            model.als_.item_factors_ = a["als_item_factors"]
        model.embeddings_ = a.get("embeddings")
        items_data = json.loads((path / ITEMS_FILE).read_text(encoding="utf-8"))
        model.items_ = [CatalogItem(**{**d, "tags": tuple(d.get("tags") or ())}) for d in items_data]
        model.item_goals_ = [item_goals(i) for i in model.items_]
        model.train_seconds_ = float(meta.get("train_seconds", 0.0))
        model.fingerprint_ = meta["data_fingerprint"]
        model.trained_at_ = meta["trained_at"]
        model.n_interactions_ = int(meta["n_interactions"])
        model._index()
        return model


class ReloadingRecommender:
    """Holds the served model and swaps in a newer artifact without a restart.

    `get()` looks at the artifact's config.json at most every `check_every_s` seconds; when its
    modification time changed it loads the new artifact fully, then replaces the reference (readers
    keep using the old model until then). A broken artifact is logged and the old model kept.
    """

    def __init__(self, directory: str | Path, *, check_every_s: float = 5.0) -> None:
        self.directory = Path(directory)
        self.check_every_s = check_every_s
        self._model: Recommender | None = None
        self._stamp: int | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def _stat(self) -> int | None:
        try:
            return (self.directory / CONFIG_FILE).stat().st_mtime_ns
        except OSError:
            return None

    def get(self) -> Recommender | None:
        now = time.monotonic()
        if self._model is not None and now - self._checked < self.check_every_s:
            return self._model
        with self._lock:
            self._checked = time.monotonic()
            stamp = self._stat()
            if stamp is not None and stamp != self._stamp:
                try:
                    model = Recommender.load(self.directory)
                except Exception:  # noqa: BLE001 - keep serving the old model
                    log.exception("could not load the recommender artifact in %s; keeping the old one", self.directory)
                else:
                    self._model, self._stamp = model, stamp
                    log.info("recommender loaded from %s (trained %s)", self.directory, model.trained_at_)
        return self._model
