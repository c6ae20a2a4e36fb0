"""Seeded generator of the demo users, interactions and events (`python -m store.demo`).

The catalog and the intent examples in `data/` are written by hand; this script derives the
behavioural data from the catalog so that it carries real signal:

- five customer segments with different tastes (category affinities), ages, incomes and risk
  tolerances, so collaborative filtering and segmentation have something to find;
- course → product cross-purchases (a critical-illness course often leads to a critical-illness
  policy), the partnership the product is built on;
- campaign funnels (exposure → click → course_purchase → insurance_lead → policy_purchase) with
  ordered timestamps, per-variant and per-channel conversion differences of known size, so the
  reports and the A/B verdicts have a right answer.

Everything is drawn from one `numpy.random.Generator(seed)`: the same seed writes the same files.
"""

from __future__ import annotations

import argparse
import csv
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import numpy as np

from store.formats import CatalogItem, read_catalog

RISK_ORDER = {"R1": 1, "R2": 2, "R3": 3, "R4": 4, "R5": 5}
TOLERANCE_ORDER = {"C1": 1, "C2": 2, "C3": 3, "C4": 4, "C5": 5}


@dataclass(frozen=True)
class Segment:
    name: str
    share: float
    age: tuple[int, int]
    income: tuple[float, float]  # annual CNY, log-uniform range
    married: float
    children: float
    tolerance: dict[str, float]
    occupations: tuple[str, ...]
    # category keyword → affinity; matched against item category, tags and kind
    tastes: dict[str, float]


SEGMENTS = (
    Segment(
        "young_professional", 0.26, (22, 32), (80_000, 350_000), 0.2, 0.05,
        {"C2": 0.15, "C3": 0.4, "C4": 0.35, "C5": 0.1},
        ("software engineer", "designer", "analyst", "sales", "consultant", "teacher"),
        {"career": 3, "office": 3, "programming": 3, "data": 2.5, "ai": 2.5, "english": 2.5, "ielts": 2,
         "investing": 2, "index_fund": 2.5, "money_fund": 2, "budgeting": 2, "accident": 2, "medical": 2,
         "fitness": 1.5},
    ),
    Segment(
        "young_family", 0.24, (27, 40), (150_000, 600_000), 0.95, 0.9,
        {"C1": 0.1, "C2": 0.35, "C3": 0.4, "C4": 0.15},
        ("nurse", "teacher", "engineer", "civil servant", "accountant", "doctor", "manager"),
        {"parenting": 3.5, "education": 3, "children": 3.5, "critical_illness": 3, "term_life": 2.5,
         "medical": 2.5, "insurance_literacy": 2.5, "bond_fund": 1.5, "health": 1.5},
    ),
    Segment(
        "wealth_builder", 0.18, (35, 52), (400_000, 2_000_000), 0.8, 0.6,
        {"C3": 0.3, "C4": 0.4, "C5": 0.3},
        ("manager", "business owner", "lawyer", "doctor", "finance professional"),
        {"investing": 3.5, "retirement": 2.5, "tax": 2, "stock": 3, "index_fund": 3, "mixed_fund": 3,
         "equity_fund": 2.5, "whole_life": 2.5, "annuity": 2.5, "management": 2},
    ),
    Segment(
        "pre_retiree", 0.16, (50, 64), (60_000, 400_000), 0.85, 0.7,
        {"C1": 0.45, "C2": 0.4, "C3": 0.15},
        ("retired teacher", "civil servant", "engineer", "accountant", "shop owner"),
        {"health": 3.5, "elderly": 3, "retirement": 3, "annuity": 3, "medical": 3, "deposit": 3,
         "bond_fund": 2.5, "money_fund": 2, "culture": 1.5, "cooking": 1.5},
    ),
    Segment(
        "car_buyer", 0.16, (24, 42), (100_000, 500_000), 0.5, 0.35,
        {"C2": 0.3, "C3": 0.45, "C4": 0.25},
        ("engineer", "sales", "driver", "business owner", "designer"),
        {"car": 4, "auto": 4, "auto_loan": 3.5, "auto_lease": 3, "car_insurance": 3.5, "accident": 2,
         "budgeting": 1.5, "photography": 1},
    ),
)  # fmt: skip

CITIES = ("北京", "上海", "深圳", "广州", "杭州", "成都", "武汉", "南京", "西安", "苏州")
CHANNELS = ("app", "wechat", "sms", "email", "phone")
CHANNEL_CLICK = {"app": 0.34, "wechat": 0.30, "sms": 0.12, "email": 0.10, "phone": 0.22}


@dataclass(frozen=True)
class Campaign:
    name: str
    variants: tuple[str, ...]
    start: datetime
    days: int
    focus: tuple[str, ...]  # category keywords of the items it promotes
    # multiplicative lift of the policy-purchase step per variant (the A/B effect of known size)
    policy_lift: tuple[float, ...]
    click_lift: tuple[float, ...]


CAMPAIGNS = (
    Campaign("autumn_finance_literacy", ("A", "B"), datetime(2026, 9, 1, tzinfo=UTC), 45,
             ("investing", "index_fund", "budgeting", "retirement"), (1.0, 1.15), (1.0, 1.25)),
    Campaign("family_protection", ("control", "treatment"), datetime(2026, 9, 15, tzinfo=UTC), 45,
             ("critical_illness", "children", "term_life", "insurance_literacy", "parenting"), (1.0, 1.6), (1.0, 1.0)),
    Campaign("car_season", ("A", "B", "C"), datetime(2026, 10, 1, tzinfo=UTC), 30,
             ("car", "auto", "car_insurance", "auto_loan"), (1.0, 1.0, 0.8), (1.0, 1.1, 1.2)),
)  # fmt: skip


def _affinity(item: CatalogItem, tastes: dict[str, float]) -> float:
    text = " ".join((item.category, " ".join(item.tags), item.kind)).lower()
    score = max((w for key, w in tastes.items() if key in text), default=0.0)
    return 0.15 + score


def _suitable(item: CatalogItem, age: int, tolerance: str | None) -> bool:
    if item.risk_level:
        limit = TOLERANCE_ORDER[tolerance] if tolerance else 2
        if RISK_ORDER[item.risk_level] > limit:
            return False
    if item.min_age is not None and age < item.min_age:
        return False
    return not (item.max_age is not None and age > item.max_age)


def _iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def generate_users(rng: np.random.Generator, count: int) -> list[dict[str, str]]:
    shares = np.array([s.share for s in SEGMENTS])
    assignments = rng.choice(len(SEGMENTS), size=count, p=shares / shares.sum())
    users = []
    for i, seg_index in enumerate(assignments, start=1):
        seg = SEGMENTS[seg_index]
        age = int(rng.integers(seg.age[0], seg.age[1] + 1))
        income = float(np.exp(rng.uniform(np.log(seg.income[0]), np.log(seg.income[1]))))
        married = rng.random() < seg.married
        children: list[int] = []
        if married and rng.random() < seg.children:
            for _ in range(int(rng.integers(1, 3))):
                children.append(int(rng.integers(0, max(1, min(age - 22, 25)))))
        tol_names = list(seg.tolerance)
        tol_p = np.array([seg.tolerance[t] for t in tol_names])
        tolerance = str(rng.choice(tol_names, p=tol_p / tol_p.sum())) if rng.random() < 0.7 else ""
        users.append(
            {
                "user_id": f"u{i:05d}",
                "age": str(age),
                "income": f"{round(income, -3):.0f}",
                "marital_status": "married" if married else "single",
                "children": "|".join(str(c) for c in sorted(children)),
                "occupation": str(rng.choice(seg.occupations)),
                "city": str(rng.choice(CITIES)),
                "risk_tolerance": tolerance,
                "segment": seg.name,
            }
        )
    return users


def generate_interactions(
    rng: np.random.Generator, users: list[dict[str, str]], items: list[CatalogItem], *, mean_per_user: float
) -> list[dict[str, str]]:
    """Taste-driven views/clicks/enrolments/purchases with course → product cross-purchases."""
    by_segment = {s.name: s for s in SEGMENTS}
    start = datetime(2026, 5, 1, tzinfo=UTC)
    span = 183 * 86_400
    # A Zipf-like global popularity so some items are hits and some are niche.
    popularity = 1.0 / np.arange(1, len(items) + 1) ** 0.6
    popularity = popularity[rng.permutation(len(items))]
    products = [i for i, it in enumerate(items) if it.is_product]
    rows: list[dict[str, str]] = []
    for user in users:
        seg = by_segment[user["segment"]]
        age = int(user["age"])
        tolerance = user["risk_tolerance"] or None
        weights = np.array(
            [
                _affinity(it, seg.tastes) ** 2 * popularity[j] if (not it.is_product or _suitable(it, age, tolerance))
                else 0.0
                for j, it in enumerate(items)
            ]
        )  # fmt: skip
        weights /= weights.sum()
        n = max(3, int(rng.lognormal(np.log(mean_per_user), 0.5)))
        chosen = rng.choice(len(items), size=min(n, int((weights > 0).sum())), replace=False, p=weights)
        for j in chosen:
            item = items[j]
            level = rng.choice(4, p=(0.45, 0.3, 0.15, 0.1))
            weight = (1, 2, 4, 8)[level]
            ts = start + timedelta(seconds=int(rng.integers(0, span)))
            rows.append({"user_id": user["user_id"], "item_id": item.item_id, "weight": str(weight),
                         "timestamp": _iso(ts)})  # fmt: skip
            # Cross-purchase: a bought course whose topic matches a product category leads there.
            if item.kind == "course" and weight >= 4 and rng.random() < 0.45:
                related = [
                    p for p in products
                    if _suitable(items[p], age, tolerance)
                    and (items[p].category in item.category or items[p].category in " ".join(item.tags).lower()
                         or _affinity(items[p], seg.tastes) > 2.5)
                ]  # fmt: skip
                if related:
                    p = int(rng.choice(related))
                    rows.append({"user_id": user["user_id"], "item_id": items[p].item_id,
                                 "weight": str(int(rng.choice((4, 8)))),
                                 "timestamp": _iso(ts + timedelta(days=int(rng.integers(1, 30))))})  # fmt: skip
    return rows


def generate_events(
    rng: np.random.Generator, users: list[dict[str, str]], items: list[CatalogItem], *, audience: int
) -> list[dict[str, str]]:
    """Campaign funnels for `audience` users (the first ones carry profiles, the rest are anonymous)."""
    segment_names = [s.name for s in SEGMENTS]
    segment_policy = {"young_professional": 0.8, "young_family": 1.5, "wealth_builder": 1.3,
                      "pre_retiree": 1.0, "car_buyer": 1.1}  # fmt: skip
    courses = [it for it in items if it.kind == "course"]
    products = [it for it in items if it.kind == "insurance"] + [it for it in items if it.kind == "finance"]
    rows: list[dict[str, str]] = []
    counter = 0

    def emit(ts: datetime, user: str, etype: str, camp: Campaign | None, variant: str, channel: str, segment: str,
             item: CatalogItem | None, revenue: float | None) -> None:  # fmt: skip
        nonlocal counter
        counter += 1
        rows.append({
            "event_id": f"ev{counter:07d}", "timestamp": _iso(ts), "user_id": user, "event_type": etype,
            "campaign": camp.name if camp else "", "variant": variant, "channel": channel, "segment": segment,
            "item_id": item.item_id if item else "", "revenue": "" if revenue is None else f"{revenue:.2f}",
        })  # fmt: skip

    def on_focus(item: CatalogItem, camp: Campaign) -> bool:
        return any(k in f"{item.category} {' '.join(item.tags)}".lower() for k in camp.focus)

    focus = {
        c.name: ([it for it in courses if on_focus(it, c)], [it for it in products if on_focus(it, c)] or products)
        for c in CAMPAIGNS
    }
    for index in range(audience):
        user_id = users[index]["user_id"] if index < len(users) else f"v{index + 1:06d}"
        segment = users[index]["segment"] if index < len(users) else str(rng.choice(segment_names))
        camp = CAMPAIGNS[int(rng.choice(len(CAMPAIGNS), p=(0.4, 0.35, 0.25)))]
        v = int(rng.integers(len(camp.variants)))  # balanced random split
        channel = str(rng.choice(CHANNELS, p=(0.3, 0.3, 0.15, 0.15, 0.1)))
        focus_courses, focus_products = focus[camp.name]
        t = camp.start + timedelta(seconds=int(rng.integers(0, camp.days * 86_400)))
        for _ in range(int(rng.integers(1, 4))):  # 1-3 exposures
            emit(t, user_id, "exposure", camp, camp.variants[v], channel, segment,
                 rng.choice(cast(Any, focus_courses or courses)), None)  # fmt: skip
            t += timedelta(hours=float(rng.exponential(30)))
        if rng.random() >= CHANNEL_CLICK[channel] * camp.click_lift[v]:
            continue
        t += timedelta(minutes=float(rng.exponential(90)))
        course = focus_courses[int(rng.integers(len(focus_courses)))] if focus_courses else courses[0]
        emit(t, user_id, "click", camp, camp.variants[v], channel, segment, course, None)
        if rng.random() >= 0.32:
            continue
        t += timedelta(hours=float(rng.exponential(20)))
        emit(t, user_id, "course_purchase", camp, camp.variants[v], channel, segment, course, course.price or 0.0)
        if rng.random() >= 0.45 * segment_policy[segment]:
            continue
        product = focus_products[int(rng.integers(len(focus_products)))]
        t += timedelta(days=float(rng.exponential(3)))
        emit(t, user_id, "insurance_lead", camp, camp.variants[v], channel, segment, product, None)
        if rng.random() >= 0.30 * camp.policy_lift[v]:
            continue
        t += timedelta(days=float(rng.exponential(4)))
        emit(t, user_id, "policy_purchase", camp, camp.variants[v], channel, segment, product, product.price or 0.0)
    # A few organic policy buyers outside any campaign (so X = U ∩ C differs from C).
    for index in rng.choice(audience, size=audience // 200, replace=False):
        user_id = users[index]["user_id"] if index < len(users) else f"v{index + 1:06d}"
        product = products[int(rng.integers(len(products)))]
        t = CAMPAIGNS[1].start + timedelta(seconds=int(rng.integers(0, 60 * 86_400)))
        emit(t, user_id, "policy_purchase", None, "", "phone", "", product, product.price or 0.0)
    rows.sort(key=lambda r: (r["timestamp"], r["event_id"]))
    return rows


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--catalog", type=Path, default=Path("data/catalog.csv"))
    parser.add_argument("--out", type=Path, default=Path("data"))
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--users", type=int, default=2_400)
    parser.add_argument("--interactions-per-user", type=float, default=22.0)
    parser.add_argument("--audience", type=int, default=86_000)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    items = read_catalog(args.catalog)
    users = generate_users(rng, args.users)
    interactions = generate_interactions(rng, users, items, mean_per_user=args.interactions_per_user)
    events = generate_events(rng, users, items, audience=args.audience)
    _write(args.out / "users.csv", users)
    _write(args.out / "interactions.csv", interactions)
    _write(args.out / "events.csv", events)
    print(f"{len(users)} users, {len(interactions)} interactions, {len(events)} events → {args.out}")


if __name__ == "__main__":
    main()
