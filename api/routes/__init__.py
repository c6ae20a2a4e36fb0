"""The `/v1` routers; each module is thin: validate, call one service, return a schema."""

from __future__ import annotations

from fastapi import APIRouter

from api.routes import events, health, optimize, recommendations, reports, search, users


def all_routers() -> list[APIRouter]:
    """Foundation (health, users, events), recommender, knowledge-base search, analytics and optimizer."""
    return [
        health.router,
        users.router,
        events.router,
        recommendations.router,
        search.router,
        reports.router,
        optimize.router,
    ]
