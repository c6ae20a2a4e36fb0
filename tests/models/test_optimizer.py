"""LP optimizer: hand-solved scenarios, an independent dense formulation, validation and infeasibility."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy.optimize import linprog

from models import optimizer
from models.analytics.synthetic import random_scenario

ADVISOR = str(Path(sys.executable).parent / "advisor")

HAND = {
    "objective": "revenue",
    "budget": 500000,
    "resources": {"staff_hours": 400},
    "channels": [
        {
            "name": "phone",
            "cost_per_contact": 3.0,
            "capacity": 20000,
            "usage": {"staff_hours": 0.1},
            "min_spend": 0,
            "max_spend": None,
        }
    ],  # fmt: skip
    "segments": [{"name": "young_pro", "size": 300000, "tolerance": "C3"}],
    "offers": [{"name": "ci_plan_a", "value": 1200, "risk_level": "R2", "max_conversions": 5000}],
    "rates": [
        {
            "channel": "phone",
            "segment": "young_pro",
            "offer": "ci_plan_a",
            "rate": 0.02,
            "tiers": [{"up_to": 5000, "rate": 0.03}, {"up_to": None, "rate": 0.01}],
        }
    ],  # fmt: skip
}


def constraint(result: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in result["constraints"] if c["name"] == name)


def test_hand_solved_scenario_staff_hours_bind() -> None:
    # 400 staff hours / 0.1 h per call = 4,000 calls, all in the 3% tier: 120 policies × 1,200 = 144,000.
    result = optimizer.solve(HAND)
    assert result["status"] == "optimal"
    assert result["objective"] == pytest.approx(144_000, rel=1e-9)
    [alloc] = result["allocations"]
    assert alloc["contacts"] == pytest.approx(4000) and alloc["spend"] == pytest.approx(12_000)
    assert alloc["conversions"] == pytest.approx(120) and alloc["revenue"] == pytest.approx(144_000)
    staff = constraint(result, "resource:staff_hours")
    assert staff["binding"] and staff["slack"] == pytest.approx(0, abs=1e-6)
    assert staff["shadow_price"] == pytest.approx(0.03 * 1200 / 0.1)  # 360 per extra hour
    budget = constraint(result, "budget")
    assert (
        not budget["binding"]
        and budget["shadow_price"] == pytest.approx(0)
        and budget["slack"] == pytest.approx(488_000)
    )
    assert [c["name"] for c in result["constraints"]] == [
        "budget", "resource:staff_hours", "capacity:phone", "segment:young_pro", "offer:ci_plan_a"]  # fmt: skip
    assert result["channels"] == [{"channel": "phone", "contacts": pytest.approx(4000), "spend": pytest.approx(12_000)}]


def test_tiers_and_budget_shadow_price_and_curve() -> None:
    scenario = copy.deepcopy(HAND)
    scenario["resources"] = {}
    scenario["channels"][0]["usage"] = {}
    scenario["budget"] = 30_000  # 10,000 calls: 5,000 at 3% + 5,000 at 1%
    result = optimizer.solve(scenario)
    assert result["objective"] == pytest.approx((150 + 50) * 1200)
    assert constraint(result, "budget")["shadow_price"] == pytest.approx(0.01 * 1200 / 3)  # marginal call is tier 2
    curve = optimizer.budget_curve(scenario, [3_000, 30_000, 90_000])
    assert [p["objective"] for p in curve] == pytest.approx(
        [1000 * 0.03 * 1200, 240_000, 360_000]
    )  # capacity: 5,000 at 3% + 15,000 at 1%
    assert [p["budget_shadow_price"] for p in curve] == pytest.approx([12.0, 4.0, 0.0])  # capacity binds at 90k


def test_spend_minimum_has_a_negative_shadow_price_and_exclusions_are_reported() -> None:
    scenario = {
        "objective": "conversions", "budget": 1000, "resources": {},
        "channels": [{"name": "sms", "cost_per_contact": 1.0}, {"name": "phone", "cost_per_contact": 2.0,
                                                                 "min_spend": 400}],
        "segments": [{"name": "cautious", "size": 10_000, "tolerance": "C1"}],
        "offers": [{"name": "safe", "value": 10, "risk_level": "R1"},
                   {"name": "risky", "value": 99, "risk_level": "R4"}],
        "rates": [{"channel": "sms", "segment": "cautious", "offer": "safe", "rate": 0.02},
                  {"channel": "phone", "segment": "cautious", "offer": "safe", "rate": 0.03},
                  {"channel": "sms", "segment": "cautious", "offer": "risky", "rate": 0.5}],
    }  # fmt: skip
    result = optimizer.solve(scenario)
    # sms: 0.02 per unit of money, phone 0.015: 400 on phone (forced), 600 on sms.
    assert result["objective"] == pytest.approx(600 * 0.02 + 200 * 0.03)
    smin = constraint(result, "spend_min:phone")
    assert smin["binding"] and smin["shadow_price"] == pytest.approx(0.015 - 0.02)
    assert result["excluded"] == [{"channel": "sms", "segment": "cautious", "offer": "risky",
                                   "reason": "offer risk R4 above segment tolerance C1"}]  # fmt: skip


def dense_objective(s: dict[str, Any]) -> float:
    """The same LP written independently: one dense row at a time, Python loops, scipy linprog."""
    tol = {g["name"]: int((g.get("tolerance") or "C5")[1]) for g in s["segments"]}
    risk = {o["name"]: int(o["risk_level"][1]) if o.get("risk_level") else 0 for o in s["offers"]}
    ch = {c["name"]: c for c in s["channels"]}
    of = {o["name"]: o for o in s["offers"]}
    variables = []  # (channel, segment, offer, rate, upper)
    for r in s["rates"]:
        if risk[r["offer"]] > tol[r["segment"]]:
            continue
        if r.get("tiers"):
            prev = 0.0
            for t in r["tiers"]:
                upper = None if t["up_to"] is None else t["up_to"] - prev
                variables.append((r["channel"], r["segment"], r["offer"], t["rate"], upper))
                prev = t["up_to"] or prev
        else:
            variables.append((r["channel"], r["segment"], r["offer"], r["rate"], None))
    n = len(variables)
    rows, rhs = [], []

    def row(f: Any) -> list[float]:
        return [float(f(*v)) for v in variables]

    rows.append(row(lambda c, g, o, rate, u: ch[c]["cost_per_contact"]))
    rhs.append(s["budget"])
    for name, limit in s["resources"].items():
        rows.append(row(lambda c, g, o, rate, u, name=name: ch[c].get("usage", {}).get(name, 0.0)))
        rhs.append(limit)
    for c in s["channels"]:
        inside = lambda cc, g, o, rate, u, c=c: cc == c["name"]  # noqa: E731
        if c.get("capacity") is not None:
            rows.append(row(lambda *v, inside=inside: 1.0 if inside(*v) else 0.0))
            rhs.append(c["capacity"])
        if c.get("max_spend") is not None:
            rows.append(row(lambda *v, inside=inside, c=c: c["cost_per_contact"] if inside(*v) else 0.0))
            rhs.append(c["max_spend"])
        if c.get("min_spend"):
            rows.append(row(lambda *v, inside=inside, c=c: -c["cost_per_contact"] if inside(*v) else 0.0))
            rhs.append(-c["min_spend"])
    for g in s["segments"]:
        rows.append(row(lambda c, gg, o, rate, u, g=g: 1.0 if gg == g["name"] else 0.0))
        rhs.append(g["size"])
    for o in s["offers"]:
        if o.get("max_conversions") is not None:
            rows.append(row(lambda c, g, oo, rate, u, o=o: rate if oo == o["name"] else 0.0))
            rhs.append(o["max_conversions"])
    value = [(of[o]["value"] if s["objective"] == "revenue" else 1.0) * rate for c, g, o, rate, u in variables]
    res = linprog(-np.array(value), A_ub=np.array(rows), b_ub=np.array(rhs),
                  bounds=[(0, u) for *_, u in variables], method="highs-ipm")  # fmt: skip
    assert res.status == 0, res.message
    assert n > 0
    return float(-res.fun)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_random_scenarios_match_an_independent_dense_formulation(seed: int) -> None:
    scenario = random_scenario(5, 6, 7, seed=seed, tier_share=0.4, density=0.7)
    result = optimizer.solve(scenario)
    assert result["status"] == "optimal"
    expected = dense_objective(scenario)
    assert result["objective"] == pytest.approx(expected, rel=1e-6)
    assert sum(a["revenue"] for a in result["allocations"]) == pytest.approx(expected, rel=1e-6)
    # Complementary slackness: a slack constraint has no shadow price; all prices have the right sign.
    for c in result["constraints"]:
        if c["slack"] > 1e-4 * max(1.0, abs(c["rhs"])):
            assert abs(c["shadow_price"]) < 1e-6, c
        if c["name"].startswith("spend_min:"):
            assert c["shadow_price"] <= 1e-9
        else:
            assert c["shadow_price"] >= -1e-9
    for a in result["allocations"]:
        assert a["contacts"] > 0


def test_budget_shadow_price_predicts_the_next_solution() -> None:
    scenario = random_scenario(4, 5, 6, seed=11, tier_share=0.5)
    scenario["channels"] = [{**c, "min_spend": 0} for c in scenario["channels"]]
    scenario["budget"] = 20_000.0
    base = optimizer.solve(scenario)
    price = constraint(base, "budget")["shadow_price"]
    assert price > 0
    bumped = optimizer.solve(scenario, budget=20_001.0)
    assert bumped["objective"] - base["objective"] == pytest.approx(price, rel=1e-3)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s["rates"][0].update(channel="fax"), r"rates\[0\]\.channel: unknown channel 'fax'; valid: phone"),
        (lambda s: s["channels"][0].update(cost_per_contact=-1), r"channels\[0\]\.cost_per_contact: .*greater than"),
        (lambda s: s["offers"][0].update(risk_level="R9"), r"offers\[0\]\.risk_level: .*'R1'"),
        (lambda s: s["segments"][0].update(tolerance="high"), r"segments\[0\]\.tolerance"),
        (lambda s: s["rates"][0]["tiers"][1].update(rate=0.5), r"rates\[0\]\.tiers\[1\]\.rate: tier rates must not"),
        (lambda s: s["channels"][0]["usage"].update(robots=1), r"channels\[0\]\.usage\.robots: unknown resource"),
        (lambda s: s.update(colour="blue"), r"colour: Extra inputs"),
    ],
)
def test_bad_scenarios_name_the_json_path(change: Any, message: str) -> None:
    scenario = copy.deepcopy(HAND)
    change(scenario)
    with pytest.raises(optimizer.ScenarioError, match=message):
        optimizer.solve(scenario)
    with pytest.raises(ValueError):
        optimizer.parse_scenario(json.dumps(scenario))


def test_infeasible_scenarios_name_the_constraints_responsible() -> None:
    scenario = copy.deepcopy(HAND)
    scenario["channels"][0]["min_spend"] = 600_000
    result = optimizer.solve(scenario)
    assert result["status"] == "infeasible"
    assert result["infeasible_constraints"] == ["budget", "spend_min:phone"]
    # Not detectable by the quick checks: the offer cap limits contacts below what the minimum spend needs.
    scenario = copy.deepcopy(HAND)
    scenario["resources"] = {}
    scenario["channels"][0]["usage"] = {}
    scenario["rates"][0]["tiers"] = None
    scenario["offers"][0]["max_conversions"] = 10  # 10 / 0.02 = 500 calls = 1,500 spend < 3,000 required
    scenario["channels"][0]["min_spend"] = 3_000
    result = optimizer.solve(scenario)
    assert result["status"] == "infeasible"
    assert set(result["infeasible_constraints"]) == {"spend_min:phone", "offer:ci_plan_a"}
    assert "cannot all hold" in result["message"]


def test_cli_exit_codes_and_json(tmp_path: Path) -> None:
    good = tmp_path / "s.json"
    good.write_text(json.dumps(HAND), encoding="utf-8")
    run = subprocess.run(
        [ADVISOR, "optimize", "--scenario", str(good), "--budget-steps", "1000,5000", "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["status"] == "optimal" and [p["budget"] for p in out["budget_curve"]] == [1000, 5000]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**HAND, "offers": [{"name": "x", "value": 1, "risk_level": "R7"}]}), encoding="utf-8")
    run = subprocess.run([ADVISOR, "optimize", "--scenario", str(bad), "--json"],
                         capture_output=True, text=True, check=False)  # fmt: skip
    assert run.returncode == 2
    assert run.stderr.startswith("advisor: error:") and "offers[0].risk_level" in run.stderr


def test_bundled_scenarios_solve(repo_root: Path) -> None:
    paths = sorted((repo_root / "data" / "scenarios").glob("*.json"))
    assert len(paths) >= 2
    for path in paths:
        result = optimizer.solve(optimizer.load_scenario(path))
        assert result["status"] == "optimal", path
        assert result["objective"] > 0 and any(c["binding"] for c in result["constraints"])
