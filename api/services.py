"""The heavy, long-lived objects of one server process, built once in the lifespan."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Histogram
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.settings import Settings
from store.db import make_engine, make_session_factory, migrate

log = logging.getLogger("advisor.services")


@dataclass
class Metrics:
    """Prometheus collectors in a registry of their own (one per app, so tests do not collide)."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        self.requests = Counter(
            "advisor_http_requests_total",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "advisor_http_request_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
        )


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    metrics: Metrics

    @classmethod
    def build(cls, settings: Settings, *, apply_migrations: bool = True) -> Services:
        if apply_migrations:
            migrate(settings.database_url)
        engine = make_engine(settings.database_url)
        return cls(settings=settings, engine=engine, sessions=make_session_factory(engine), metrics=Metrics())

    def close(self) -> None:
        self.engine.dispose()
