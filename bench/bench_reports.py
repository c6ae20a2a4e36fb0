"""Funnel / cross / A/B report timings over N stored events on SQLite and PostgreSQL.

    nice -n 10 .venv/bin/python bench/bench_reports.py --events 1000000 \
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]

SQLite: a migrated database file in a temp folder. PostgreSQL: the migrations run inside a private schema
(`bench_reports_<pid>`, via search_path) that is dropped at the end, so `public` is never touched.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, text

from models.analytics import reports
from models.analytics.synthetic import synthetic_events
from store.db import make_engine, migrate, refresh_statistics

COLUMNS = ["event_id", "timestamp", "user_id", "event_type", "campaign", "variant", "channel", "segment",
           "item_id", "revenue"]  # fmt: skip


def load_sqlite(engine: Engine, frame: pd.DataFrame) -> None:
    stamps = frame["timestamp"].dt.strftime("%Y-%m-%d %H:%M:%S.%f")
    data = frame.assign(timestamp=stamps).astype(object)
    data = data.where(data.notna(), None)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
            list(data[COLUMNS].itertuples(index=False, name=None)),
        )
        conn.exec_driver_sql("ANALYZE")


def load_postgres(engine: Engine, frame: pd.DataFrame) -> None:
    buffer = io.StringIO()
    frame[COLUMNS].to_csv(buffer, index=False, header=False, date_format="%Y-%m-%dT%H:%M:%S.%f+00:00")
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        with cursor.copy(f"COPY events ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)") as copy:  # type: ignore[attr-defined]
            copy.write(buffer.getvalue())
        raw.commit()
    finally:
        raw.close()
    refresh_statistics(engine, "events")  # what `advisor load events` does after a load


def timed(label: str, fn: Callable[[], Any], repeats: int) -> None:
    times, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    # CPU time of this process: the whole query for SQLite (in-process), only the client side for PostgreSQL.
    print(
        f"  {label:<34} wall median {statistics.median(times):6.3f} s, min {min(times):6.3f} s; "
        f"client CPU median {statistics.median(cpu):6.3f} s ({repeats} runs)"
    )


def run_reports(engine: Engine, repeats: int) -> None:
    with engine.connect() as conn:
        timed("funnel, 5 steps, all", lambda: reports.funnel_report(conn), repeats)
        timed("funnel, 5 steps, by campaign", lambda: reports.funnel_report(conn, by="campaign"), repeats)
        timed("funnel, 5 steps, by week", lambda: reports.funnel_report(conn, by="week"), repeats)
        window = reports.parse_window("2026-01-08", "2026-01-21")
        timed("funnel, by day, 2-week window", lambda: reports.funnel_report(conn, by="day", window=window), repeats)
        timed("cross", lambda: reports.cross_report(conn), repeats)
        timed("ab (one campaign)", lambda: reports.ab_report(conn, campaign="spring_ci"), repeats)


def run_sqlite(frame: pd.DataFrame, keep: str | None, repeats: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(keep) if keep else Path(tmp) / "bench.db"
        reuse = path.exists()
        url = f"sqlite:///{path}"
        migrate(url)
        engine = make_engine(url)
        started = time.perf_counter()
        if not reuse:
            load_sqlite(engine, frame)
        print(f"SQLite {engine.dialect.server_version_info}: loaded in {time.perf_counter() - started:.1f} s")
        run_reports(engine, repeats)
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sqlite-db", default=None, help="keep the SQLite database here and reuse it if present")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--postgres", default=None, help="PostgreSQL URL (a private schema is used and dropped)")
    args = parser.parse_args()

    started = time.perf_counter()
    frame = synthetic_events(max(1, int(args.events / 3.15)), seed=7)
    frame = frame.iloc[: args.events]
    print(f"{len(frame):,} synthetic events, {frame['user_id'].nunique():,} users "
          f"(generated in {time.perf_counter() - started:.1f} s)")  # fmt: skip

    if not args.skip_sqlite:
        run_sqlite(frame, args.sqlite_db, args.repeats)

    if args.postgres:
        schema = f"bench_reports_{os.getpid()}"
        admin = make_engine(args.postgres)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        sep = "&" if "?" in args.postgres else "?"
        url = f"{args.postgres}{sep}options=-csearch_path%3D{schema}"
        try:
            migrate(url)
            engine = make_engine(url)
            started = time.perf_counter()
            load_postgres(engine, frame)
            print(f"PostgreSQL {engine.dialect.server_version_info}: loaded in {time.perf_counter() - started:.1f} s")
            run_reports(engine, args.repeats)
            engine.dispose()
        finally:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()


if __name__ == "__main__":
    main()
