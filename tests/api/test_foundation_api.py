"""Auth, roles, the error format and the shell routes of the HTTP API."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import create_token
from api.settings import Settings
from store.db import make_engine, make_session_factory, transaction
from store.tables import Conversation, Handoff

Auth = Callable[..., dict[str, str]]
EVENT = {"event_id": "e1", "timestamp": "2026-10-01T08:00:00Z", "user_id": "u1", "event_type": "exposure",
         "campaign": "spring", "variant": "A", "channel": "app"}  # fmt: skip


def assert_error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    assert body["error"]["message"]
    return body["error"]


def test_healthz_needs_no_token(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_docs_and_openapi(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert "/v1/users/{user_id}/profile" in paths and "/v1/events" in paths


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/v1/users/u1/profile"), ("put", "/v1/users/u1/profile"), ("delete", "/v1/users/u1"),
     ("post", "/v1/events"), ("get", "/metrics")],
)  # fmt: skip
def test_every_route_needs_a_token(client: TestClient, method: str, path: str) -> None:
    error = assert_error(client.request(method, path, json={}), 401)
    assert error["code"] == "unauthorized"


def test_forged_and_expired_tokens_are_refused(client: TestClient, settings: Settings) -> None:
    forged = create_token(secret="another-secret-that-is-long-enough-000", user_id="u1", role="admin", ttl_hours=1)
    assert_error(client.get("/v1/users/u1/profile", headers={"Authorization": f"Bearer {forged}"}), 401)
    expired = create_token(secret=settings.secret_key, user_id="u1", role="user", ttl_hours=-1)
    error = assert_error(client.get("/v1/users/u1/profile", headers={"Authorization": f"Bearer {expired}"}), 401)
    assert "expired" in error["message"]
    assert_error(client.get("/v1/users/u1/profile", headers={"Authorization": "Basic abc"}), 401)


def test_user_reads_and_changes_own_profile(client: TestClient, auth: Auth) -> None:
    me = auth("u1")
    assert client.get("/v1/users/u1/profile", headers=me).json()["age"] is None
    body = {"age": 35, "income": 300000, "family": {"marital_status": "married", "children": [3, 7]},
            "consents": {"profile_from_chat": True}}  # fmt: skip
    profile = client.put("/v1/users/u1/profile", headers=me, json=body).json()
    assert profile["age"] == 35 and profile["family"]["children"] == [3, 7]
    assert profile["consents"]["profile_from_chat"]  # the grant's timestamp
    assert client.get("/v1/users/u1/profile", headers=me).json()["income"] == 300000


def test_user_cannot_touch_another_user_or_set_own_risk_level(client: TestClient, auth: Auth) -> None:
    assert_error(client.get("/v1/users/u2/profile", headers=auth("u1")), 403)
    assert_error(client.put("/v1/users/u2/profile", headers=auth("u1"), json={"age": 1}), 403)
    assert_error(client.delete("/v1/users/u2", headers=auth("u1")), 403)
    assert_error(client.put("/v1/users/u1/profile", headers=auth("u1"), json={"risk_tolerance": "C5"}), 403)


def test_profile_validation_is_422_naming_the_field(client: TestClient, auth: Auth) -> None:
    error = assert_error(client.put("/v1/users/u1/profile", headers=auth("u1"), json={"age": 300}), 422)
    assert "age" in error["message"]
    assert_error(client.put("/v1/users/u1/profile", headers=auth("u1"), json={"shoe_size": 42}), 422)
    assert_error(client.put("/v1/users/u1/profile", headers=auth("u1"), json={"risk_tolerance": "C9"}), 422)


def test_agent_sees_only_handed_off_users(client: TestClient, auth: Auth, settings: Settings) -> None:
    client.put("/v1/users/u1/profile", headers=auth("u1"), json={"age": 30})
    assert_error(client.get("/v1/users/u1/profile", headers=auth("agent1", "agent")), 403)
    with transaction(make_session_factory(make_engine(settings.database_url))) as s:
        s.add(Conversation(conversation_id="c1", user_id="u1", state={}))
        s.flush()
        s.add(Handoff(conversation_id="c1", state="waiting", reason="human_agent"))
    assert client.get("/v1/users/u1/profile", headers=auth("agent1", "agent")).json()["age"] == 30
    assert_error(client.delete("/v1/users/u1", headers=auth("agent1", "agent")), 403)


def test_user_deletes_own_data(client: TestClient, auth: Auth) -> None:
    client.put("/v1/users/u1/profile", headers=auth("u1"), json={"age": 30})
    assert client.delete("/v1/users/u1", headers=auth("u1")).json()["user_id"] == "u1"
    assert_error(client.delete("/v1/users/u1", headers=auth("admin1", "admin")), 404)


def test_events_admin_only_and_idempotent(client: TestClient, auth: Auth) -> None:
    assert_error(client.post("/v1/events", headers=auth("u1"), json=[EVENT]), 403)
    assert_error(client.post("/v1/events", headers=auth("a1", "agent"), json=[EVENT]), 403)
    admin = auth("admin1", "admin")
    assert client.post("/v1/events", headers=admin, json=[EVENT]).json() == {"received": 1, "new": 1}
    second = dict(EVENT, event_id="e2")
    assert client.post("/v1/events", headers=admin, json=[EVENT, second]).json() == {"received": 2, "new": 1}


def test_bad_events_name_row_and_field(client: TestClient, auth: Auth) -> None:
    admin = auth("admin1", "admin")
    bad = dict(EVENT, event_id="e9", timestamp="last tuesday")
    error = assert_error(client.post("/v1/events", headers=admin, json=[EVENT, bad]), 422)
    assert "row 2" in error["message"] and "timestamp" in error["message"]
    error = assert_error(client.post("/v1/events", headers=admin, json=[dict(EVENT, event_type="purchase")]), 422)
    assert "purchase" in error["message"]
    assert client.post("/v1/events", headers=admin, json=[EVENT]).json()["new"] == 1  # nothing was written before


def test_malformed_body_is_422(client: TestClient, auth: Auth) -> None:
    headers = {**auth("admin1", "admin"), "Content-Type": "application/json"}
    assert_error(client.post("/v1/events", headers=headers, content=b'{"not json'), 422)


def test_huge_body_is_413(client: TestClient, auth: Auth) -> None:
    headers = {**auth("admin1", "admin"), "Content-Type": "application/json"}
    assert_error(client.post("/v1/events", headers=headers, content=b"[" + b" " * (10 * 1024 * 1024) + b"]"), 413)


def test_metrics_admin_only(client: TestClient, auth: Auth) -> None:
    client.get("/healthz")
    assert_error(client.get("/metrics", headers=auth("u1")), 403)
    text = client.get("/metrics", headers=auth("admin1", "admin")).text
    assert 'advisor_http_requests_total{method="GET",route="/healthz",status="200"}' in text


def test_unknown_path_is_json_404(client: TestClient) -> None:
    assert_error(client.get("/v1/nope"), 404)


def test_default_secret_refused_outside_dev() -> None:
    with pytest.raises(ValueError, match="development secret"):
        Settings(env="prod")
    Settings(env="dev")  # allowed for local development


def test_ui_is_mounted(settings: Settings) -> None:
    with TestClient(create_app(settings)) as c:
        assert c.get("/ui/").status_code == 200
