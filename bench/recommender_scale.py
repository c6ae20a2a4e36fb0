"""Training time on 1,000,000 synthetic interactions and per-user recommend latency.

    nice -n 10 .venv/bin/python bench/recommender_scale.py --interactions 1000000 --items 3000

Synthetic data: users with a Zipf-popular, taste-clustered item choice (so the models have structure to
find); catalog items are generated to match so the full product path (suitability, reasons) runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from models.recommender import Recommender, RecommenderConfig, UserContext  # noqa: E402
from store.formats import CatalogItem, read_catalog  # noqa: E402

KINDS = ("course", "insurance", "finance", "article", "faq")


def synthetic(
    n_interactions: int, n_items: int, per_user: int, seed: int = 0
) -> tuple[pd.DataFrame, list[CatalogItem]]:
    rng = np.random.default_rng(seed)
    n_users = n_interactions // per_user
    clusters = 20
    item_cluster = rng.integers(0, clusters, n_items)
    popularity = 1.0 / np.arange(1, n_items + 1) ** 0.8
    popularity = popularity[rng.permutation(n_items)]
    user_cluster = rng.integers(0, clusters, n_users)
    users = np.repeat(np.arange(n_users), per_user)
    # half of each user's items from their taste cluster, half from global popularity
    by_cluster = [np.flatnonzero(item_cluster == c) for c in range(clusters)]
    probs = [popularity[ix] / popularity[ix].sum() for ix in by_cluster]
    items = np.empty(n_users * per_user, dtype=np.int64)
    glob = rng.choice(n_items, size=n_users * per_user, p=popularity / popularity.sum())
    for c in range(clusters):
        mask = np.repeat(user_cluster == c, per_user)
        items[mask] = rng.choice(by_cluster[c], size=int(mask.sum()), p=probs[c])
    take_global = rng.random(len(items)) < 0.5
    items[take_global] = glob[take_global]
    weights = rng.choice([1.0, 2.0, 4.0, 8.0], size=len(items), p=[0.45, 0.3, 0.15, 0.1])
    frame = pd.DataFrame({"user_id": [f"u{u}" for u in users], "item_id": [f"I{i:05d}" for i in items],
                          "weight": weights})  # fmt: skip
    catalog = []
    for i in range(n_items):
        kind = KINDS[i % len(KINDS)]
        product = kind in ("insurance", "finance")
        catalog.append(
            CatalogItem(
                item_id=f"I{i:05d}",
                kind=kind,
                title=f"item {i}",
                description=f"cluster {item_cluster[i]}",
                risk_level=f"R{1 + i % 5}" if product else None,
                min_age=18 if kind == "insurance" else None,
                max_age=65 if kind == "insurance" else None,
            )
        )
    return frame, catalog


def latency(model: Recommender, users: list[str], *, kind: str | None = None) -> dict[str, float]:
    times = []
    for n, user in enumerate(users):
        ctx = UserContext(user_id=user, age=35, risk_tolerance=("C1", "C3", "C5", None)[n % 4])
        started = time.perf_counter()
        model.recommend(ctx, kind=kind, k=10)
        times.append((time.perf_counter() - started) * 1000)
    arr = np.array(times)
    return {"p50_ms": round(float(np.percentile(arr, 50)), 3), "p95_ms": round(float(np.percentile(arr, 95)), 3),
            "mean_ms": round(float(arr.mean()), 3)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--per-user", type=int, default=20)
    parser.add_argument("--als", action="store_true", help="also time our ALS and implicit's ALS")
    parser.add_argument("--demo", default="data", help="demo data dir for the latency on the real catalog")
    args = parser.parse_args()
    out: dict[str, object] = {}
    frame, catalog = synthetic(args.interactions, args.items, args.per_user)
    out["synthetic"] = {"interactions": len(frame), "users": int(frame.user_id.nunique()), "items": args.items}
    started = time.perf_counter()
    model = Recommender(RecommenderConfig()).fit(frame, catalog)
    out["ease_fit_seconds_total"] = round(time.perf_counter() - started, 2)
    out["ease_cf_seconds"] = round(model.train_seconds_, 2)
    sample = [str(u) for u in np.random.default_rng(1).choice(model.user_ids_, 500, replace=False)]
    out["latency_1m_model"] = latency(model, sample)
    out["latency_1m_model_insurance"] = latency(model, sample, kind="insurance")
    if args.als:
        from models.recommender.cf import ALS, InteractionMatrix

        data = InteractionMatrix.from_frame(frame)
        started = time.perf_counter()
        ALS(factors=64, l2=1.0, alpha=1.0, iterations=15, weighting="binary").fit(data.matrix)
        out["our_als_seconds"] = round(time.perf_counter() - started, 2)
        from implicit.cpu.als import AlternatingLeastSquares

        started = time.perf_counter()
        AlternatingLeastSquares(factors=64, iterations=15, num_threads=2, random_state=0).fit(
            data.matrix, show_progress=False
        )
        out["implicit_als_seconds"] = round(time.perf_counter() - started, 2)
    demo = Path(args.demo)
    if (demo / "interactions.csv").is_file():
        from store.formats import read_interactions

        inter = read_interactions(demo / "interactions.csv")
        users = pd.read_csv(demo / "users.csv", dtype=str)
        segs = dict(zip(users.user_id, users.segment, strict=True))
        demo_model = Recommender(RecommenderConfig()).fit(inter, read_catalog(demo / "catalog.csv"), segments=segs)
        out["demo_cf_seconds"] = round(demo_model.train_seconds_, 3)
        out["latency_demo_model"] = latency(demo_model, list(users.user_id[:500]))
        out["latency_demo_cold_users"] = latency(demo_model, [f"new{i}" for i in range(200)])
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
