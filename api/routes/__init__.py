"""The `/v1` routers; each module is thin: validate, call one service, return a schema."""

from __future__ import annotations

from fastapi import APIRouter

from api.routes import events, health, users
from api.routes import recommendations  # recommender, issue 5
from api.routes import search  # knowledge base, issue 4
from api.routes import optimize, reports  # analytics and optimizer, issue 7


def all_routers() -> list[APIRouter]:
    return [health.router, users.router, events.router, recommendations.router, search.router,
            reports.router, optimize.router]  # fmt: skip
