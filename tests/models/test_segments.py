"""Segments: recover planted groups, name them for admins in both languages, round-trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from models.errors import NotFittedError
from models.segments import SegmentModel, features


def planted(n: int = 60, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str], list[str]]:
    rng = np.random.default_rng(seed)
    profiles, rows, truth = [], [], []
    for u in range(n):
        group = ["young", "parents", "retirees"][u % 3]
        age = {"young": 25, "parents": 36, "retirees": 66}[group] + int(rng.integers(-3, 4))
        family = {"parents": {"marital_status": "married", "children": [3, 6]}}.get(group, {})
        profiles.append(
            {
                "user_id": f"u{u}",
                "age": age,
                "income": 2e5,
                "family": family,
                "risk_tolerance": {"young": "C4", "parents": "C3", "retirees": "C1"}[group],
            }
        )
        kind_item = {"young": "C1", "parents": "INS1", "retirees": "FIN1"}[group]
        rows.append({"user_id": f"u{u}", "item_id": kind_item, "weight": 4.0})
        truth.append(group)
    kinds = {"C1": "course", "INS1": "insurance", "FIN1": "finance"}
    return pd.DataFrame(profiles), pd.DataFrame(rows), kinds, truth


def test_recovers_planted_groups_with_named_descriptions(tmp_path: Path) -> None:
    profiles, inter, kinds, truth = planted()
    frame = features(profiles, inter, kinds)
    model = SegmentModel(k=3).fit(frame)
    labels = model.predict(frame)
    # each planted group maps to exactly one segment
    mapping = pd.crosstab(pd.Series(truth), pd.Series(labels))
    assert (mapping.gt(0).sum(axis=1) == 1).all() and mapping.shape == (3, 3)
    names = {s.name for s in model.segments_}
    assert any("parents" in n for n in names) and any("senior" in n for n in names)
    assert all(s.description_en and s.description_zh for s in model.segments_)
    model.save(tmp_path)
    assert SegmentModel.load(tmp_path).predict(frame) == labels


def test_k_is_chosen_by_silhouette() -> None:
    profiles, inter, kinds, _ = planted(90)
    model = SegmentModel().fit(features(profiles, inter, kinds))
    assert 3 <= len(model.segments_) <= 8 and -1 <= model.silhouette_ <= 1


def test_predict_before_fit() -> None:
    profiles, inter, kinds, _ = planted()
    with pytest.raises(NotFittedError):
        SegmentModel().predict(features(profiles, inter, kinds))
