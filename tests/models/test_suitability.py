"""The suitability rule, and a property test: no path of the recommender ever yields an unsuitable product."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.recommender import Recommender, UserContext
from models.recommender.profile_rules import GOAL_KEYS
from models.suitability import SuitabilityFilter, check, filter_items
from store.formats import CatalogItem

PRODUCT = CatalogItem(item_id="P", kind="finance", title="p", description="d", risk_level="R3")


@pytest.mark.parametrize(
    ("tolerance", "level", "allowed"),
    [("C3", "R3", True), ("C3", "R4", False), ("C5", "R5", True), ("C1", "R2", False), ("C1", "R1", True),
     (None, "R2", True), (None, "R3", False), ("bogus", "R3", False)],
)  # fmt: skip
def test_risk_within_tolerance(tolerance: str | None, level: str, allowed: bool) -> None:
    item = replace(PRODUCT, risk_level=level)
    assert check(item, risk_tolerance=tolerance, age=40).allowed is allowed


def test_age_limits_are_inclusive_and_unknown_age_withholds() -> None:
    item = replace(PRODUCT, kind="insurance", risk_level="R1", min_age=18, max_age=55)
    assert check(item, risk_tolerance="C3", age=18).allowed
    assert check(item, risk_tolerance="C3", age=55).allowed
    assert check(item, risk_tolerance="C3", age=17).reason == "too_young"
    assert check(item, risk_tolerance="C3", age=56).reason == "too_old"
    assert check(item, risk_tolerance="C3", age=None).reason == "age_unknown"


def test_non_products_are_always_allowed() -> None:
    for kind in ("course", "article", "faq"):
        item = replace(PRODUCT, kind=kind, risk_level="R5", min_age=60)
        assert check(item, risk_tolerance=None, age=10).allowed


def test_product_without_risk_level_is_withheld() -> None:
    assert not check(replace(PRODUCT, risk_level=None), risk_tolerance="C5", age=40).allowed


def test_filter_helpers_agree(catalog: list[CatalogItem]) -> None:
    rule = SuitabilityFilter(risk_tolerance="C2", age=30)
    kept = rule.filter(catalog)
    assert kept == filter_items(catalog, risk_tolerance="C2", age=30)
    assert all(rule(i) for i in kept)
    assert any(i.is_product for i in kept) and len(kept) < len(catalog)


profiles = st.fixed_dictionaries(
    {
        "user_id": st.one_of(st.none(), st.sampled_from(["a000", "a050", "b010", "b099", "stranger"])),
        "age": st.one_of(st.none(), st.integers(min_value=0, max_value=110)),
        "risk_tolerance": st.one_of(st.none(), st.sampled_from(["C1", "C2", "C3", "C4", "C5"])),
        "segment": st.one_of(st.none(), st.sampled_from(["seg_a", "seg_b", "unknown"])),
        "family": st.fixed_dictionaries(
            {
                "children": st.lists(st.integers(0, 30), max_size=3),
                "marital_status": st.sampled_from(["single", "married"]),
            }
        ),  # fmt: skip
    }
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    profile=profiles,
    goals=st.lists(st.sampled_from(GOAL_KEYS), max_size=3),
    history=st.lists(st.sampled_from(["C001", "INS001", "FIN023", "ART001", "INS040"]), max_size=3),
    kind=st.sampled_from([None, "insurance", "finance", "course"]),
    language=st.sampled_from(["zh", "en"]),
)
def test_no_unsuitable_item_is_ever_recommended(
    trained: Recommender, profile: dict, goals: list[str], history: list[str], kind: str | None, language: str
) -> None:
    user = UserContext.from_profile(profile, goals=goals, history=history)
    recs = trained.recommend(user, kind=kind, k=len(trained.items), language=language)
    for rec in recs:
        item = trained.item(rec.item_id)
        assert item is not None
        assert check(item, risk_tolerance=user.risk_tolerance, age=user.age).allowed, (rec, profile)
    # and everything suitable of the kind is reachable (the filter hides nothing it should show)
    expected = {
        i.item_id for i in trained.items
        if (kind is None or i.kind == kind) and check(i, risk_tolerance=user.risk_tolerance, age=user.age).allowed
    }  # fmt: skip
    seen = set(history)
    if user.user_id in trained._user_pos:
        row = trained.matrix_[trained._user_pos[user.user_id]]
        seen |= {str(trained.item_ids_[j]) for j in row.indices}
    assert {r.item_id for r in recs} == expected - seen


@settings(max_examples=100, deadline=None)
@given(
    tolerance=st.one_of(st.none(), st.sampled_from(["C1", "C2", "C3", "C4", "C5"])),
    age=st.one_of(st.none(), st.integers(min_value=0, max_value=110)),
)
def test_vectorised_rule_agrees_with_check_on_the_whole_catalog(
    catalog: list[CatalogItem], tolerance: str | None, age: int | None
) -> None:
    import numpy as np

    from models.suitability import allowed_mask

    items = catalog
    mask = allowed_mask(
        kinds=np.array([i.kind for i in items]),
        levels=np.array([int(i.risk_level[1]) if i.risk_level else 0 for i in items]),
        min_ages=np.array([np.nan if i.min_age is None else i.min_age for i in items], dtype=float),
        max_ages=np.array([np.nan if i.max_age is None else i.max_age for i in items], dtype=float),
        risk_tolerance=tolerance,
        age=age,
    )
    assert mask.tolist() == [check(i, risk_tolerance=tolerance, age=age).allowed for i in items]
