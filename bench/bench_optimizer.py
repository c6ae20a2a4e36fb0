"""End-to-end optimizer timing (JSON text → validated scenario → sparse LP → HiGHS → output dict).

nice -n 10 .venv/bin/python bench/bench_optimizer.py --channels 20 --segments 100 --offers 50
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from models import optimizer
from models.analytics.synthetic import random_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--segments", type=int, default=100)
    parser.add_argument("--offers", type=int, default=50)
    parser.add_argument("--tier-share", type=float, default=0.0, help="share of triples with 3 tiers")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    text = json.dumps(random_scenario(args.channels, args.segments, args.offers, seed=1, tier_share=args.tier_share))
    times, phases = [], []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        scenario = optimizer.parse_scenario(text)
        t1 = time.perf_counter()
        lp = optimizer.build_program(scenario)
        t2 = time.perf_counter()
        result = optimizer.solve(scenario)
        t3 = time.perf_counter()
        json.dumps(result)
        t4 = time.perf_counter()
        times.append((t1 - t0) + (t3 - t2) + (t4 - t3))  # solve() builds the program itself
        phases.append((t1 - t0, t2 - t1, t3 - t2, t4 - t3))
    print(
        f"{lp.c.size:,} variables, {lp.A.shape[0]:,} constraints, {lp.A.nnz:,} non-zeros; "
        f"status {result['status']}, objective {result['objective']:.6g}, "
        f"{len(result['allocations'])} non-zero allocations"
    )
    best = min(range(len(times)), key=times.__getitem__)
    validate, build, solve, dump = phases[best]
    print(
        f"end to end: median {statistics.median(times):.3f} s, min {min(times):.3f} s ({args.repeats} runs); "
        f"best run: validate {validate:.3f} s, build {build:.3f} s, build+solve+report {solve:.3f} s, "
        f"JSON {dump:.3f} s"
    )


if __name__ == "__main__":
    main()
