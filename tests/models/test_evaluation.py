"""Ranking metrics on hand-made lists, the per-user split, and `advisor recommender evaluate`."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from models.recommender.cf import InteractionMatrix
from models.recommender.evaluation import evaluate_lists, split_per_user


def test_metrics_on_a_hand_made_example() -> None:
    pairs = [("u", "a"), ("v", "b"), ("v", "c"), ("v", "d")]
    train = InteractionMatrix.from_frame(pd.DataFrame(pairs, columns=["user_id", "item_id"]).assign(weight=1.0))
    test = pd.DataFrame({"user_id": ["u", "u"], "item_id": ["c", "z"], "weight": [1.0, 1.0]})
    fixed = np.array([0.0, 3.0, 2.0, 1.0])  # a, b, c, d → ranking for u (a seen): b, c, d

    metrics = evaluate_lists(train, test, lambda rows, users: np.tile(fixed, (rows.shape[0], 1)), k=2,
                             fallback_scores=fixed)  # fmt: skip
    # u's list: [b, c]; relevant {c, z}; hit at rank 2
    assert metrics.ndcg == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))
    assert metrics.recall == pytest.approx(0.5)
    assert metrics.precision == pytest.approx(0.5)
    assert metrics.coverage == pytest.approx(2 / 4)


def test_split_is_per_user_deterministic_and_disjoint() -> None:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"user_id": np.repeat([f"u{i}" for i in range(20)], 10),
                          "item_id": [f"i{j}" for j in rng.integers(0, 1000, 200)], "weight": 1.0})  # fmt: skip
    frame = frame.drop_duplicates(["user_id", "item_id"])
    train, test = split_per_user(frame, seed=3)
    again, _ = split_per_user(frame, seed=3)
    assert train.equals(again)
    assert len(train) + len(test) == len(frame)
    assert not set(zip(train.user_id, train.item_id, strict=True)) & set(zip(test.user_id, test.item_id, strict=True))
    assert set(test.user_id) <= set(train.user_id)
    assert 0.15 < len(test) / len(frame) < 0.25


def test_cli_evaluate_prints_the_contract_keys(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    rows = [(f"u{u}", f"i{(u % 2) * 20 + j}", 1.0) for u in range(40) for j in rng.choice(20, 8, replace=False)]
    frame = pd.DataFrame(rows, columns=["user_id", "item_id", "weight"])
    train, test = split_per_user(frame, seed=0)
    train.to_csv(tmp_path / "train.csv", index=False)
    test.to_csv(tmp_path / "test.csv", index=False)
    out = subprocess.run(
        [sys.executable, "-c", "from api.cli import main; main()", "recommender", "evaluate",
         "--train", str(tmp_path / "train.csv"), "--test", str(tmp_path / "test.csv"), "--k", "5", "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result = json.loads(out.stdout)
    assert {"ndcg@5", "recall@5", "precision@5", "coverage", "train_seconds"} <= set(result)
    assert result["ndcg@5"] > 0.3  # two disjoint taste groups are easy


def test_cli_evaluate_bad_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("user_id,item_id,weight\nu1,i1,heavy\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", "from api.cli import main; main()", "recommender", "evaluate",
         "--train", str(tmp_path / "bad.csv"), "--test", str(tmp_path / "bad.csv"), "--k", "5", "--json"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert out.returncode == 2 and "row 1" in out.stderr and "weight" in out.stderr
