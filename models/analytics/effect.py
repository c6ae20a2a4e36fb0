"""The partnership model's campaign effect E = a·I + b·F + c·M (+ a baseline), per campaign and segment.

Definitions (per user and campaign, everything inside the report window):
- M, marketing intensity: the number of the campaign's exposures the user received (contacts per user);
- I, interest in courses: the user's `course_purchase` events;
- F, interest in insurance/finance: the user's `insurance_lead` events;
- E, the campaign effect: 1 if the user has a target event (default `policy_purchase`) at or after their
  first exposure in the campaign, else 0.
The user's segment is the one on their exposures. The fit is ordinary least squares *at user level*
(a linear probability model, with an intercept for the baseline rate), computed from sufficient statistics
that the database aggregates: users are grouped by (campaign, segment, M, I, F) with their count and
conversions, which reproduces the user-level coefficients, R² and heteroskedasticity-robust (HC1) standard
errors exactly while only a few hundred rows leave the database. These are associations, not causal
effects: users who got more contacts may differ in other ways.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from sqlalchemy import Connection, text

from models.analytics.reports import ReportInputError, Window, _params, _window_sql
from store.formats import EVENT_TYPES

TERMS = ("intercept", "I", "F", "M")


def effect_cells(conn: Connection, *, target: str = "policy_purchase", window: Window = Window()) -> pd.DataFrame:
    """Grouped sufficient statistics: campaign, segment, m, i, f, users, converted."""
    if target not in EVENT_TYPES[1:]:
        raise ReportInputError(f"unknown target '{target}'; valid targets: {', '.join(EVENT_TYPES[1:])}")
    win = _window_sql("e", window)
    sql = (
        "WITH exposed AS (SELECT e.user_id, e.campaign, MIN(e.segment) AS segment, COUNT(*) AS m, "
        "MIN(e.timestamp) AS t0 FROM events e WHERE e.event_type = 'exposure' AND e.campaign IS NOT NULL "
        f"AND e.user_id IS NOT NULL{win} GROUP BY e.user_id, e.campaign), "
        "interest AS (SELECT e.user_id, "
        "SUM(CASE WHEN e.event_type = 'course_purchase' THEN 1 ELSE 0 END) AS i, "
        "SUM(CASE WHEN e.event_type = 'insurance_lead' THEN 1 ELSE 0 END) AS f "
        "FROM events e WHERE e.event_type IN ('course_purchase', 'insurance_lead') "
        f"AND e.user_id IS NOT NULL{win} GROUP BY e.user_id), "
        "per_user AS (SELECT x.campaign, x.segment, x.m, COALESCE(a.i, 0) AS i, COALESCE(a.f, 0) AS f, "
        "CASE WHEN EXISTS (SELECT 1 FROM events e WHERE e.event_type = :target AND e.user_id = x.user_id "
        f"AND e.timestamp >= x.t0{win}) THEN 1 ELSE 0 END AS y "
        "FROM exposed x LEFT JOIN interest a ON a.user_id = x.user_id) "
        "SELECT campaign, segment, m, i, f, COUNT(*) AS users, SUM(y) AS converted FROM per_user "
        "GROUP BY campaign, segment, m, i, f ORDER BY campaign, segment, m, i, f"
    )
    params, binds = _params(window, target=target)
    rows = conn.execute(text(sql).bindparams(*binds), params).all()
    frame = pd.DataFrame(rows, columns=["campaign", "segment", "m", "i", "f", "users", "converted"])
    for column in ("m", "i", "f", "users", "converted"):
        frame[column] = frame[column].astype(float)
    return frame


def fit_grouped(cells: pd.DataFrame) -> dict[str, Any] | None:
    """User-level OLS of y on [1, I, F, M] from grouped counts; a regressor without variation is dropped
    (its coefficient is null). None when nothing varies or there are too few users."""
    n_g = cells["users"].to_numpy()
    s_g = cells["converted"].to_numpy()
    full = np.column_stack([np.ones(len(cells)), cells["i"].to_numpy(), cells["f"].to_numpy(), cells["m"].to_numpy()])
    varies = [True] + [bool(np.ptp(full[n_g > 0, j]) > 0) for j in range(1, 4)] if len(cells) else [True] * 4
    keep = [j for j in range(4) if varies[j]]
    X = full[:, keep]
    N = n_g.sum()
    p = X.shape[1]
    XtWX = X.T @ (X * n_g[:, None])
    if p < 2 or N <= p or np.linalg.matrix_rank(XtWX) < p:
        return None
    XtWy = X.T @ s_g
    beta = np.linalg.solve(XtWX, XtWy)
    fitted = X @ beta
    # Each group holds s users with y = 1 and n − s with y = 0, all with the same fitted value.
    sq_resid = s_g * (1 - fitted) ** 2 + (n_g - s_g) * fitted**2
    ssr = float(sq_resid.sum())
    sst = float(s_g.sum() - s_g.sum() ** 2 / N)
    r2 = 1 - ssr / sst if sst > 0 else float("nan")
    bread = np.linalg.inv(XtWX)
    meat = X.T @ (X * sq_resid[:, None])
    cov = bread @ meat @ bread * N / (N - p)  # HC1
    se = np.sqrt(np.clip(np.diag(cov), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(se > 0, beta / se, np.nan)
    pvalues = 2 * stats.t.sf(np.abs(t), df=N - p)
    coefficients: dict[str, float | None] = dict.fromkeys(TERMS)
    std_errors: dict[str, float | None] = dict.fromkeys(TERMS)
    p_values: dict[str, float | None] = dict.fromkeys(TERMS)
    for pos, j in enumerate(keep):
        coefficients[TERMS[j]] = float(beta[pos])
        std_errors[TERMS[j]] = float(se[pos])
        p_values[TERMS[j]] = None if np.isnan(pvalues[pos]) else float(pvalues[pos])
    return {"users": int(N), "converted": int(s_g.sum()), "coefficients": coefficients, "std_errors": std_errors,
            "p_values": p_values, "r2": None if np.isnan(r2) else float(r2)}  # fmt: skip


def reading(fit: dict[str, Any]) -> str:
    """One line for admins, in percentage points of conversion."""
    c, se, pv = fit["coefficients"], fit["std_errors"], fit["p_values"]

    def term(key: str, what: str) -> str:
        if c[key] is None:
            return f"{what}: no variation, not estimated"
        p = pv[key]
        note = "" if p is not None and p < 0.05 else " (not significant)"
        verb = "adds" if c[key] >= 0 else "removes"
        return f"{what} {verb} {abs(c[key]) * 100:.1f} ± {se[key] * 100:.1f} points{note}"

    r2 = "n/a" if fit["r2"] is None else f"{fit['r2']:.2f}"
    return (f"{term('M', 'one more contact per user')}; {term('I', 'a course purchase')}; "
            f"{term('F', 'an insurance lead')}; R² = {r2}")  # fmt: skip


def effect_report(
    conn: Connection, *, target: str = "policy_purchase", window: Window = Window(), min_users: int = 50
) -> dict[str, Any]:
    """Fits per campaign × segment (cells with fewer than `min_users` users are listed as skipped) and one
    pooled fit per campaign."""
    cells = effect_cells(conn, target=target, window=window)
    fits: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for campaign, by_campaign in cells.groupby("campaign", sort=True):
        groups = [(str(seg), part) for seg, part in by_campaign.groupby("segment", sort=True, dropna=False)]
        groups.append(("all", by_campaign))
        for segment, part in groups:
            users = int(part["users"].sum())
            fit = fit_grouped(part) if users >= min_users else None
            if fit is None:
                reason = f"only {users} users" if users < min_users else "no variation in I, F or M"
                skipped.append({"campaign": campaign, "segment": segment, "users": users, "reason": reason})
                continue
            fits.append({"campaign": campaign, "segment": segment, **fit, "reading": reading(fit)})
    return {
        "model": "E = intercept + a·I + b·F + c·M (user-level OLS, HC1 standard errors)",
        "definitions": {
            "E": f"has {target} at/after first exposure",
            "I": "course_purchase events",
            "F": "insurance_lead events",
            "M": "exposures of the campaign",
        },  # fmt: skip
        "target": target,
        **window.as_dict(),
        "fits": fits,
        "skipped": skipped,
    }


def effect_table(report: dict[str, Any]) -> pd.DataFrame:
    records = []
    for f in report["fits"]:
        row: dict[str, Any] = {"campaign": f["campaign"], "segment": f["segment"], "users": f["users"],
                               "converted": f["converted"], "r2": f["r2"]}  # fmt: skip
        for term in TERMS:
            row[term] = f["coefficients"][term]
            row[f"se_{term}"] = f["std_errors"][term]
        records.append(row)
    return pd.DataFrame(records)
