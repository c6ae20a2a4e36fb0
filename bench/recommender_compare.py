"""Compares recommender candidates on one train/test split: popularity, `implicit` ALS, our EASE and ALS.

    nice -n 10 .venv/bin/python bench/recommender_compare.py --train /tmp/ml_train.csv --test /tmp/ml_test.csv
    nice -n 10 .venv/bin/python bench/recommender_compare.py --train /tmp/demo_train.csv --test /tmp/demo_test.csv

`--tune` first picks each candidate's hyperparameters on a validation split carved out of train (the
test file is never looked at while tuning). `implicit` is a dev dependency used here only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("OMP_NUM_THREADS", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy.sparse as sp  # noqa: E402

from models.recommender.cf import ALS, EASE, InteractionMatrix, Popularity, transform  # noqa: E402
from models.recommender.evaluation import ScoreFn, evaluate_scorer, split_per_user  # noqa: E402
from store.formats import read_interactions  # noqa: E402

Fit = Callable[[InteractionMatrix], ScoreFn]


def popularity() -> Fit:
    def fit(train: InteractionMatrix) -> ScoreFn:
        model = Popularity().fit(train.matrix)
        return lambda rows, users: model.scores(rows)

    return fit


def ours(model_factory: Callable[[], EASE | ALS]) -> Fit:
    def fit(train: InteractionMatrix) -> ScoreFn:
        model = model_factory().fit(train.matrix)
        return lambda rows, users: model.scores(rows)

    return fit


def implicit_als(
    factors: int = 64, regularization: float = 0.05, alpha: float = 10.0, iterations: int = 15, weighting: str = "log"
) -> Fit:
    def fit(train: InteractionMatrix) -> ScoreFn:
        from implicit.cpu.als import AlternatingLeastSquares

        model = AlternatingLeastSquares(
            factors=factors, regularization=regularization, alpha=alpha, iterations=iterations,
            random_state=0, num_threads=2,
        )  # fmt: skip
        model.fit(transform(train.matrix, weighting), show_progress=False)
        items = np.asarray(model.item_factors)

        def scores(rows: sp.csr_matrix, users: np.ndarray) -> np.ndarray:
            return np.asarray(model.user_factors)[users] @ items.T

        return scores

    return fit


def candidates(grid: bool) -> dict[str, list[tuple[dict[str, object], Fit]]]:
    if not grid:
        return {
            "popularity": [({}, popularity())],
            "implicit_als": [({}, implicit_als())],
            "ease": [({"l2": 200.0, "weighting": "log"}, ours(lambda: EASE(l2=200.0, weighting="log")))],
        }
    out: dict[str, list[tuple[dict[str, object], Fit]]] = {"popularity": [({}, popularity())]}
    out["implicit_als"] = [
        ({"factors": f, "regularization": r, "alpha": a, "weighting": w}, implicit_als(f, r, a, 15, w))
        for f in (16, 32, 64, 128)
        for r in (0.05, 1.0, 10.0)
        for a in (1.0, 10.0)
        for w in ("binary", "log")
    ]
    out["ease"] = [
        ({"l2": l2, "weighting": w}, ours(lambda l2=l2, w=w: EASE(l2=l2, weighting=w)))
        for l2 in (20.0, 50.0, 100.0, 200.0, 500.0, 1000.0)
        for w in ("binary", "log")
    ]
    out["als"] = [
        ({"factors": f, "l2": r, "alpha": a}, ours(lambda f=f, r=r, a=a: ALS(factors=f, l2=r, alpha=a)))
        for f in (64,)
        for r in (0.05, 1.0)
        for a in (1.0, 10.0)
    ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--tune", action="store_true", help="grid-search on a validation split of train")
    parser.add_argument("--only", default="", help="comma-separated candidate names")
    args = parser.parse_args()
    train = read_interactions(args.train)
    test = read_interactions(args.test)
    only = set(filter(None, args.only.split(",")))
    results: dict[str, dict[str, object]] = {}
    grid = candidates(args.tune)
    if args.tune:
        fit_part, valid_part = split_per_user(train, test_fraction=0.2, seed=1)
    for name, options in grid.items():
        if only and name not in only:
            continue
        chosen_params, chosen_fit = options[0]
        if args.tune and len(options) > 1:
            best = -1.0
            for params, fit in options:
                m = evaluate_scorer(fit_part, valid_part, fit=fit, k=args.k)
                print(f"  tune {name} {params}: valid ndcg@{args.k}={m.ndcg:.4f}", file=sys.stderr)
                if m.ndcg > best:
                    best, chosen_params, chosen_fit = m.ndcg, params, fit
        metrics = evaluate_scorer(train, test, fit=chosen_fit, k=args.k)
        results[name] = {"params": chosen_params, **metrics.to_dict()}
        print(f"{name:13s} {json.dumps(results[name])}", file=sys.stderr)
    print(json.dumps(results, indent=1))
    frame = pd.DataFrame(results).T
    print(frame.to_string(), file=sys.stderr)


if __name__ == "__main__":
    main()
