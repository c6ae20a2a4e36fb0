"""An app per test with a fresh database; tokens for each role."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import create_token
from api.settings import Settings


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, ui=False)) as c:
        yield c


@pytest.fixture
def auth(settings: Settings) -> Callable[[str, str], dict[str, str]]:
    def headers(user_id: str, role: str = "user") -> dict[str, str]:
        token = create_token(secret=settings.secret_key, user_id=user_id, role=role, ttl_hours=1)
        return {"Authorization": f"Bearer {token}"}

    return headers
