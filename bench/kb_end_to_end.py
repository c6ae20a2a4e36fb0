"""End-to-end search latency (query encoding + hybrid search) on a real index built by `advisor init`.

    .venv/bin/python bench/kb_end_to_end.py [--artifacts artifacts] [--queries data/kb_queries.csv]

Every judged query once (after 10 warm-up calls), one at a time, k=10: what a chat turn waits for.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from api.services import kb_config
from api.settings import Settings
from knowledge_base import storage
from knowledge_base.embedder import SentenceEmbedder
from store.formats import read_judgments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--artifacts", type=Path, default=Path("artifacts"))
    parser.add_argument("--queries", type=Path, default=Path("data/kb_queries.csv"))
    args = parser.parse_args()
    settings = Settings(artifacts_dir=args.artifacts)
    config = kb_config(settings)
    retriever = storage.load(settings.kb_dir, config, SentenceEmbedder(config.encoder, threads=config.torch_threads))
    queries = [j.query for j in read_judgments(args.queries)]
    for q in queries[:10]:
        retriever.search(q, k=10)
    times = []
    for q in queries[10:]:  # uncached: the warm-up queries are in the embedder's LRU cache
        started = time.perf_counter()
        retriever.search(q, k=10)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(
        f"{len(times)} queries on {retriever.n_items} items, encoder threads {config.torch_threads}: "
        f"p50 {statistics.median(times):.2f} ms, p95 {times[int(0.95 * len(times))]:.2f} ms"
    )


if __name__ == "__main__":
    main()
