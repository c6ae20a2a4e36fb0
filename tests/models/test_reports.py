"""Conversion reports: the SQL against a plain-Python reading of CONTRACTS.md's definitions."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Connection

from models.analytics import charts, reports
from models.analytics.effect import effect_report, fit_grouped
from models.analytics.synthetic import synthetic_events
from store import repository
from store.db import make_engine, make_session_factory, transaction
from store.formats import EVENT_TYPES, events_from_frame


def frame_of(rows: Sequence[tuple[Any, ...]]) -> pd.DataFrame:
    """Events from (event_id, timestamp, user, type, campaign, variant, channel, segment) tuples."""
    cols = ["event_id", "timestamp", "user_id", "event_type", "campaign", "variant", "channel", "segment"]
    raw = pd.DataFrame([tuple("" if v is None else str(v) for v in r) for r in rows], columns=cols)
    raw["item_id"] = ""
    raw["revenue"] = ""
    return events_from_frame(raw, "test")


@pytest.fixture(scope="module")
def synthetic() -> pd.DataFrame:
    return synthetic_events(600, seed=3, days=21)


@pytest.fixture(scope="module")
def conn(synthetic: pd.DataFrame) -> Iterator[Connection]:
    engine = reports.events_database_from_frame(synthetic)
    with engine.connect() as c:
        yield c
    engine.dispose()


def reference_funnel(frame: pd.DataFrame, steps: Sequence[str], by: str | None, since: datetime | None = None,
                     until: datetime | None = None) -> dict[Any, list[int]]:  # fmt: skip
    """Greedy earliest chain per user, written the slow obvious way."""
    f = frame
    if since is not None:
        f = f[f["timestamp"] >= pd.Timestamp(since)]
    if until is not None:
        f = f[f["timestamp"] < pd.Timestamp(until)]
    out: dict[Any, list[int]] = {}
    for _, events in f.sort_values(["timestamp", "event_id"]).groupby("user_id"):
        first = events[events["event_type"] == steps[0]]
        if first.empty:
            continue
        head = first.iloc[0]
        if by in ("day", "week"):
            day = head["timestamp"].date()
            key: Any = (day if by == "day" else day - timedelta(days=day.weekday())).isoformat()
        else:
            key = "all" if by is None else head[by]
        counts = out.setdefault(key, [0] * len(steps))
        counts[0] += 1
        t = head["timestamp"]
        for k, step in enumerate(steps[1:], start=1):
            later = events[(events["event_type"] == step) & (events["timestamp"] >= t)]
            if later.empty:
                break
            t = later["timestamp"].min()
            counts[k] += 1
    return out


@pytest.mark.parametrize("by", [None, "campaign", "variant", "channel", "segment", "day", "week"])
def test_funnel_matches_the_definition_for_every_dimension(conn: Connection, synthetic: pd.DataFrame,
                                                            by: str | None) -> None:  # fmt: skip
    report = reports.funnel_report(conn, by=by)
    got = {g["group"]: g["reached"] for g in report["groups"]}
    assert got == reference_funnel(synthetic, EVENT_TYPES, by)
    assert report["total"]["reached"][0] == synthetic["user_id"].nunique()


def test_funnel_with_chosen_steps_and_window(conn: Connection, synthetic: pd.DataFrame) -> None:
    steps = ("exposure", "course_purchase", "policy_purchase")
    window = reports.parse_window("2026-01-04", "2026-01-12")
    report = reports.funnel_report(conn, steps=",".join(steps), by="channel", window=window)
    expected = reference_funnel(synthetic, steps, "channel", window.since, window.until)
    assert {g["group"]: g["reached"] for g in report["groups"]} == expected
    for g in report["groups"]:
        n = g["reached"]
        assert g["step_rates"][0] == 1.0
        assert g["step_rates"][1] == pytest.approx(n[1] / n[0])
        assert g["overall_rate"] == pytest.approx(n[-1] / n[0])


def test_order_window_and_attribution_rules() -> None:
    t = datetime(2026, 3, 2, 12, 0)
    rows = [
        # u1: click before exposure does not count; second exposure (B) is later, attribution to A.
        ("e1", t, "u1", "click", None, None, None, None),
        ("e2", t + timedelta(minutes=1), "u1", "exposure", "camp", "A", "sms", "s1"),
        ("e3", t + timedelta(minutes=2), "u1", "exposure", "camp", "B", "app", "s1"),
        # u2: click at the same second as the exposure counts (non-decreasing timestamps).
        ("e4", t, "u2", "exposure", "camp", "B", "app", "s2"),
        ("e5", t, "u2", "click", None, None, None, None),
        # u3: click after the window's end does not count.
        ("e6", t, "u3", "exposure", "camp", "B", "app", "s2"),
        ("e7", t + timedelta(days=5), "u3", "click", None, None, None, None),
    ]
    engine = reports.events_database_from_frame(frame_of(rows))
    with engine.connect() as c:
        window = reports.parse_window("2026-03-01", "2026-03-03")
        report = reports.funnel_report(c, steps="exposure,click", by="variant", window=window)
    assert {g["group"]: g["reached"] for g in report["groups"]} == {"A": [1, 0], "B": [2, 1]}


def test_bad_options_name_the_valid_values() -> None:
    with pytest.raises(ValueError, match="valid steps"):
        reports.parse_steps("exposure,signup")
    with pytest.raises(ValueError, match="funnel order"):
        reports.parse_steps("click,exposure")
    with pytest.raises(ValueError, match="valid: campaign"):
        reports.parse_dimension("country")
    with pytest.raises(ValueError, match="ISO 8601"):
        reports.parse_window("last week", None)


def test_cross_conversion_counts_and_rates() -> None:
    t = datetime(2026, 3, 2)
    rows = [(f"x{i}", t, f"u{i}", "exposure", "c", "A", "sms", "s") for i in range(10)]
    rows += [(f"u{i}c", t, f"u{i}", "course_purchase", None, None, None, None) for i in range(4)]
    rows += [(f"u{i}p", t, f"u{i}", "policy_purchase", None, None, None, None) for i in (2, 3, 4)]
    engine = reports.events_database_from_frame(frame_of(rows))
    with engine.connect() as c:
        r = reports.cross_report(c)
    assert (r["E"], r["U"], r["C"], r["X"]) == (10, 4, 3, 2)
    assert r["R_U"] == pytest.approx(0.4) and r["R_C"] == pytest.approx(0.3)
    assert r["X_over_U"] == pytest.approx(0.5) and r["X_over_C"] == pytest.approx(2 / 3)
    assert r["R_UC"] == pytest.approx(0.5 * 0.4 + (2 / 3) * 0.3)


def test_ab_verdict_statistics(conn: Connection, synthetic: pd.DataFrame) -> None:
    from scipy.stats import chisquare
    from statsmodels.stats.proportion import proportion_confint, proportions_ztest

    report = reports.ab_report(conn, campaign="spring_ci")
    assert report["control"] == "A" and [v["variant"] for v in report["variants"]] == ["A", "B"]
    expected = reference_funnel(
        synthetic[synthetic["campaign"] == "spring_ci"], ("exposure", "policy_purchase"), "variant"
    )
    a, b = report["variants"]
    assert [a["n"], a["x"]] == expected["A"] and [b["n"], b["x"]] == expected["B"]
    low, high = proportion_confint(b["x"], b["n"], method="wilson")
    assert (b["ci_low"], b["ci_high"]) == pytest.approx((low, high))
    assert b["diff"] == pytest.approx(b["x"] / b["n"] - a["x"] / a["n"])
    assert b["p_value"] == pytest.approx(proportions_ztest([b["x"], a["x"]], [b["n"], a["n"]])[1])
    assert a["diff"] is None and a["p_value"] is None
    assert report["srm_p_value"] == pytest.approx(chisquare([a["n"], b["n"]]).pvalue)
    assert report["verdict"].startswith("B converts")


def test_ab_verdict_wording_and_srm_alarm() -> None:
    t = datetime(2026, 3, 2)
    rows = []
    for i in range(3000):  # A: 1000 users, 5% convert; B: 2000 users, 10% convert → significant, unbalanced
        variant = "A" if i < 1000 else "B"
        rows.append((f"e{i}", t, f"u{i}", "exposure", "camp", variant, "sms", "s"))
        converts = (i % 20 == 0) if variant == "A" else (i % 10 == 0)
        if converts:
            rows.append((f"p{i}", t + timedelta(hours=1), f"u{i}", "policy_purchase", None, None, None, None))
    engine = reports.events_database_from_frame(frame_of(rows))
    with engine.connect() as c:
        r = reports.ab_report(c, campaign="camp")
        with pytest.raises(ValueError, match="variants of camp: A, B"):
            reports.ab_report(c, campaign="camp", control="Z")
        with pytest.raises(ValueError, match="campaigns with exposures: camp"):
            reports.ab_report(c, campaign="nope")
    assert r["verdict"].startswith("B converts 5.0 points better than A, p < 0.001")
    assert "unbalanced" in r["verdict"]


def test_stored_events_give_the_same_reports_as_the_csv(database_url: str, synthetic: pd.DataFrame,
                                                        conn: Connection) -> None:  # fmt: skip
    engine = make_engine(database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            repository.ingest_events(session, synthetic)
        window = reports.parse_window("2026-01-03", "2026-01-15")
        with engine.connect() as stored:
            for by in ("variant", "week"):
                assert reports.funnel_report(stored, by=by, window=window) == reports.funnel_report(
                    conn, by=by, window=window
                )
            assert reports.cross_report(stored) == reports.cross_report(conn)
            assert reports.ab_report(stored, campaign="kids_edu") == reports.ab_report(conn, campaign="kids_edu")
    finally:
        engine.dispose()


def test_csv_export_and_charts(conn: Connection) -> None:
    funnel = reports.funnel_report(conn, by="campaign")
    table = reports.report_table("funnel", funnel)
    assert len(table) == (len(funnel["groups"]) + 1) * len(funnel["steps"])
    assert reports.to_csv("funnel", funnel).startswith("group,step,reached,step_rate,overall_rate\n")
    ab = reports.ab_report(conn, campaign="spring_ci")
    assert list(reports.report_table("ab", ab)["variant"]) == ["A", "B"]
    assert charts.funnel_chart(funnel).startswith(b"\x89PNG")
    series = reports.ab_timeseries(conn, campaign="spring_ci")
    assert set(series["rates"]) == {"A", "B"} and len(series["rates"]["A"]) == len(series["dates"])
    assert charts.timeseries_chart(series).startswith(b"\x89PNG")
    cross_series = reports.cross_timeseries(conn)
    assert sum(cross_series["series"]["E"]) >= reports.cross_report(conn)["E"]
    assert charts.timeseries_chart(cross_series).startswith(b"\x89PNG")


def test_effect_fit_equals_user_level_ols(conn: Connection) -> None:
    import statsmodels.api as sm

    report = effect_report(conn, min_users=30)
    assert report["fits"] and all(math.isfinite(f["coefficients"]["M"]) for f in report["fits"])
    # Grouped sufficient statistics must reproduce the user-level regression exactly.
    rng = np.random.default_rng(0)
    cells = pd.DataFrame({"m": rng.integers(1, 5, 40), "i": rng.integers(0, 2, 40), "f": rng.integers(0, 3, 40),
                          "users": rng.integers(1, 30, 40)})  # fmt: skip
    cells["converted"] = [int(rng.integers(0, u + 1)) for u in cells["users"]]
    cells = cells.astype(float)
    fit = fit_grouped(cells)
    assert fit is not None
    X, y = [], []
    for row in cells.itertuples():
        for k in range(int(row.users)):
            X.append([1.0, row.i, row.f, row.m])
            y.append(1.0 if k < row.converted else 0.0)
    ols = sm.OLS(np.array(y), np.array(X)).fit(cov_type="HC1")
    assert list(fit["coefficients"].values()) == pytest.approx(list(ols.params), rel=1e-9, abs=1e-12)
    assert list(fit["std_errors"].values()) == pytest.approx(list(ols.bse), rel=1e-9)
    assert fit["r2"] == pytest.approx(ols.rsquared, rel=1e-9)


def test_effect_model_finds_the_contact_effect() -> None:
    # 4,000 users where each extra contact adds exactly 3 points of conversion, nothing else matters.
    rng = np.random.default_rng(1)
    t = datetime(2026, 3, 2)
    rows = []
    for u in range(4000):
        m = int(rng.integers(1, 6))
        rows += [(f"e{u}_{k}", t + timedelta(minutes=k), f"u{u}", "exposure", "camp", "A", "sms", "s")
                 for k in range(m)]  # fmt: skip
        if rng.random() < 0.05 + 0.03 * m:
            rows.append((f"p{u}", t + timedelta(hours=2), f"u{u}", "policy_purchase", None, None, None, None))
    engine = reports.events_database_from_frame(frame_of(rows))
    with engine.connect() as c:
        report = effect_report(c)
    fit = next(f for f in report["fits"] if f["segment"] == "all")
    assert fit["coefficients"]["M"] == pytest.approx(0.03, abs=0.01)
    assert "one more contact per user adds" in fit["reading"]
