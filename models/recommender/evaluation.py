"""Offline evaluation: per-user random split and top-k ranking metrics (one list per test user).

Metrics use binary relevance (an item is relevant when the user touched it in the test file):
nDCG@k = DCG / ideal DCG with 1/log2(rank + 1) gains; recall@k = hits / |test items of the user|;
precision@k = hits / k; coverage = distinct items recommended over all lists / items in train.
Items the user touched in train are excluded from their list; a test user unknown to train gets the
popularity list (so every test user counts, as the contract asks).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from models.errors import ModelInputError
from models.recommender.cf import InteractionMatrix

ScoreFn = Callable[[sp.csr_matrix, np.ndarray], np.ndarray]
"""(history rows, their train user indices) → scores for every train item."""


def split_per_user(
    frame: pd.DataFrame, *, test_fraction: float = 0.2, seed: int = 0, min_interactions: int = 2
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-user random split: round(fraction·n) of each user's distinct items (at least 1) go to test.

    Users with fewer than `min_interactions` distinct items stay entirely in train.
    """
    if not 0.0 < test_fraction < 1.0:
        raise ModelInputError(f"test_fraction must be in (0, 1), got {test_fraction}")
    rng = np.random.default_rng(seed)
    dedup = frame.drop_duplicates(subset=["user_id", "item_id"]).reset_index(drop=True)
    keys = rng.random(len(dedup))
    dedup = dedup.assign(_key=keys)
    dedup["_rank"] = dedup.groupby("user_id")["_key"].rank(method="first")
    sizes = dedup.groupby("user_id")["item_id"].transform("size")
    n_test = np.maximum(np.round(sizes * test_fraction), 1)
    is_test = (sizes >= min_interactions) & (dedup["_rank"] <= n_test)
    test_pairs = dedup.loc[is_test, ["user_id", "item_id"]]
    merged = frame.merge(test_pairs.assign(_test=True), on=["user_id", "item_id"], how="left")
    mask = merged["_test"].eq(True).to_numpy()
    train = frame.loc[~mask].reset_index(drop=True)
    test = frame.loc[mask].reset_index(drop=True)
    return train, test


@dataclass(frozen=True)
class RankingMetrics:
    k: int
    ndcg: float
    recall: float
    precision: float
    coverage: float
    users: int
    train_seconds: float = 0.0

    def to_dict(self) -> dict[str, float | int]:
        k = self.k
        return {
            f"ndcg@{k}": self.ndcg,
            f"recall@{k}": self.recall,
            f"precision@{k}": self.precision,
            "coverage": self.coverage,
            "train_seconds": self.train_seconds,
            "users": self.users,
        }


def top_k(scores: np.ndarray, seen: sp.csr_matrix, k: int) -> np.ndarray:
    """Top-k item indices per row, excluding the row's seen items (ties broken by index)."""
    scores = scores.astype(np.float64, copy=True)
    rows = np.repeat(np.arange(seen.shape[0]), np.diff(seen.indptr))
    scores[rows, seen.indices] = -np.inf
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
    ranked = np.take_along_axis(part, order, axis=1)
    ranked_scores = np.take_along_axis(scores, ranked, axis=1)
    return np.where(np.isfinite(ranked_scores), ranked, -1)


def evaluate_lists(
    train: InteractionMatrix,
    test: pd.DataFrame,
    score_fn: ScoreFn,
    *,
    k: int,
    fallback_scores: np.ndarray,
    batch: int = 2048,
) -> RankingMetrics:
    """Ranks all train items for every test user and scores the lists against the test items."""
    if k < 1:
        raise ModelInputError(f"k must be at least 1, got {k}")
    truth = test.drop_duplicates(subset=["user_id", "item_id"]).groupby("user_id")["item_id"].agg(list)
    if truth.empty:
        raise ModelInputError("the test file has no interactions")
    item_pos = {item: i for i, item in enumerate(train.item_ids)}
    user_ids = truth.index.astype(str).to_numpy()
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    ndcg = recall = precision = 0.0
    recommended: set[int] = set()
    known = [(u, train.user_index(u)) for u in user_ids]
    for start in range(0, len(known), batch):
        chunk = known[start : start + batch]
        known_rows = [idx for _, idx in chunk if idx is not None]
        history = train.matrix[known_rows] if known_rows else sp.csr_matrix((0, train.matrix.shape[1]))
        scores_known = (
            score_fn(history, np.asarray(known_rows, dtype=np.int64))
            if known_rows
            else np.zeros((0, train.matrix.shape[1]))
        )
        scores = np.empty((len(chunk), train.matrix.shape[1]), dtype=np.float64)
        seen_rows = []
        pos = 0
        for n, (_, idx) in enumerate(chunk):
            if idx is None:
                scores[n] = fallback_scores
                seen_rows.append(sp.csr_matrix((1, train.matrix.shape[1]), dtype=np.float32))
            else:
                scores[n] = scores_known[pos]
                seen_rows.append(history[pos])
                pos += 1
        ranked = top_k(scores, sp.vstack(seen_rows).tocsr(), k)
        for n, (user, _) in enumerate(chunk):
            relevant = {item_pos[i] for i in truth[user] if i in item_pos}
            n_relevant = len(truth[user])
            row = ranked[n]
            row = row[row >= 0]
            recommended.update(int(i) for i in row)
            hits = np.array([int(i) in relevant for i in row], dtype=bool)
            dcg = float(discounts[: len(row)][hits].sum())
            ideal = float(discounts[: min(n_relevant, k)].sum())
            ndcg += dcg / ideal
            recall += hits.sum() / n_relevant
            precision += hits.sum() / k
    n = len(user_ids)
    return RankingMetrics(
        k=k,
        ndcg=ndcg / n,
        recall=recall / n,
        precision=precision / n,
        coverage=len(recommended) / max(len(train.item_ids), 1),
        users=n,
    )


def evaluate_scorer(
    train_frame: pd.DataFrame,
    test_frame: pd.DataFrame,
    *,
    fit: Callable[[InteractionMatrix], ScoreFn],
    k: int,
) -> RankingMetrics:
    """Fits on train (timed), then evaluates one list per test user."""
    train = InteractionMatrix.from_frame(train_frame)
    started = time.perf_counter()
    score_fn = fit(train)
    seconds = time.perf_counter() - started
    popularity = np.asarray((train.matrix > 0).sum(axis=0)).ravel().astype(np.float64)
    metrics = evaluate_lists(train, test_frame, score_fn, k=k, fallback_scores=popularity)
    return RankingMetrics(**{**metrics.__dict__, "train_seconds": round(seconds, 3)})
