"""Synthetic funnel events with known effects, for tests and benchmarks (vectorised: 1M events in ~1 s)."""

from __future__ import annotations

import numpy as np
import pandas as pd

CAMPAIGNS = ("spring_ci", "retire_plan", "kids_edu")
CHANNELS = ("app_push", "sms", "phone", "wechat")
SEGMENTS = ("young_pro", "family", "senior", "student")


def synthetic_events(
    n_users: int = 1000,
    *,
    seed: int = 0,
    start: str = "2026-01-01",
    days: int = 28,
    lift: float = 0.02,
) -> pd.DataFrame:
    """Events in the shape of `store.formats.read_events`: each user is exposed 1–4 times in one campaign
    (variant A or B, B's policy rate `lift` higher), then clicks, buys a course, leaves a lead, buys a policy
    with probabilities that rise with contacts, course interest and finance interest (so the effect model
    has something to find)."""
    rng = np.random.default_rng(seed)
    users = np.array([f"u{i:07d}" for i in range(n_users)])
    campaign = rng.integers(0, len(CAMPAIGNS), n_users)
    variant = rng.integers(0, 2, n_users)
    segment = rng.integers(0, len(SEGMENTS), n_users)
    channel = rng.integers(0, len(CHANNELS), n_users)
    exposures = rng.integers(1, 5, n_users)
    t0 = pd.Timestamp(start, tz="UTC").value // 10**9
    first = t0 + rng.integers(0, days * 86400, n_users)

    p_click = np.clip(0.25 + 0.05 * exposures, 0, 1)
    clicked = rng.random(n_users) < p_click
    course = clicked & (rng.random(n_users) < 0.35)
    lead = clicked & (rng.random(n_users) < 0.25 + 0.15 * course)
    p_policy = np.clip(0.10 + 0.02 * exposures + 0.15 * course + lift * variant / 0.3, 0, 1)
    policy = lead & (rng.random(n_users) < p_policy)

    parts = []
    rep = np.repeat(np.arange(n_users), exposures)
    offsets = np.concatenate([np.arange(k) for k in exposures]) * 3600 * 6
    parts.append(pd.DataFrame({"u": rep, "t": first[rep] + offsets, "event_type": "exposure", "item_id": None}))
    step_time = first.copy()
    for mask, kind, gap in ((clicked, "click", 1800), (course, "course_purchase", 7200),
                            (lead, "insurance_lead", 3 * 3600), (policy, "policy_purchase", 86400)):  # fmt: skip
        idx = np.flatnonzero(mask)
        step_time = step_time + rng.integers(1, gap, n_users)
        parts.append(pd.DataFrame({"u": idx, "t": step_time[idx], "event_type": kind, "item_id": None}))
    # Clicks on items: course items for course buyers, insurance items for the others.
    frame = pd.concat(parts, ignore_index=True)
    is_click = frame["event_type"].to_numpy() == "click"
    course_item = course[frame["u"].to_numpy()]
    frame.loc[is_click & course_item, "item_id"] = "C001"
    frame.loc[is_click & ~course_item, "item_id"] = "INS001"
    frame.loc[frame["event_type"] == "course_purchase", "item_id"] = "C001"
    frame.loc[frame["event_type"].isin(["insurance_lead", "policy_purchase"]), "item_id"] = "INS001"
    frame = frame.sort_values(["t", "u"], kind="stable").reset_index(drop=True)
    u = frame["u"].to_numpy()
    out = pd.DataFrame(
        {
            "event_id": [f"e{i:08d}" for i in range(len(frame))],
            "timestamp": pd.to_datetime(frame["t"].to_numpy(), unit="s", utc=True),
            "user_id": users[u],
            "event_type": frame["event_type"].to_numpy(),
            "campaign": np.array(CAMPAIGNS)[campaign[u]],
            "variant": np.array(["A", "B"])[variant[u]],
            "channel": np.array(CHANNELS)[channel[u]],
            "segment": np.array(SEGMENTS)[segment[u]],
            "item_id": frame["item_id"].to_numpy(),
        }
    )
    out["revenue"] = np.where(out["event_type"] == "policy_purchase", 1200.0, np.nan)
    return out


def random_scenario(
    n_channels: int = 4, n_segments: int = 5, n_offers: int = 6, *, seed: int = 0, tier_share: float = 0.3,
    density: float = 1.0,
) -> dict[str, object]:  # fmt: skip
    """A random optimizer scenario (CONTRACTS.md format) with tiers, resources, caps and risk levels."""
    rng = np.random.default_rng(seed)
    channels = [
        {"name": f"ch{j}", "cost_per_contact": round(float(rng.uniform(0.2, 6.0)), 2),
         "capacity": float(rng.integers(5_000, 80_000)) if rng.random() < 0.7 else None,
         "usage": {"staff_hours": round(float(rng.uniform(0.0, 0.1)), 3)} if rng.random() < 0.5 else {},
         "min_spend": float(rng.integers(0, 2_000)) if rng.random() < 0.3 else 0,
         "max_spend": float(rng.integers(20_000, 200_000)) if rng.random() < 0.4 else None}
        for j in range(n_channels)
    ]  # fmt: skip
    segments = [
        {"name": f"seg{i}", "size": float(rng.integers(1_000, 100_000)), "tolerance": f"C{rng.integers(1, 6)}"}
        for i in range(n_segments)
    ]
    offers = [
        {"name": f"off{k}", "value": float(rng.integers(50, 3_000)),
         "risk_level": f"R{rng.integers(1, 6)}" if rng.random() < 0.8 else None,
         "max_conversions": float(rng.integers(50, 5_000)) if rng.random() < 0.5 else None}
        for k in range(n_offers)
    ]  # fmt: skip
    total = n_channels * n_segments * n_offers
    pick = np.flatnonzero(rng.random(total) < density)
    j, rest = np.divmod(pick, n_segments * n_offers)
    i, k = np.divmod(rest, n_offers)
    base = rng.uniform(0.001, 0.05, pick.size)
    tiered = rng.random(pick.size) < tier_share
    first_up = rng.integers(500, 20_000, pick.size)
    rates: list[dict[str, object]] = []
    for n in range(pick.size):
        entry: dict[str, object] = {"channel": f"ch{j[n]}", "segment": f"seg{i[n]}", "offer": f"off{k[n]}",
                                    "rate": round(float(base[n]), 5)}  # fmt: skip
        if tiered[n]:
            entry["tiers"] = [{"up_to": float(first_up[n]), "rate": round(float(base[n]) * 1.5, 5)},
                              {"up_to": float(first_up[n] * 3), "rate": round(float(base[n]), 5)},
                              {"up_to": None, "rate": round(float(base[n]) * 0.4, 5)}]  # fmt: skip
        rates.append(entry)
    return {"objective": "revenue", "budget": float(rng.integers(50_000, 500_000)),
            "resources": {"staff_hours": float(rng.integers(500, 5_000))}, "channels": channels,
            "segments": segments, "offers": offers, "rates": rates}  # fmt: skip
