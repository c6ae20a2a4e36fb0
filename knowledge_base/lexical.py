"""BM25 over a term-frequency matrix kept in scipy CSC form, so it can be updated in place.

bm25s precomputes the BM25 weight of every (document, term) pair with the corpus's idf and average
length baked in, so adding or removing one document means re-indexing all of them. Here the raw term
frequencies are stored and BM25 is computed at query time from the posting lists of the query's terms
(idf from a document-frequency vector that updates incrementally); deleted documents are tombstoned.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from knowledge_base.analysis import analyze


class LexicalIndex:
    """Okapi BM25 (Lucene's idf) over analysed item texts; rows are the retriever's item rows."""

    def __init__(self, *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self.vocab_: dict[str, int] = {}
        self.tf_: sp.csc_matrix = sp.csc_matrix((0, 0), dtype=np.float32)
        self.dl_ = np.zeros(0, dtype=np.float32)
        self.df_ = np.zeros(0, dtype=np.int64)
        self.alive_ = np.zeros(0, dtype=bool)

    @property
    def n_rows(self) -> int:
        return int(self.dl_.shape[0])

    def add(self, texts: Sequence[str]) -> None:
        """Appends one document per text (row ids continue from the current count)."""
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        lengths = np.zeros(len(texts), dtype=np.float32)
        for r, text in enumerate(texts):
            counts = Counter(analyze(text))
            lengths[r] = sum(counts.values())
            for term, n in counts.items():
                col = self.vocab_.setdefault(term, len(self.vocab_))
                rows.append(r)
                cols.append(col)
                vals.append(n)
        n_terms = len(self.vocab_)
        delta = sp.csc_matrix(
            (np.asarray(vals, dtype=np.float32), (np.asarray(rows), np.asarray(cols, dtype=np.int64))),
            shape=(len(texts), n_terms),
        )
        old = self.tf_
        if old.shape[1] < n_terms:
            old = sp.csc_matrix((old.data, old.indices, np.pad(old.indptr, (0, n_terms - old.shape[1]), mode="edge")),
                                shape=(old.shape[0], n_terms))  # fmt: skip
        self.tf_ = sp.vstack([old, delta], format="csc", dtype=np.float32)
        self.tf_.sort_indices()
        self.df_ = np.pad(self.df_, (0, n_terms - self.df_.shape[0])) + np.diff(delta.indptr)
        self.dl_ = np.concatenate([self.dl_, lengths])
        self.alive_ = np.concatenate([self.alive_, np.ones(len(texts), dtype=bool)])

    def remove(self, rows: Sequence[int]) -> None:
        """Tombstones rows: they stop matching and stop counting in idf and the average length."""
        rows_arr = np.asarray([r for r in rows if self.alive_[r]], dtype=np.int64)
        if rows_arr.size == 0:
            return
        dead = self.tf_.tocsr()[rows_arr]
        self.df_ -= np.bincount(dead.indices, minlength=self.df_.shape[0]).astype(np.int64)
        self.alive_[rows_arr] = False

    def query_terms(self, query: str) -> list[int]:
        return [self.vocab_[t] for t in analyze(query) if t in self.vocab_]

    def idf(self, cols: Sequence[int]) -> np.ndarray:
        n = max(int(self.alive_.sum()), 1)
        df = self.df_[np.asarray(cols, dtype=np.int64)].astype(np.float64)
        return np.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores) of every live row matching at least one query term (unsorted)."""
        cols = self.query_terms(query)
        if not cols:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        alive = self.alive_
        avgdl = float(self.dl_[alive].mean()) if alive.any() else 1.0
        weights = self.idf(cols)
        parts_rows: list[np.ndarray] = []
        parts_scores: list[np.ndarray] = []
        indptr, indices, data = self.tf_.indptr, self.tf_.indices, self.tf_.data
        for col, w in zip(cols, weights, strict=True):
            rows = indices[indptr[col] : indptr[col + 1]]
            tf = data[indptr[col] : indptr[col + 1]]
            norm = self.k1 * (1.0 - self.b + self.b * self.dl_[rows] / avgdl)
            parts_rows.append(rows)
            parts_scores.append((w * tf * (self.k1 + 1.0) / (tf + norm)).astype(np.float32))
        rows = np.concatenate(parts_rows)
        scores = np.concatenate(parts_scores)
        if rows.size * 16 > self.n_rows:  # many postings: a dense accumulator beats sorting
            dense = np.bincount(rows, weights=scores, minlength=self.n_rows)
            unique = np.flatnonzero(dense)
            summed = dense[unique].astype(np.float32)
        else:
            unique, inverse = np.unique(rows, return_inverse=True)
            summed = np.bincount(inverse, weights=scores).astype(np.float32)
        keep = alive[unique]
        return unique[keep].astype(np.int64), summed[keep]

    def coverage(self, query: str, row: int) -> float:
        """Share of the query's idf mass that the row contains: a 0..1 'how much of it matched'."""
        terms = analyze(query)
        if not terms:
            return 0.0
        cols = [self.vocab_.get(t, -1) for t in terms]
        known = [c for c in cols if c >= 0]
        n = max(int(self.alive_.sum()), 1)
        unknown_idf = float(np.log(1.0 + (n + 0.5) / 0.5)) * (len(cols) - len(known))
        if not known:
            return 0.0
        idf = self.idf(known)
        present = np.asarray([self.tf_[row, c] > 0 for c in known], dtype=bool)
        return float(idf[present].sum() / (idf.sum() + unknown_idf))

    def save(self, directory: Path) -> None:
        np.savez(
            directory / "lexical.npz",
            data=self.tf_.data, indices=self.tf_.indices, indptr=self.tf_.indptr,
            shape=np.asarray(self.tf_.shape, dtype=np.int64), dl=self.dl_, df=self.df_, alive=self.alive_,
        )  # fmt: skip
        terms = sorted(self.vocab_, key=self.vocab_.__getitem__)
        (directory / "lexical_vocab.json").write_text(
            json.dumps({"k1": self.k1, "b": self.b, "terms": terms}, ensure_ascii=False), encoding="utf-8"
        )

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        meta = json.loads((directory / "lexical_vocab.json").read_text(encoding="utf-8"))
        index = cls(k1=float(meta["k1"]), b=float(meta["b"]))
        with np.load(directory / "lexical.npz", allow_pickle=False) as z:
            shape = tuple(int(x) for x in z["shape"])
            index.tf_ = sp.csc_matrix((z["data"], z["indices"], z["indptr"]), shape=shape)
            index.dl_ = z["dl"]
            index.df_ = z["df"]
            index.alive_ = z["alive"]
        index.vocab_ = {t: i for i, t in enumerate(meta["terms"])}
        return index
