"""The FAISS dense index: exact inner product for small catalogs, IVF above a size setting.

Vectors are kept beside the index (memory-mapped on load) so that a heavily filtered search can be
answered exactly over the allowed rows only, and so the FAISS index can be re-created (for instance
when an update crosses the exact/IVF threshold) without embedding anything again.
"""

from __future__ import annotations

import logging
import math
import os
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from knowledge_base.errors import KnowledgeBaseError

log = logging.getLogger("advisor.kb.dense")

EXACT_SUBSET_MAX = 2_000  # a filter leaving fewer vectors than this is searched exactly with numpy


class DenseIndex:
    """Vectors with ids = their position; several vectors may belong to one item row (one per language)."""

    def __init__(self, dim: int, *, exact_max_items: int = 50_000, nprobe: int = 32) -> None:
        self.dim = dim
        self.exact_max_items = exact_max_items
        self.nprobe = nprobe
        self.vectors_: np.ndarray = np.zeros((0, dim), dtype=np.float32)
        self.vec_row_ = np.zeros(0, dtype=np.int64)
        self.alive_ = np.zeros(0, dtype=bool)
        self.kind_ = "flat"
        self.index_: Any = self._new_flat()

    # ------------------------------------------------------------------------------------------
    def _new_flat(self) -> Any:
        return faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))

    def _new_ivf(self, n: int) -> Any:
        nlist = int(min(max(64, 4 * math.sqrt(n)), 16_384))
        quantizer = faiss.IndexFlatIP(self.dim)
        index = faiss.IndexIVFFlat(quantizer, self.dim, nlist, faiss.METRIC_INNER_PRODUCT)
        live = np.flatnonzero(self.alive_)
        rng = np.random.default_rng(0)
        sample = live if live.size <= 64 * nlist else rng.choice(live, 64 * nlist, replace=False)
        index.train(np.ascontiguousarray(self.vectors_[np.sort(sample)]))
        index.nprobe = self.nprobe
        return index

    def rebuild_index(self) -> None:
        """(Re)creates the FAISS index from the stored vectors: exact or IVF by the live count."""
        faiss.omp_set_num_threads(os.cpu_count() or 1)  # training and bulk adds use every core
        live = np.flatnonzero(self.alive_)
        if live.size > self.exact_max_items:
            self.kind_, self.index_ = "ivf", self._new_ivf(live.size)
        else:
            self.kind_, self.index_ = "flat", self._new_flat()
        for start in range(0, live.size, 100_000):
            ids = live[start : start + 100_000]
            self.index_.add_with_ids(np.ascontiguousarray(self.vectors_[ids]), ids)

    @property
    def n_live(self) -> int:
        return int(self.alive_.sum())

    def add(self, vectors: np.ndarray, rows: np.ndarray) -> None:
        """Appends vectors belonging to the given item rows."""
        if vectors.shape[0] == 0:
            return
        if vectors.shape[1] != self.dim:
            raise KnowledgeBaseError(f"vectors have {vectors.shape[1]} dimensions, the index {self.dim}")
        start = self.vectors_.shape[0]
        ids = np.arange(start, start + vectors.shape[0], dtype=np.int64)
        self.vectors_ = np.concatenate([np.asarray(self.vectors_), vectors.astype(np.float32)])
        self.vec_row_ = np.concatenate([self.vec_row_, rows.astype(np.int64)])
        self.alive_ = np.concatenate([self.alive_, np.ones(vectors.shape[0], dtype=bool)])
        crossing = (self.kind_ == "flat") == (self.n_live > self.exact_max_items)
        if crossing:
            self.rebuild_index()
        else:
            self.index_.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)

    def remove_rows(self, rows: np.ndarray) -> None:
        ids = np.flatnonzero(np.isin(self.vec_row_, rows) & self.alive_)
        if ids.size:
            self.index_.remove_ids(faiss.IDSelectorBatch(ids.astype(np.int64)))
            self.alive_[ids] = False

    # ------------------------------------------------------------------------------------------
    def search(self, query: np.ndarray, k: int, row_mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Best `k` item rows (each row's best vector) among rows allowed by `row_mask`, best first."""
        # one query: OpenMP threads only add start-up and (on busy machines) spin-wait overhead
        faiss.omp_set_num_threads(1)
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        fetch = 2 * k + 8  # several vectors per row: over-fetch, then keep each row's best
        if row_mask is None:
            vec_mask = None
            n_allowed = self.n_live
        else:
            vec_mask = row_mask[self.vec_row_] & self.alive_
            n_allowed = int(vec_mask.sum())
        if n_allowed == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if vec_mask is not None and n_allowed <= EXACT_SUBSET_MAX:
            ids = np.flatnonzero(vec_mask)
            sims = np.asarray(self.vectors_[ids]) @ q[0]
            top = np.argpartition(-sims, fetch)[:fetch] if sims.size > fetch else np.arange(sims.size)
            top = top[np.argsort(-sims[top], kind="stable")]
            ids, sims = ids[top], sims[top]
        else:
            params: faiss.SearchParameters | None = None
            if vec_mask is not None:
                bits = np.packbits(vec_mask, bitorder="little")
                selector = faiss.IDSelectorBitmap(vec_mask.shape[0], faiss.swig_ptr(bits))
                if self.kind_ == "ivf":
                    # faiss's SWIG wrappers take the fields as keywords; its stubs declare only a bare __init__
                    params = faiss.SearchParametersIVF(sel=selector, nprobe=self.nprobe)  # type: ignore[call-arg]
                else:
                    params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
            sims_2d, ids_2d = self.index_.search(q, min(fetch, n_allowed), params=params)
            keep = ids_2d[0] >= 0
            ids, sims = ids_2d[0][keep], sims_2d[0][keep]
        rows = self.vec_row_[ids]
        _, first = np.unique(rows, return_index=True)
        first.sort()
        return rows[first][:k], sims[first][:k].astype(np.float32)

    def row_similarity(self, query: np.ndarray, row: int) -> float:
        """Cosine similarity of the query to the row's best vector (0 when it has none)."""
        ids = np.flatnonzero((self.vec_row_ == row) & self.alive_)
        if ids.size == 0:
            return 0.0
        return float((np.asarray(self.vectors_[ids]) @ query.reshape(-1)).max())

    # ------------------------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        np.save(directory / "vectors.npy", np.asarray(self.vectors_), allow_pickle=False)
        np.savez(directory / "dense_ids.npz", vec_row=self.vec_row_, alive=self.alive_)
        faiss.write_index(self.index_, str(directory / "dense.faiss"))

    @classmethod
    def load(cls, directory: Path, *, dim: int, kind: str, exact_max_items: int, nprobe: int) -> DenseIndex:
        index = cls(dim, exact_max_items=exact_max_items, nprobe=nprobe)
        index.vectors_ = np.load(directory / "vectors.npy", mmap_mode="r", allow_pickle=False)
        with np.load(directory / "dense_ids.npz", allow_pickle=False) as z:
            index.vec_row_ = z["vec_row"]
            index.alive_ = z["alive"]
        index.index_ = faiss.read_index(str(directory / "dense.faiss"))
        index.kind_ = kind
        if kind == "ivf":
            index.index_.nprobe = nprobe
        return index
