"""Conversion reports (CONTRACTS.md, "Metric definitions") computed in SQL on the events table.

Funnel attribution, chosen and documented here because the contract leaves it open: for each user we take
their *earliest* first-step event inside the window (ties broken by event_id), then greedily the earliest
step-2 event at or after it, the earliest step-3 event at or after that, and so on. Greedy-earliest is
both the simplest faithful reading and the one that leads furthest: any valid chain that starts from a
later first-step event can be re-anchored at the earliest one, so no user is undercounted. The user is
attributed to the campaign, variant, channel and segment of that earliest first-step event, and `day` /
`week` (ISO week, starting Monday, UTC) are those of its timestamp.

The A/B verdict uses the same machinery with steps (exposure, target) restricted to the campaign's
exposures: n = users whose earliest exposure in the campaign falls in the window, attributed to that
exposure's variant; x = those with a target event at or after it inside the window (the target event
need not carry the campaign tag: purchases are often logged without one).

Windows: `since` is inclusive, `until` exclusive; a bare date for `until` means "through that day".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Connection, DateTime, Engine, String, bindparam, create_engine, text
from sqlalchemy.pool import StaticPool

from models.errors import ModelInputError
from store.formats import EVENT_TYPES
from store.tables import Event

DIMENSIONS = ("campaign", "variant", "channel", "segment", "day", "week")
ATTRIBUTES = ("campaign", "variant", "channel", "segment")
DEFAULT_TARGET = "policy_purchase"
SRM_ALPHA = 0.001  # the usual threshold for a sample-ratio mismatch (it is a data-quality alarm, not a test)


class ReportInputError(ModelInputError):
    """A bad report request: unknown step, dimension, campaign or variant, or a bad date."""


# ----------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True, slots=True)
class Window:
    """A report window in UTC: `since` inclusive, `until` exclusive (None = open)."""

    since: datetime | None = None
    until: datetime | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "since": None if self.since is None else self.since.isoformat(),
            "until": None if self.until is None else self.until.isoformat(),
        }


def parse_window(since: str | date | datetime | None, until: str | date | datetime | None) -> Window:
    """Parses ISO dates or datetimes; a date-only `until` includes that whole day."""
    start = _parse_bound(since, "since", end=False)
    end = _parse_bound(until, "until", end=True)
    if start is not None and end is not None and end <= start:
        raise ReportInputError(f"--until ({end.isoformat()}) must be after --since ({start.isoformat()})")
    return Window(start, end)


def _parse_bound(value: str | date | datetime | None, name: str, *, end: bool) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value + timedelta(days=1) if end else value, time(), tzinfo=UTC)
    else:
        raw = value.strip()
        try:
            if len(raw) == 10:
                day = date.fromisoformat(raw)
                parsed = datetime.combine(day + timedelta(days=1) if end else day, time(), tzinfo=UTC)
            else:
                parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError as e:
            raise ReportInputError(f"{name}: '{value}' is not an ISO 8601 date or datetime") from e
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_steps(steps: str | Sequence[str] | None) -> tuple[str, ...]:
    """A subsequence of the funnel order; the default is the whole funnel."""
    if steps is None or steps == "":
        return EVENT_TYPES
    parts = [s.strip() for s in steps.split(",")] if isinstance(steps, str) else [s.strip() for s in steps]
    parts = [p for p in parts if p]
    unknown = [p for p in parts if p not in EVENT_TYPES]
    if unknown:
        raise ReportInputError(f"unknown step '{unknown[0]}'; valid steps: {', '.join(EVENT_TYPES)}")
    order = [EVENT_TYPES.index(p) for p in parts]
    if len(parts) < 2 or order != sorted(set(order)):
        raise ReportInputError("steps must be at least two distinct steps in funnel order: " + " → ".join(EVENT_TYPES))
    return tuple(parts)


def parse_dimension(by: str | None) -> str | None:
    if by is None or by in ("", "all"):
        return None
    if by not in DIMENSIONS:
        raise ReportInputError(f"unknown dimension '{by}'; valid: {', '.join(DIMENSIONS)}")
    return by


# ----------------------------------------------------------------------------------------------
# Databases


def events_database_from_frame(frame: pd.DataFrame) -> Engine:
    """An in-memory SQLite database holding a validated events frame (`store.formats.read_events`).

    Why SQLite and not pandas or DuckDB: the reports then run the very same SQL as on the stored table
    (one code path, one set of tests), sqlite3 ships with Python (DuckDB is not a dependency), and
    loading 200k events takes about a second.
    """
    engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    table = Event.__table__
    indexes = list(table.indexes)  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=OFF")
    # Indexes are built after the bulk insert (several times faster than maintaining them row by row).
    table.create(engine)  # type: ignore[attr-defined]
    with engine.begin() as conn:
        for index in indexes:
            index.drop(conn)
    # The same text format SQLAlchemy's SQLite DateTime type writes, so comparisons and date() agree.
    stamps = frame["timestamp"].dt.tz_convert("UTC").dt.strftime("%Y-%m-%d %H:%M:%S.%f")
    revenue = frame["revenue"].astype(object).where(frame["revenue"].notna(), None)
    columns = ("user_id", "event_type", "campaign", "variant", "channel", "segment", "item_id")
    rows = list(
        zip(frame["event_id"], stamps, *(frame[c].astype(object).where(frame[c].notna(), None) for c in columns),
            revenue, strict=True)
    )  # fmt: skip
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO events (event_id, timestamp, user_id, event_type, campaign, variant, channel, "
            "segment, item_id, revenue) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        for index in indexes:
            index.create(conn)
        conn.exec_driver_sql("ANALYZE")
    return engine


# ----------------------------------------------------------------------------------------------
# SQL building blocks


def _dialect(conn: Connection) -> str:
    return conn.dialect.name


def _period_sql(dialect: str, column: str, dim: str) -> str:
    """`day` / `week` (Monday) of a timestamp column as 'YYYY-MM-DD' text, in UTC."""
    if dialect == "sqlite":
        return f"date({column})" if dim == "day" else f"date({column}, 'weekday 0', '-6 days')"
    if dialect == "postgresql":
        unit = "day" if dim == "day" else "week"
        return f"to_char(date_trunc('{unit}', {column} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')"
    raise ReportInputError(f"reports support SQLite and PostgreSQL, not {dialect}")


def _window_sql(alias: str, window: Window) -> str:
    parts = []
    if window.since is not None:
        parts.append(f" AND {alias}.timestamp >= :since")
    if window.until is not None:
        parts.append(f" AND {alias}.timestamp < :until")
    return "".join(parts)


def _params(window: Window, **extra: Any) -> tuple[dict[str, Any], list[Any]]:
    params: dict[str, Any] = dict(extra)
    binds: list[Any] = []
    if window.since is not None:
        params["since"] = window.since
        binds.append(bindparam("since", type_=DateTime(timezone=True)))
    if window.until is not None:
        params["until"] = window.until
        binds.append(bindparam("until", type_=DateTime(timezone=True)))
    for key in extra:
        binds.append(bindparam(key, type_=String()))
    return params, binds


def funnel_rows(
    conn: Connection,
    *,
    steps: Sequence[str],
    dims: Sequence[str] = (),
    window: Window = Window(),
    campaign: str | None = None,
) -> list[tuple[tuple[Any, ...], list[int]]]:
    """Reached counts per step for each combination of `dims`, aggregated in the database.

    Returns [(group values, [reached step 1, reached step 2, …])], sorted by group (nulls first).
    """
    dialect = _dialect(conn)
    win = _window_sql("e", window)
    only_campaign = " AND e.campaign = :campaign" if campaign is not None else ""
    first_where = f"WHERE e.event_type = :step0 AND e.user_id IS NOT NULL{win}{only_campaign}"
    if dialect == "sqlite":
        # SQLite documents that bare columns next to MIN() come from the row holding the minimum.
        first = (
            "SELECT e.user_id, MIN(e.timestamp) AS t0, e.campaign, e.variant, e.channel, e.segment "
            f"FROM events e {first_where} GROUP BY e.user_id"
        )
    else:
        first = (
            "SELECT DISTINCT ON (e.user_id) e.user_id, e.timestamp AS t0, e.campaign, e.variant, e.channel, "
            f"e.segment FROM events e {first_where} ORDER BY e.user_id, e.timestamp, e.event_id"
        )
    ctes = [f"r0 AS MATERIALIZED ({first})"]
    if dialect == "sqlite":
        carried = "user_id, t0, campaign, variant, channel, segment"
        for k in range(1, len(steps)):
            # One covering-index seek per user: the earliest step-k event at or after the user's step-(k-1)
            # time; NULL propagates (timestamp >= NULL is never true).
            ctes.append(
                f"r{k} AS MATERIALIZED (SELECT {carried}, (SELECT MIN(e.timestamp) FROM events e "
                f"WHERE e.user_id = p.user_id AND e.event_type = :step{k} AND e.timestamp >= p.t{k - 1}{win}) "
                f"AS t{k} FROM r{k - 1} p)"
            )
            carried += f", t{k}"
        source = f"r{len(steps) - 1}"
    else:
        # PostgreSQL: hash joins of the users still in the funnel with that step's events, then MIN per user.
        for k in range(1, len(steps)):
            ctes.append(
                f"r{k} AS MATERIALIZED (SELECT p.user_id, MIN(e.timestamp) AS t{k} FROM r{k - 1} p "
                f"JOIN events e ON e.user_id = p.user_id AND e.timestamp >= p.t{k - 1} "
                f"WHERE e.event_type = :step{k}{win} GROUP BY p.user_id)"
            )
        source = "r0" + "".join(f" LEFT JOIN r{k} USING (user_id)" for k in range(1, len(steps)))
    group_exprs = [_period_sql(dialect, "t0", d) if d in ("day", "week") else d for d in dims]
    select_groups = "".join(f"{g} AS g{i}, " for i, g in enumerate(group_exprs))
    counts = ", ".join(f"COUNT(t{k}) AS n{k}" for k in range(len(steps)))
    sql = f"WITH {', '.join(ctes)} SELECT {select_groups}{counts} FROM {source}"
    if dims:
        positions = ", ".join(str(i + 1) for i in range(len(dims)))
        sql += f" GROUP BY {positions} ORDER BY {positions}"
    extra = {f"step{k}": s for k, s in enumerate(steps)}
    if campaign is not None:
        extra["campaign"] = campaign
    params, binds = _params(window, **extra)
    result = conn.execute(text(sql).bindparams(*binds), params)
    rows = []
    for row in result:
        values = tuple(row[: len(dims)])
        reached = [int(v) for v in row[len(dims) :]]
        if reached[0] > 0:
            rows.append((values, reached))
    return rows


def _rates(reached: Sequence[int]) -> tuple[list[float | None], float | None]:
    step_rates: list[float | None] = [1.0]
    for prev, cur in zip(reached, reached[1:], strict=False):
        step_rates.append(cur / prev if prev else None)
    overall = reached[-1] / reached[0] if reached[0] else None
    return step_rates, overall


def _group_entry(group: Any, reached: list[int]) -> dict[str, Any]:
    step_rates, overall = _rates(reached)
    return {"group": group, "reached": reached, "step_rates": step_rates, "overall_rate": overall}


# ----------------------------------------------------------------------------------------------
# Reports


def funnel_report(
    conn: Connection,
    *,
    steps: str | Sequence[str] | None = None,
    by: str | None = None,
    window: Window = Window(),
    campaign: str | None = None,
) -> dict[str, Any]:
    """`report funnel`: one row per group with reached counts, step rates and the overall rate.

    `total` is the same figures over all groups (each user is attributed to exactly one group).
    """
    chosen = parse_steps(steps)
    dim = parse_dimension(by)
    rows = funnel_rows(conn, steps=chosen, dims=(dim,) if dim else (), window=window, campaign=campaign)
    total = [sum(r[1][k] for r in rows) for k in range(len(chosen))]
    groups = [_group_entry(values[0] if dim else "all", reached) for values, reached in rows]
    return {
        "steps": list(chosen),
        "by": dim or "all",
        **window.as_dict(),
        "campaign": campaign,
        "groups": groups,
        "total": _group_entry("all", total),
    }


def cross_rows(conn: Connection, *, window: Window = Window(), by_day: bool = False) -> list[tuple[Any, ...]]:
    """(day?, |E|, |U|, |C|, |X|) counted as distinct users in the database."""
    win = _window_sql("e", window)
    params, binds = _params(window)
    if not by_day:
        # Each count is a range of the covering funnel index; X is the intersection of two of them.
        def users(kind: str) -> str:
            return (
                f"SELECT DISTINCT e.user_id FROM events e WHERE e.event_type = '{kind}' AND e.user_id IS NOT NULL{win}"
            )

        sql = (
            f"SELECT (SELECT COUNT(*) FROM ({users('exposure')}) a), "
            f"(SELECT COUNT(*) FROM ({users('course_purchase')}) b), "
            f"(SELECT COUNT(*) FROM ({users('policy_purchase')}) c), "
            f"(SELECT COUNT(*) FROM ({users('course_purchase')} INTERSECT {users('policy_purchase')}) x)"
        )
        return [tuple(row) for row in conn.execute(text(sql).bindparams(*binds), params)]
    day = _period_sql(_dialect(conn), "e.timestamp", "day")
    sql = (
        f"WITH per_user AS (SELECT {day} AS d, e.user_id, "
        "MAX(CASE WHEN e.event_type = 'exposure' THEN 1 ELSE 0 END) AS ue, "
        "MAX(CASE WHEN e.event_type = 'course_purchase' THEN 1 ELSE 0 END) AS uu, "
        "MAX(CASE WHEN e.event_type = 'policy_purchase' THEN 1 ELSE 0 END) AS uc "
        "FROM events e WHERE e.user_id IS NOT NULL "
        f"AND e.event_type IN ('exposure', 'course_purchase', 'policy_purchase'){win} GROUP BY 1, e.user_id) "
        "SELECT d, SUM(ue), SUM(uu), SUM(uc), SUM(uu * uc) FROM per_user GROUP BY d ORDER BY d"
    )
    return [tuple(row) for row in conn.execute(text(sql).bindparams(*binds), params)]


def cross_figures(e: int, u: int, c: int, x: int) -> dict[str, Any]:
    """The partnership model's figures from the four counts (rates are null where undefined)."""
    r_u = u / e if e else None
    r_c = c / e if e else None
    x_over_u = x / u if u else None
    x_over_c = x / c if c else None
    r_uc = None
    if e:
        r_uc = (x_over_u or 0.0) * (r_u or 0.0) + (x_over_c or 0.0) * (r_c or 0.0)
    return {"E": e, "U": u, "C": c, "X": x, "R_U": r_u, "R_C": r_c, "R_UC": r_uc,
            "X_over_U": x_over_u, "X_over_C": x_over_c}  # fmt: skip


def cross_report(conn: Connection, *, window: Window = Window()) -> dict[str, Any]:
    """`report cross`: E, U, C, X (distinct users in the window) and the derived rates."""
    e, u, c, x = (int(v) for v in cross_rows(conn, window=window)[0])
    return {**cross_figures(e, u, c, x), **window.as_dict()}


def wilson_interval(x: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(x, n, alpha=alpha, method="wilson")
    return float(low), float(high)


def two_proportion_p_value(x1: int, n1: int, x0: int, n0: int) -> float | None:
    """Two-sided pooled z-test; None when undefined (both rates 0 or both 1)."""
    from statsmodels.stats.proportion import proportions_ztest

    pooled = (x1 + x0) / (n1 + n0)
    if pooled in (0.0, 1.0):
        return None
    _, p = proportions_ztest([x1, x0], [n1, n0], alternative="two-sided")
    return float(p)


def srm_p_value(counts: Sequence[int]) -> float | None:
    """Chi-square p-value of the observed split against an equal split (None with one variant)."""
    from scipy.stats import chisquare

    if len(counts) < 2 or sum(counts) == 0:
        return None
    return float(chisquare(list(counts)).pvalue)


def format_p(p: float | None) -> str:
    if p is None:
        return "p undefined"
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.1 else f"p = {p:.2f}"


def ab_report(
    conn: Connection,
    *,
    campaign: str,
    target: str = DEFAULT_TARGET,
    control: str | None = None,
    window: Window = Window(),
    alpha: float = 0.05,
) -> dict[str, Any]:
    """`report ab`: per variant n, x, rate with a Wilson interval; difference and z-test vs control; SRM."""
    if target not in EVENT_TYPES[1:]:
        raise ReportInputError(f"unknown target '{target}'; valid targets: {', '.join(EVENT_TYPES[1:])}")
    rows = funnel_rows(conn, steps=("exposure", target), dims=("variant",), window=window, campaign=campaign)
    unassigned = sum(r[1][0] for r in rows if r[0][0] is None)
    rows = [r for r in rows if r[0][0] is not None]
    if not rows:
        known = [str(r[0]) for r in conn.execute(
            text("SELECT DISTINCT campaign FROM events WHERE campaign IS NOT NULL AND event_type = 'exposure' "
                 "ORDER BY 1 LIMIT 50"))]  # fmt: skip
        raise ReportInputError(
            f"campaign '{campaign}' has no exposures with a variant in the window; "
            f"campaigns with exposures: {', '.join(known) or 'none'}"
        )
    names = [str(r[0][0]) for r in rows]
    if control is None:
        control = names[0]
    if control not in names:
        raise ReportInputError(f"unknown control variant '{control}'; variants of {campaign}: {', '.join(names)}")
    counts = {str(r[0][0]): (r[1][0], r[1][1]) for r in rows}
    n0, x0 = counts[control]
    rate0 = x0 / n0
    variants = []
    for name in names:
        n, x = counts[name]
        low, high = wilson_interval(x, n, 1 - 0.95)
        is_control = name == control
        variants.append(
            {"variant": name, "n": n, "x": x, "rate": x / n, "ci_low": low, "ci_high": high,
             "diff": None if is_control else x / n - rate0,
             "p_value": None if is_control else two_proportion_p_value(x, n, x0, n0)}
        )  # fmt: skip
    srm = srm_p_value([counts[n][0] for n in names])
    return {
        "campaign": campaign,
        "target": target,
        "control": control,
        "variants": variants,
        "srm_p_value": srm,
        "unassigned_users": unassigned,
        **window.as_dict(),
        "verdict": ab_verdict(variants, control=control, srm_p=srm, alpha=alpha),
    }


def ab_verdict(variants: Sequence[dict[str, Any]], *, control: str, srm_p: float | None, alpha: float) -> str:
    """One plain-language line: the best challenger against control, its p-value, and the split."""
    challengers = [v for v in variants if v["variant"] != control]
    if not challengers:
        return f"only one variant ({control}) was exposed; nothing to compare"
    best = max(challengers, key=lambda v: (v["rate"], v["variant"]))
    points = abs(best["diff"]) * 100
    if points < 0.05:
        head = f"{best['variant']} converts the same as {control} ({best['rate']:.1%})"
    else:
        word = "better" if best["diff"] > 0 else "worse"
        head = f"{best['variant']} converts {points:.1f} points {word} than {control}"
    p = best["p_value"]
    significance = "" if p is not None and p < alpha else f", not significant at {alpha:.0%}"
    if len(challengers) > 1:
        significance += f" (best of {len(challengers)} challengers; no multiple-comparison correction)"
    if srm_p is None:
        split = ""
    elif srm_p < SRM_ALPHA:
        split = f"; the split is unbalanced (SRM {format_p(srm_p)}): check the assignment before trusting this"
    else:
        split = "; the split is balanced"
    return f"{head}, {format_p(p)}{significance}{split}"


# ----------------------------------------------------------------------------------------------
# Time series (for the charts)


def funnel_timeseries(
    conn: Connection, *, steps: str | Sequence[str] | None = None, window: Window = Window(),
    campaign: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Users reaching each step, by the day of their first-step event."""
    chosen = parse_steps(steps)
    rows = funnel_rows(conn, steps=chosen, dims=("day",), window=window, campaign=campaign)
    return {
        "title": "funnel by day of first step",
        "dates": [str(r[0][0]) for r in rows],
        "series": {step: [r[1][k] for r in rows] for k, step in enumerate(chosen)},
    }


def cross_timeseries(conn: Connection, *, window: Window = Window()) -> dict[str, Any]:
    """Daily E, U, C, X (distinct users per day) and R_UC per day."""
    rows = cross_rows(conn, window=window, by_day=True)
    return {
        "title": "cross-conversion by day",
        "dates": [str(r[0]) for r in rows],
        "series": {
            "E": [int(r[1]) for r in rows], "U": [int(r[2]) for r in rows],
            "C": [int(r[3]) for r in rows], "X": [int(r[4]) for r in rows],
        },
        "rates": {"R_UC": [cross_figures(*(int(v) for v in r[1:]))["R_UC"] for r in rows]},
    }  # fmt: skip


def ab_timeseries(
    conn: Connection, *, campaign: str, target: str = DEFAULT_TARGET, window: Window = Window()
) -> dict[str, Any]:
    """Cumulative conversion rate per variant by day of first exposure (how the verdict settled)."""
    rows = funnel_rows(conn, steps=("exposure", target), dims=("variant", "day"), window=window, campaign=campaign)
    dates = sorted({str(r[0][1]) for r in rows if r[0][0] is not None})
    by_variant: dict[str, dict[str, tuple[int, int]]] = {}
    for (variant, day), (n, x) in rows:
        if variant is not None:
            by_variant.setdefault(str(variant), {})[str(day)] = (n, x)
    rates: dict[str, list[float | None]] = {}
    for variant, days in sorted(by_variant.items()):
        n_sum = x_sum = 0
        series: list[float | None] = []
        for d in dates:
            n, x = days.get(d, (0, 0))
            n_sum, x_sum = n_sum + n, x_sum + x
            series.append(x_sum / n_sum if n_sum else None)
        rates[variant] = series
    return {"title": f"{campaign}: cumulative {target} rate by variant", "dates": dates, "series": {}, "rates": rates}


# ----------------------------------------------------------------------------------------------
# Tables for CSV export


def report_table(kind: str, report: dict[str, Any]) -> pd.DataFrame:
    """The report as a flat table (what the CSV export writes)."""
    if kind == "funnel":
        records = []
        for g in [*report["groups"], report.get("total")]:
            if g is None:
                continue
            for k, step in enumerate(report["steps"]):
                records.append({"group": g["group"], "step": step, "reached": g["reached"][k],
                                "step_rate": g["step_rates"][k], "overall_rate": g["overall_rate"]})  # fmt: skip
        return pd.DataFrame(records, columns=["group", "step", "reached", "step_rate", "overall_rate"])
    if kind == "cross":
        keys = ("E", "U", "C", "X", "R_U", "R_C", "R_UC", "X_over_U", "X_over_C")
        return pd.DataFrame([{k: report[k] for k in keys}], columns=list(keys))
    if kind == "ab":
        frame = pd.DataFrame(report["variants"])
        frame.insert(0, "campaign", report.get("campaign"))
        frame["target"] = report["target"]
        frame["srm_p_value"] = report["srm_p_value"]
        return frame
    if kind == "timeseries":
        data: dict[str, Any] = {"date": report["dates"], **report.get("series", {}), **report.get("rates", {})}
        return pd.DataFrame(data)
    raise ReportInputError(f"unknown table '{kind}'; valid: funnel, cross, ab, timeseries")


def to_csv(kind: str, report: dict[str, Any]) -> str:
    return str(report_table(kind, report).to_csv(index=False, lineterminator="\n"))


def is_finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)
