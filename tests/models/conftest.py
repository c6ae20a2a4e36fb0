"""Recommender fixtures: the bundled catalog and a model trained once per session on synthetic taste groups."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from models.recommender import Recommender, RecommenderConfig
from store.formats import CatalogItem, read_catalog

REPO = Path(__file__).resolve().parents[2]


class HashEmbedder:
    """A deterministic bag-of-words embedder: texts sharing words get similar vectors (no model load)."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for n, text in enumerate(texts):
            for word in text.lower().replace(".", " ").replace(",", " ").split():
                out[n, zlib.crc32(word.encode()) % self.dim] += 1.0
        return out


@pytest.fixture(scope="session")
def catalog() -> list[CatalogItem]:
    return read_catalog(REPO / "data" / "catalog.csv")


def group_interactions(catalog: list[CatalogItem], *, users_per_group: int = 100, seed: int = 0) -> pd.DataFrame:
    """Two taste groups: 'a' users touch only items of the first half of the catalog ids, 'b' the second half
    (a checkerboard with a known right answer). The last catalog item is never touched."""
    rng = np.random.default_rng(seed)
    ids = sorted(i.item_id for i in catalog)[:-1]
    half = len(ids) // 2
    groups = {"a": ids[:half], "b": ids[half:]}
    rows = []
    for name, items in groups.items():
        for u in range(users_per_group):
            for item in rng.choice(items, size=25, replace=False):
                rows.append((f"{name}{u:03d}", str(item), float(rng.choice([1, 2, 4, 8]))))
    return pd.DataFrame(rows, columns=["user_id", "item_id", "weight"])


@pytest.fixture(scope="session")
def interactions(catalog: list[CatalogItem]) -> pd.DataFrame:
    return group_interactions(catalog)


@pytest.fixture(scope="session")
def trained(catalog: list[CatalogItem], interactions: pd.DataFrame) -> Recommender:
    segments = {u: ("seg_a" if u.startswith("a") else "seg_b") for u in interactions["user_id"].unique()}
    return Recommender(RecommenderConfig(l2=50.0)).fit(
        interactions, catalog, segments=segments, embedder=HashEmbedder()
    )
