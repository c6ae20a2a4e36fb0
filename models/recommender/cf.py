"""Implicit-feedback collaborative filtering: the interaction matrix and the scorers compared in bench/.

EASE (Steck 2019) is the default: a closed-form item-item model that is the strongest of the candidates
measured on both MovieLens and the demo data (see bench/recommender_compare.py) and trains in one
matrix inverse whose cost depends on the number of items, not interactions. ALS (Hu, Koren & Volinsky
2008, solved with conjugate gradient like `implicit`) is kept for catalogs too large for an item×item
inverse. Both expose the same small interface: `fit(matrix)`, `scores(rows)`, `item_similarity(i, j)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, cast

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.linalg import lapack

from models.errors import ModelInputError, NotFittedError

Weighting = Literal["binary", "log", "raw"]
WEIGHTINGS: tuple[str, ...] = ("binary", "log", "raw")


@dataclass(frozen=True)
class InteractionMatrix:
    """Users × items with summed interaction weights, and the id ↔ index maps."""

    user_ids: np.ndarray  # str, sorted
    item_ids: np.ndarray  # str, sorted
    matrix: sp.csr_matrix  # float32, summed weights

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, item_ids: list[str] | None = None) -> InteractionMatrix:
        """Builds the matrix from `user_id,item_id,weight` rows; `item_ids` fixes (and extends) the columns."""
        if frame.empty:
            raise ModelInputError("no interactions to train on; load interactions first (advisor load interactions)")
        users = frame["user_id"].astype(str).to_numpy()
        items = frame["item_id"].astype(str).to_numpy()
        weights = (
            frame["weight"].astype("float32").to_numpy() if "weight" in frame else np.ones(len(frame), dtype=np.float32)
        )
        user_ids = np.unique(users)
        all_items = np.unique(items) if item_ids is None else np.unique(np.concatenate([items, np.array(item_ids)]))
        rows = np.searchsorted(user_ids, users)
        cols = np.searchsorted(all_items, items)
        matrix = sp.csr_matrix(
            (weights, (rows, cols)), shape=(len(user_ids), len(all_items)), dtype=np.float32
        )  # duplicates are summed
        matrix.sum_duplicates()
        return cls(user_ids=user_ids, item_ids=all_items, matrix=matrix)

    def user_index(self, user_id: str) -> int | None:
        i = int(np.searchsorted(self.user_ids, user_id))
        return i if i < len(self.user_ids) and self.user_ids[i] == user_id else None


def transform(matrix: sp.csr_matrix, weighting: str) -> sp.csr_matrix:
    """Turns summed weights into model input: binary, log(1 + w) or raw."""
    if weighting not in WEIGHTINGS:
        raise ModelInputError(f"unknown weighting '{weighting}'; valid: {', '.join(WEIGHTINGS)}")
    out = matrix.copy().astype(np.float32)
    if weighting == "binary":
        out.data = np.ones_like(out.data)
    elif weighting == "log":
        out.data = np.log1p(out.data)
    return out


class Scorer(Protocol):
    def fit(self, matrix: sp.csr_matrix) -> Scorer: ...

    def scores(self, rows: sp.csr_matrix) -> np.ndarray: ...


class EASE:
    """Embarrassingly Shallow Autoencoder: B = I − P·diag(1/diag(P)), P = (XᵀX + λI)⁻¹, diag(B) = 0."""

    def __init__(self, *, l2: float = 200.0, weighting: str = "log", max_items: int = 20_000) -> None:
        self.l2 = l2
        self.weighting = weighting
        self.max_items = max_items

    def fit(self, matrix: sp.csr_matrix) -> EASE:
        n_items = matrix.shape[1]
        if n_items > self.max_items:
            raise ModelInputError(
                f"EASE needs an item×item inverse; {n_items} items > max_items={self.max_items}; use ALS"
            )
        x = transform(matrix, self.weighting)
        gram = (x.T @ x).toarray().astype(np.float64)
        gram[np.diag_indices(n_items)] += self.l2
        p = _spd_inverse(gram)
        b = -p / np.diag(p)[None, :]
        b[np.diag_indices(n_items)] = 0.0
        self.weights_ = b.astype(np.float32)
        return self

    def _check(self) -> np.ndarray:
        weights: np.ndarray | None = getattr(self, "weights_", None)
        if weights is None:
            raise NotFittedError("EASE is not fitted; call fit() or load() first")
        return weights

    def scores(self, rows: sp.csr_matrix) -> np.ndarray:
        weights = self._check()
        return np.asarray(transform(rows, self.weighting) @ weights)

    def contributions(self, row: sp.csr_matrix, item: int) -> np.ndarray:
        """Per-history-item share of one item's score (for the 'people who took X …' reason)."""
        weights = self._check()
        x = transform(row, self.weighting)
        return np.asarray(x.data * weights[x.indices, item])


def _spd_inverse(gram: np.ndarray) -> np.ndarray:
    """Inverse of a symmetric positive-definite matrix via Cholesky (about twice as fast as a general inverse)."""
    chol, info = lapack.dpotrf(gram, lower=False, clean=True, overwrite_a=True)
    if info != 0:
        raise ModelInputError(f"the item Gram matrix is not positive definite (LAPACK info {info}); raise l2")
    inv, info = lapack.dpotri(chol, lower=False, overwrite_c=True)
    if info != 0:
        raise ModelInputError(f"inverting the item Gram matrix failed (LAPACK info {info})")
    upper = np.triu(inv)
    return cast(np.ndarray, upper + np.triu(inv, 1).T)


class ALS:
    """Weighted matrix factorisation for implicit feedback, confidence 1 + α·w, solved by conjugate gradient.

    All users (then all items) are solved at once with a batched CG whose matrix-vector product is
    `X·(YᵀY + λI) + S·Y`, S holding (c − 1)·⟨x_u, y_i⟩ on the observed pairs, so no per-user Python loop.
    """

    def __init__(
        self,
        *,
        factors: int = 64,
        l2: float = 0.05,
        alpha: float = 10.0,
        iterations: int = 15,
        cg_steps: int = 3,
        weighting: str = "log",
        seed: int = 0,
    ) -> None:
        self.factors = factors
        self.l2 = l2
        self.alpha = alpha
        self.iterations = iterations
        self.cg_steps = cg_steps
        self.weighting = weighting
        self.seed = seed

    def fit(self, matrix: sp.csr_matrix) -> ALS:
        conf = transform(matrix, self.weighting)
        conf.data = conf.data * np.float32(self.alpha)  # c − 1
        conf_t = conf.T.tocsr()
        rng = np.random.default_rng(self.seed)
        n_users, n_items = matrix.shape
        users = (rng.standard_normal((n_users, self.factors)) * 0.01).astype(np.float32)
        items = (rng.standard_normal((n_items, self.factors)) * 0.01).astype(np.float32)
        for _ in range(self.iterations):
            users = self._solve(conf, users, items)
            items = self._solve(conf_t, items, users)
        self.user_factors_ = users
        self.item_factors_ = items
        return self

    def _solve(self, conf: sp.csr_matrix, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        f = y.shape[1]
        yty = y.T @ y + np.float32(self.l2) * np.eye(f, dtype=np.float32)
        rows = np.repeat(np.arange(conf.shape[0]), np.diff(conf.indptr))
        cols = conf.indices
        s = conf.copy()

        def apply(v: np.ndarray) -> np.ndarray:
            s.data = conf.data * np.einsum("ij,ij->i", v[rows], y[cols])
            return np.asarray(v @ yty + s @ y)

        ones = conf.copy()
        ones.data = conf.data + 1.0
        b = np.asarray(ones @ y)  # Σ_i c_ui·y_i (preference 1 on observed pairs)
        x = x.copy()
        r = b - apply(x)
        p = r.copy()
        rs = np.einsum("ij,ij->i", r, r)
        for _ in range(self.cg_steps):
            ap = apply(p)
            denom = np.einsum("ij,ij->i", p, ap)
            step = np.divide(rs, denom, out=np.zeros_like(rs), where=denom > 1e-12)
            x += step[:, None] * p
            r -= step[:, None] * ap
            rs_new = np.einsum("ij,ij->i", r, r)
            beta = np.divide(rs_new, rs, out=np.zeros_like(rs), where=rs > 1e-12)
            p = r + beta[:, None] * p
            rs = rs_new
        return x

    def scores(self, rows: sp.csr_matrix) -> np.ndarray:
        """Scores for users given as history rows (fold-in: one least-squares solve per row)."""
        items: np.ndarray | None = getattr(self, "item_factors_", None)
        if items is None:
            raise NotFittedError("ALS is not fitted; call fit() or load() first")
        conf = transform(rows, self.weighting)
        conf.data = conf.data * np.float32(self.alpha)
        x = np.zeros((rows.shape[0], self.factors), dtype=np.float32)
        for _ in range(2):
            x = self._solve(conf, x, items)
        return cast(np.ndarray, x @ items.T)


class Popularity:
    """Items ranked by how many users touched them (the baseline and the cold-start fallback)."""

    def fit(self, matrix: sp.csr_matrix) -> Popularity:
        self.counts_ = np.asarray((matrix > 0).sum(axis=0)).ravel().astype(np.float32)
        return self

    def scores(self, rows: sp.csr_matrix) -> np.ndarray:
        counts = getattr(self, "counts_", None)
        if counts is None:
            raise NotFittedError("Popularity is not fitted; call fit() first")
        return np.tile(counts, (rows.shape[0], 1))


def make_scorer(algorithm: str, params: dict[str, float | int | str] | None = None) -> Scorer:
    """The scorer named by the `recommender_algorithm` setting."""
    params = dict(params or {})
    if algorithm == "ease":
        return EASE(**params)  # type: ignore[arg-type]
    if algorithm == "als":
        return ALS(**params)  # type: ignore[arg-type]
    if algorithm == "popularity":
        return Popularity()
    raise ModelInputError(f"unknown recommender algorithm '{algorithm}'; valid: ease, als, popularity")
