"""GET /v1/recommendations and the risk questionnaire endpoints (issue 5)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from models import risk
from models.recommender import Recommender
from models.suitability import check
from store.formats import read_catalog

REPO = Path(__file__).resolve().parents[2]
HIGHEST = {q.id: max(q.options, key=lambda o: o.points).value for q in risk.QUESTIONS}


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """The shared fixture's artifacts_dir is dropped by the field's validation alias; pin it to tmp here."""
    return settings.model_copy(update={"artifacts_dir": tmp_path / "artifacts"})


@pytest.fixture
def trained_artifact(settings: Settings) -> Path:
    catalog = read_catalog(REPO / "data" / "catalog.csv")
    rng = np.random.default_rng(0)
    ids = [i.item_id for i in catalog]
    rows = [(f"u{u}", str(i), 1.0) for u in range(60) for i in rng.choice(ids, 15, replace=False)]
    frame = pd.DataFrame(rows, columns=["user_id", "item_id", "weight"])
    return Recommender().fit(frame, catalog).save(settings.recommender_dir)


def test_503_until_a_model_is_trained(client: TestClient, auth: Callable[..., dict[str, str]]) -> None:
    response = client.get("/v1/recommendations", headers=auth("u1"))
    assert response.status_code == 503
    assert "advisor recommender train" in response.json()["error"]["message"]


def test_ranked_suitable_items_with_reasons_in_the_users_language(
    trained_artifact: Path, client: TestClient, auth: Callable[..., dict[str, str]]
) -> None:
    response = client.get("/v1/recommendations?kind=finance&k=5", headers={**auth("u3"), "Accept-Language": "zh-CN"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["language"] == "zh" and body["user_id"] == "u3"
    assert body["items"] and all(i["kind"] == "finance" for i in body["items"])
    assert all(i["risk_level"] in ("R1", "R2") for i in body["items"])  # no questionnaire yet → R1–R2 only
    assert all("风险测评" in " ".join(i["reasons"]) for i in body["items"])
    scores = [i["score"] for i in body["items"]]
    assert scores == sorted(scores, reverse=True)


def test_questionnaire_changes_what_is_suitable(
    trained_artifact: Path, client: TestClient, auth: Callable[..., dict[str, str]]
) -> None:
    questions = client.get("/v1/risk-questionnaire?lang=en", headers=auth("u3")).json()
    assert len(questions["questions"]) == 8
    answered = client.post("/v1/users/u3/risk-questionnaire", json={"answers": HIGHEST}, headers=auth("u3"))
    assert answered.status_code == 200, answered.text
    assert answered.json()["risk_tolerance"] == "C5"
    profile = client.get("/v1/users/u3/profile", headers=auth("u3")).json()
    assert profile["risk_tolerance"] == "C5" and profile["risk_answers"]["answers"] == HIGHEST
    body = client.get("/v1/recommendations?kind=finance&k=30&lang=en", headers=auth("u3")).json()
    assert any(i["risk_level"] in ("R4", "R5") for i in body["items"])
    assert all("fits your risk level C5" in " ".join(i["reasons"]) for i in body["items"])
    model = Recommender.load(trained_artifact)
    for i in body["items"]:
        item = model.item(i["item_id"])
        assert item is not None and check(item, risk_tolerance="C5", age=None).allowed


def test_bad_answers_are_400_and_others_are_403(client: TestClient, auth: Callable[..., dict[str, str]]) -> None:
    bad = client.post("/v1/users/u3/risk-questionnaire", json={"answers": {"horizon": "x"}}, headers=auth("u3"))
    assert bad.status_code == 400 and "unanswered question" in bad.json()["error"]["message"]
    other = client.post("/v1/users/u4/risk-questionnaire", json={"answers": HIGHEST}, headers=auth("u3"))
    assert other.status_code == 403


def test_users_cannot_read_someone_elses_recommendations(
    trained_artifact: Path, client: TestClient, auth: Callable[..., dict[str, str]]
) -> None:
    assert client.get("/v1/recommendations?user_id=u4", headers=auth("u3")).status_code == 403
    assert client.get("/v1/recommendations?user_id=u4", headers=auth("boss", "admin")).status_code == 200
