"""Intent classifier latency: p50/p95 of one message at a time, and throughput in batches of 32.

Usage: python bench/intent_latency.py MODEL_DIR [--data CSV] [--threads 1] [--repeats 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model")
    parser.add_argument("--data", default="data/intents/heldout.csv")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (the server default is 1)")
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()

    import numpy as np

    from models.intent import IntentClassifier
    from store.formats import read_intents

    texts = read_intents(args.data)["text"].tolist()
    model = IntentClassifier.load(args.model, threads=args.threads)
    model.predict(texts[:8])  # warm-up
    single = []
    for i in range(args.repeats):
        started = time.perf_counter()
        model.predict([texts[i % len(texts)]])
        single.append((time.perf_counter() - started) * 1000)
    batches = [texts[i : i + 32] for i in range(0, len(texts) - 31, 32)] or [texts[:32]]
    started = time.perf_counter()
    n = 0
    for batch in batches:
        model.predict(batch)
        n += len(batch)
    elapsed = time.perf_counter() - started
    print(f"model: {args.model} ({len(model.labels_)} intents), threads {args.threads}, data {args.data}")
    print(
        f"single message: p50 {statistics.median(single):.2f} ms, p95 {float(np.percentile(single, 95)):.2f} ms "
        f"over {len(single)} calls"
    )
    print(f"batches of 32: {n / elapsed:.0f} messages/s ({elapsed / len(batches) * 1000:.1f} ms per batch)")


if __name__ == "__main__":
    main()
