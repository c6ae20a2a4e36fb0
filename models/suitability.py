"""The suitability rule (PRODUCT.md): the one place that decides whether an item may be shown to a user.

A product (insurance or finance) at risk level Rk may be shown to a user with tolerance Cj iff k ≤ j;
a user without a completed questionnaire gets R1–R2 only; a product's age limits (inclusive) must hold
for the user's known age (a product with age limits is withheld when the age is unknown, because it
cannot be shown to be suitable). Courses, articles and FAQs are always allowed. Every path that shows
a product (recommendations, chat search results, cards, admin previews) calls `check` or `filter_items`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

import numpy as np

RISK_LEVELS = ("R1", "R2", "R3", "R4", "R5")
RISK_TOLERANCES = ("C1", "C2", "C3", "C4", "C5")
PRODUCT_KINDS = ("insurance", "finance")
UNASSESSED_MAX_LEVEL = 2  # PRODUCT.md: without a questionnaire, R1–R2 only


class ItemLike(Protocol):
    """What the rule reads from an item (store.formats.CatalogItem satisfies it)."""

    @property
    def kind(self) -> str: ...

    @property
    def risk_level(self) -> str | None: ...

    @property
    def min_age(self) -> int | None: ...

    @property
    def max_age(self) -> int | None: ...


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str  # machine-readable: ok, not_a_product, risk_above_tolerance, unassessed_risk, too_young, …

    def __bool__(self) -> bool:
        return self.allowed


def _level(value: str | None, valid: Sequence[str]) -> int | None:
    if value is None:
        return None
    value = value.strip().upper()
    return valid.index(value) + 1 if value in valid else None


def check(item: ItemLike, *, risk_tolerance: str | None, age: int | None) -> Verdict:
    """Whether `item` may be shown to a user with this tolerance (C1–C5 or None) and age (or None)."""
    if item.kind not in PRODUCT_KINDS:
        return Verdict(True, "not_a_product")
    level = _level(item.risk_level, RISK_LEVELS)
    if level is None:  # a product without a valid risk level cannot be shown to be suitable
        return Verdict(False, "unknown_risk_level")
    tolerance = _level(risk_tolerance, RISK_TOLERANCES)
    if tolerance is None:
        if level > UNASSESSED_MAX_LEVEL:
            return Verdict(False, "unassessed_risk")
    elif level > tolerance:
        return Verdict(False, "risk_above_tolerance")
    if item.min_age is not None or item.max_age is not None:
        if age is None:
            return Verdict(False, "age_unknown")
        if item.min_age is not None and age < item.min_age:
            return Verdict(False, "too_young")
        if item.max_age is not None and age > item.max_age:
            return Verdict(False, "too_old")
    return Verdict(True, "ok")


def is_suitable(item: ItemLike, *, risk_tolerance: str | None, age: int | None) -> bool:
    return check(item, risk_tolerance=risk_tolerance, age=age).allowed


T = TypeVar("T", bound=ItemLike)


def filter_items(items: Iterable[T], *, risk_tolerance: str | None, age: int | None) -> list[T]:
    """The items that may be shown, in their order."""
    return [i for i in items if check(i, risk_tolerance=risk_tolerance, age=age).allowed]


class SuitabilityFilter:
    """The rule bound to one user, for pipelines that filter many lists for the same person."""

    def __init__(self, *, risk_tolerance: str | None, age: int | None) -> None:
        self.risk_tolerance = risk_tolerance
        self.age = age

    def __call__(self, item: ItemLike) -> bool:
        return check(item, risk_tolerance=self.risk_tolerance, age=self.age).allowed

    def filter(self, items: Iterable[T]) -> list[T]:
        return filter_items(items, risk_tolerance=self.risk_tolerance, age=self.age)


def allowed_mask(
    *,
    kinds: np.ndarray,
    levels: np.ndarray,
    min_ages: np.ndarray,
    max_ages: np.ndarray,
    risk_tolerance: str | None,
    age: int | None,
) -> np.ndarray:
    """`check` over arrays (kinds: str; levels: 1..5 or 0 when missing; ages: NaN when absent), for ranking
    thousands of items fast. Callers still pass every item they show through `check`."""
    product = np.isin(kinds, PRODUCT_KINDS)
    tolerance = _level(risk_tolerance, RISK_TOLERANCES)
    limit = UNASSESSED_MAX_LEVEL if tolerance is None else tolerance
    ok = (levels >= 1) & (levels <= limit)
    has_limits = ~np.isnan(min_ages) | ~np.isnan(max_ages)
    if age is None:
        ok &= ~has_limits
    else:
        ok &= ~(min_ages > age) & ~(max_ages < age)
    return np.asarray(~product | ok)
