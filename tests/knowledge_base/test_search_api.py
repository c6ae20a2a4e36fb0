from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import create_token
from api.services import Services
from api.settings import Settings
from knowledge_base.retriever import HybridRetriever
from store import repository
from store.db import transaction


@pytest.fixture
def client(settings: Settings, retriever: HybridRetriever) -> Iterator[tuple[TestClient, Services]]:
    services = Services.build(settings)
    with transaction(services.sessions) as session:
        repository.upsert_catalog(session, retriever.items())
    services.retriever = retriever
    with TestClient(create_app(services=services, ui=False)) as c:
        yield c, services
    services.close()


def auth(settings: Settings, user: str, role: str) -> dict[str, str]:
    token = create_token(secret=settings.secret_key, user_id=user, role=role, ttl_hours=1)
    return {"Authorization": f"Bearer {token}"}


def test_user_search_never_returns_products_above_the_rule(
    client: tuple[TestClient, Services], settings: Settings
) -> None:
    c, _ = client
    user = c.get("/v1/search", params={"q": "fund", "k": 10}, headers=auth(settings, "u1", "user"))
    assert user.status_code == 200
    found = {r["item_id"] for r in user.json()["results"]}
    assert "F3" in found and not {"F1", "F2"} & found  # unassessed user: R2 at most
    admin = c.get("/v1/search", params={"q": "fund", "k": 10}, headers=auth(settings, "a1", "admin"))
    assert {"F1", "F2"} <= {r["item_id"] for r in admin.json()["results"]}
    bad = c.get("/v1/search", params={"q": "fund", "kind": "toy"}, headers=auth(settings, "a1", "admin"))
    assert bad.status_code == 400 and "valid kinds" in bad.json()["error"]["message"]


def test_admin_item_changes_are_searchable_at_once(client: tuple[TestClient, Services], settings: Settings) -> None:
    c, services = client
    body = [{"item_id": "C9", "kind": "course", "title": "吉他弹唱", "description": "八周学会十首歌",
             "title_en": "Guitar for beginners", "description_en": "Learn ten songs"}]  # fmt: skip
    assert c.post("/v1/catalog/items", json=body, headers=auth(settings, "u1", "user")).status_code == 403
    added = c.post("/v1/catalog/items", json=body, headers=auth(settings, "a1", "admin"))
    assert added.status_code == 200 and added.json()["added"] == 1
    hits = c.get("/v1/search", params={"q": "guitar", "k": 1}, headers=auth(settings, "u1", "user")).json()
    assert hits["results"][0]["item_id"] == "C9"
    assert c.delete("/v1/catalog/items/C9", headers=auth(settings, "a1", "admin")).status_code == 200
    assert services.retriever is not None and services.retriever.get("C9") is None
    assert c.delete("/v1/catalog/items/C9", headers=auth(settings, "a1", "admin")).status_code == 404
    bad = [{**body[0], "kind": "insurance"}]  # a product without a risk level
    assert c.post("/v1/catalog/items", json=bad, headers=auth(settings, "a1", "admin")).status_code == 422


def test_search_is_503_without_an_index(settings: Settings) -> None:
    services = Services.build(settings)
    with TestClient(create_app(services=services, ui=False)) as c:
        response = c.get("/v1/search", params={"q": "x"}, headers=auth(settings, "u1", "user"))
    services.close()
    assert response.status_code == 503


def test_a_failed_catalog_commit_leaves_the_live_index_as_it_was(
    client: tuple[TestClient, Services], settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database is the source of truth: no new index version goes live unless the catalog change committed."""
    from sqlalchemy.orm import Session

    from knowledge_base import storage

    c, services = client
    before = services.retriever
    saved: list[object] = []
    monkeypatch.setattr(storage, "save", lambda *a, **k: saved.append(a))

    def failing_commit(self: Session) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(Session, "commit", failing_commit)
    body = [{"item_id": "C9", "kind": "course", "title": "吉他弹唱", "description": "八周学会十首歌"}]
    with pytest.raises(RuntimeError):
        c.post("/v1/catalog/items", json=body, headers=auth(settings, "a1", "admin"))
    assert saved == [] and services.retriever is before and before is not None and before.get("C9") is None
