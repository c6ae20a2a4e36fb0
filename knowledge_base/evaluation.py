"""Offline retrieval metrics over judged queries: recall@k, MRR@k and nDCG@k per retrieval mode.

recall@k divides by min(|relevant|, k), so a query with more relevant items than k can still reach
1.0 (the best any ranking could do); nDCG uses binary gains.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from knowledge_base.analysis import detect_language
from knowledge_base.retriever import HybridRetriever
from knowledge_base.types import MODES
from store.formats import Judgment


def query_metrics(ranked: Sequence[str], relevant: Sequence[str], k: int) -> tuple[float, float, float]:
    rel = set(relevant)
    top = list(ranked[:k])
    hits = [1.0 if item in rel else 0.0 for item in top]
    recall = sum(hits) / min(len(rel), k) if rel else 0.0
    mrr = next((1.0 / (i + 1) for i, h in enumerate(hits) if h), 0.0)
    dcg = sum(h / math.log2(i + 2) for i, h in enumerate(hits))
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(rel), k)))
    return recall, mrr, (dcg / ideal if ideal else 0.0)


def evaluate(retriever: HybridRetriever, judgments: Sequence[Judgment], *, k: int) -> dict[str, Any]:
    """{"hybrid": {"recall@k", "mrr@k", "ndcg@k"}, "dense": …, "lexical": …, "by_language": {…}, …}."""
    known = {i.item_id for i in retriever.items()}
    missing = sorted({r for j in judgments for r in j.relevant} - known)
    sums: dict[tuple[str, str], list[float]] = {}
    counts: dict[str, int] = {}
    per_query: list[dict[str, Any]] = []
    for judgment in judgments:
        language = detect_language(judgment.query)
        counts[language] = counts.get(language, 0) + 1
        row: dict[str, Any] = {"query": judgment.query, "language": language, "relevant": list(judgment.relevant)}
        for mode in MODES:
            ranked = [r.item_id for r in retriever.search(judgment.query, k=k, mode=mode)]
            values = query_metrics(ranked, judgment.relevant, k)
            for scope in ("all", language):
                acc = sums.setdefault((mode, scope), [0.0, 0.0, 0.0])
                for i, v in enumerate(values):
                    acc[i] += v
            row[mode] = ranked
        per_query.append(row)

    def block(mode: str, scope: str, n: int) -> dict[str, float]:
        acc = sums.get((mode, scope), [0.0, 0.0, 0.0])
        names = (f"recall@{k}", f"mrr@{k}", f"ndcg@{k}")
        return {name: round(v / n, 4) if n else 0.0 for name, v in zip(names, acc, strict=True)}

    result: dict[str, Any] = {mode: block(mode, "all", len(judgments)) for mode in MODES}
    result["by_language"] = {
        lang: {"queries": n, **{mode: block(mode, lang, n) for mode in MODES}} for lang, n in sorted(counts.items())
    }
    result["queries"] = len(judgments)
    result["k"] = k
    result["unknown_relevant_ids"] = missing
    result["per_query"] = per_query
    return result
