"""Admin analytics over HTTP: reports on the stored events, CSV/PNG exports, optimizer, roles, 422s."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from models.analytics import reports
from models.analytics.synthetic import synthetic_events
from store import repository
from store.db import make_engine, make_session_factory, transaction

Auth = Callable[..., dict[str, str]]


@pytest.fixture
def stored_events(settings: Settings) -> reports.Window:
    frame = synthetic_events(300, seed=5, days=14)
    engine = make_engine(settings.database_url)
    with transaction(make_session_factory(engine)) as session:
        repository.ingest_events(session, frame)
    engine.dispose()
    return reports.parse_window("2026-01-01", "2026-01-14")


def test_reports_as_json_csv_and_png(client: TestClient, auth: Auth, stored_events: reports.Window) -> None:
    admin = auth("boss", "admin")
    r = client.get("/v1/reports/funnel", params={"by": "variant", "steps": "exposure,click,policy_purchase"},
                   headers=admin)  # fmt: skip
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["steps"] == ["exposure", "click", "policy_purchase"]
    assert [g["group"] for g in body["groups"]] == ["A", "B"]
    assert sum(g["reached"][0] for g in body["groups"]) == 300
    csv = client.get("/v1/reports/funnel", params={"by": "week", "format": "csv"}, headers=admin)
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.startswith("group,step,reached")
    png = client.get("/v1/reports/funnel", params={"format": "png"}, headers=admin)
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")

    cross = client.get("/v1/reports/cross", headers=admin).json()
    assert cross["E"] == 300 and set(cross) >= {"U", "C", "X", "R_U", "R_C", "R_UC", "X_over_U", "X_over_C"}
    assert client.get("/v1/reports/cross", params={"format": "png"}, headers=admin).content.startswith(b"\x89PNG")

    ab = client.get("/v1/reports/ab", params={"campaign": "spring_ci"}, headers=admin).json()
    assert ab["control"] == "A" and ab["variants"][0]["diff"] is None and "verdict" in ab
    assert client.get("/v1/reports/ab", params={"campaign": "spring_ci", "format": "png"},
                      headers=admin).content.startswith(b"\x89PNG")  # fmt: skip
    effect = client.get("/v1/reports/effect", params={"min_users": 20}, headers=admin).json()
    assert effect["fits"] and "reading" in effect["fits"][0]


def test_reports_refuse_non_admins_and_bad_input(client: TestClient, auth: Auth, stored_events: reports.Window) -> None:
    assert client.get("/v1/reports/funnel", headers=auth("u1", "user")).status_code == 403
    assert client.get("/v1/reports/cross", headers=auth("a1", "agent")).status_code == 403
    assert client.get("/v1/reports/funnel").status_code == 401
    admin = auth("boss", "admin")
    bad = client.get("/v1/reports/funnel", params={"by": "country"}, headers=admin)
    assert bad.status_code == 400 and "valid: campaign" in bad.json()["error"]["message"]
    bad = client.get("/v1/reports/ab", params={"campaign": "nope"}, headers=admin)
    assert bad.status_code == 400 and "spring_ci" in bad.json()["error"]["message"]
    assert client.get("/v1/reports/funnel", params={"format": "gif"}, headers=admin).status_code == 422


def test_optimize_endpoint(client: TestClient, auth: Auth, repo_root: Path) -> None:
    scenario = json.loads((repo_root / "data" / "scenarios" / "tight_staff_hours.json").read_text(encoding="utf-8"))
    admin = auth("boss", "admin")
    r = client.post("/v1/optimize", params={"budget_steps": "50000,100000"}, json=scenario, headers=admin)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "optimal" and body["objective"] > 0
    assert {c["name"] for c in body["constraints"]} >= {"budget", "resource:staff_hours", "segment:car_buyer"}
    staff = next(c for c in body["constraints"] if c["name"] == "resource:staff_hours")
    assert staff["binding"] and staff["shadow_price"] > 0
    assert [p["budget"] for p in body["budget_curve"]] == [50000, 100000]
    assert client.post("/v1/optimize", json=scenario, headers=auth("u1", "user")).status_code == 403

    broken = copy.deepcopy(scenario)
    broken["rates"][3]["segment"] = "martians"
    r = client.post("/v1/optimize", json=broken, headers=admin)
    assert r.status_code == 422 and r.json()["error"]["message"].startswith("rates[3].segment: unknown segment")
    broken = copy.deepcopy(scenario)
    broken["offers"][0]["risk_level"] = "high"
    r = client.post("/v1/optimize", json=broken, headers=admin)
    assert r.status_code == 422 and "offers[0].risk_level" in r.json()["error"]["message"]
    infeasible = copy.deepcopy(scenario)
    infeasible["channels"][4]["min_spend"] = 10_000_000
    r = client.post("/v1/optimize", json=infeasible, headers=admin)
    assert r.status_code == 200 and r.json()["status"] == "infeasible"
    assert "budget" in r.json()["infeasible_constraints"]
