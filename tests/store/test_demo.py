"""The demo generator: deterministic, and its funnels and tastes carry the signal the reports rely on."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from store.demo import CAMPAIGNS, generate_events, generate_interactions, generate_users
from store.formats import CatalogItem

STEPS = ["exposure", "click", "course_purchase", "insurance_lead", "policy_purchase"]


def catalog() -> list[CatalogItem]:
    items = [
        CatalogItem(item_id=f"C{i}", kind="course", title=f"c{i}", description="d", category=cat, price=99.0)
        for i, cat in enumerate(["investing", "parenting", "cars", "health", "programming", "critical_illness"] * 4)
    ]
    items += [
        CatalogItem(item_id="I1", kind="insurance", title="i", description="d", category="critical_illness",
                    risk_level="R2", min_age=18, max_age=55, price=3000.0),
        CatalogItem(item_id="I2", kind="insurance", title="i", description="d", category="car_insurance",
                    risk_level="R1", price=2000.0),
        CatalogItem(item_id="F1", kind="finance", title="f", description="d", category="index_fund", risk_level="R4"),
    ]  # fmt: skip
    return items


def test_same_seed_same_data() -> None:
    a = generate_users(np.random.default_rng(1), 50)
    b = generate_users(np.random.default_rng(1), 50)
    assert a == b


def test_products_in_interactions_are_suitable_for_the_user() -> None:
    rng = np.random.default_rng(7)
    users = generate_users(rng, 200)
    rows = generate_interactions(rng, users, catalog(), mean_per_user=8)
    by_id = {u["user_id"]: u for u in users}
    for row in rows:
        if row["item_id"] == "F1":  # R4: needs a known tolerance of C4 or more
            assert by_id[row["user_id"]]["risk_tolerance"] in ("C4", "C5")
        if row["item_id"] == "I1":
            assert 18 <= int(by_id[row["user_id"]]["age"]) <= 55


def test_event_funnels_are_ordered_and_cover_campaigns() -> None:
    rng = np.random.default_rng(3)
    users = generate_users(rng, 100)
    events = generate_events(rng, users, catalog(), audience=3000)
    assert len({e["event_id"] for e in events}) == len(events)
    assert {e["campaign"] for e in events} - {""} == {c.name for c in CAMPAIGNS}
    per_user: dict[str, list[dict[str, str]]] = defaultdict(list)
    for e in events:
        per_user[e["user_id"]].append(e)
    ordered = 0
    for rows in per_user.values():
        times = {s: min((r["timestamp"] for r in rows if r["event_type"] == s), default=None) for s in STEPS}
        reached = [s for s in STEPS if times[s] is not None]
        if "course_purchase" in reached and "click" in reached:
            assert times["click"] <= times["course_purchase"]
            ordered += 1
    assert ordered > 50
    counts = {s: sum(e["event_type"] == s for e in events) for s in STEPS}
    assert counts["exposure"] > counts["click"] > counts["course_purchase"] > counts["policy_purchase"] > 0
