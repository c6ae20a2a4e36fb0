"""Plain configuration of the knowledge base (built from `api.settings.Settings` by the API layer)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class KnowledgeBaseConfig:
    """Everything the retriever needs; the packages below `api` never read the environment.

    Attributes:
        encoder: directory (or hub name) of the sentence-transformers model.
        rrf_k: the constant of reciprocal rank fusion (larger flattens the rank weights).
        dense_weight, lexical_weight: each list's weight in the fusion.
        exact_index_max_items: above this many vectors the dense index is IVF instead of exact.
        faq_min_score: below it an FAQ answer is reported as not confident.
        candidates: how many candidates each side contributes before fusion (at least 5·k is used).
        coverage_floor: the dense side's weight is scaled by how much of the query the encoder's
            vocabulary covers; below this coverage it is dropped (Chinese queries on an English encoder).
        gloss_chinese: when the encoder does not cover a Chinese query, embed its CC-CEDICT word gloss
            instead, with the dense side weighted by `gloss_weight` × the share of words glossed ×
            (1 − `gloss_damping` × the share of the query's idf mass the best lexical hit contains): the
            noisy gloss only gets a say when the lexical side cannot explain the query.
    """

    encoder: str = "sentence-transformers/all-MiniLM-L6-v2"
    torch_threads: int = 1
    batch_size: int = 64
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    exact_index_max_items: int = 50_000
    faq_min_score: float = 0.35
    candidates: int = 100
    coverage_floor: float = 0.5
    gloss_chinese: bool = True
    gloss_weight: float = 0.5
    gloss_damping: float = 1.0
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    ivf_nprobe: int = 32

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
