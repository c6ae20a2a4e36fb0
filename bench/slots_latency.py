"""Per-message latency of language detection + PII masking + slot extraction.

Usage: .venv/bin/python bench/slots_latency.py [--data data/intents/train.csv] [--repeat 3]
Prints the one-off start-up cost (jieba dictionary) and p50/p95/p99/max per message over the texts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

import numpy as np

from assistant.language import detect_language
from assistant.pii import PiiMasker
from assistant.slots import SlotExtractor
from store.formats import read_intents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("data/intents/train.csv"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    texts = list(read_intents(args.data)["text"])
    started = time.perf_counter()
    extractor = SlotExtractor()
    masker = PiiMasker()
    load_ms = (time.perf_counter() - started) * 1000
    today = dt.date(2026, 11, 18)
    for text in texts[:50]:  # warm-up: regex caches, first jieba calls
        extractor.extract(masker.mask(text).text, today=today)

    timings: list[float] = []
    filled = 0
    for _ in range(args.repeat):
        for text in texts:
            t0 = time.perf_counter()
            language = detect_language(text)
            masked = masker.mask(text)
            slots = extractor.extract(masked.text, today=today, language=language)
            timings.append((time.perf_counter() - t0) * 1000)
            filled += bool(slots.filled())
    ms = np.array(timings)
    print(f"messages: {len(texts)} x {args.repeat} from {args.data}")
    print(f"start-up (jieba dictionary + patterns): {load_ms:.0f} ms")
    print(
        f"per message: p50 {np.percentile(ms, 50):.3f} ms  p95 {np.percentile(ms, 95):.3f} ms  "
        f"p99 {np.percentile(ms, 99):.3f} ms  max {ms.max():.3f} ms  mean {statistics.fmean(timings):.3f} ms"
    )
    print(f"messages with at least one slot: {filled / args.repeat / len(texts):.1%}")


if __name__ == "__main__":
    main()
