"""First-run set-up shared by `advisor init` and `advisor serve`: database, demo data, default models.

Each step says whether it is needed, so a second run rebuilds nothing and starts fast.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from sqlalchemy.orm import Session

from api.settings import Settings
from store import formats, repository
from store.db import make_engine, make_session_factory, migrate, refresh_statistics, transaction
from store.tables import CatalogItemRow, Event, Interaction, User

T = TypeVar("T")
log = logging.getLogger("advisor.bootstrap")
console = Console(stderr=True)

DEMO_FILES = {
    "catalog": "catalog.csv",
    "users": "users.csv",
    "interactions": "interactions.csv",
    "events": "events.csv",
    "intents": "intents/train.csv",
}


@dataclass(frozen=True)
class Step:
    """One set-up step: `needed` is cheap; `run` does the work and returns a one-line summary."""

    name: str
    needed: Callable[[Settings], bool]
    run: Callable[[Settings], str]


def _with_session(settings: Settings, work: Callable[[Session], T]) -> T:
    engine = make_engine(settings.database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            return work(session)
    finally:
        engine.dispose()


def _catalog_empty(settings: Settings) -> bool:
    return _with_session(settings, lambda s: repository.count(s, CatalogItemRow)) == 0


def load_demo_data(settings: Settings) -> str:
    """Validates every demo file first, then loads them all in one transaction."""
    root = settings.demo_data_dir
    with console.status("validating demo files…"):
        items = formats.read_catalog(root / DEMO_FILES["catalog"])
        users = formats.read_users(root / DEMO_FILES["users"])
        interactions = formats.read_interactions(root / DEMO_FILES["interactions"])
        events = formats.read_events(root / DEMO_FILES["events"])

    def work(session: Session) -> str:
        with console.status(f"loading {len(items)} catalog items, {len(users)} users…"):
            repository.upsert_catalog(session, items)
            repository.load_users(session, users)
        with console.status(f"loading {len(interactions):,} interactions…"):
            repository.load_interactions(session, interactions)
        with console.status(f"loading {len(events):,} events…"):
            new = repository.ingest_events(session, events)
        return f"{len(items)} items, {len(users)} users, {len(interactions):,} interactions, {new:,} events"

    summary = _with_session(settings, work)
    engine = make_engine(settings.database_url)
    try:
        refresh_statistics(engine, "events")
    finally:
        engine.dispose()
    return summary


def database_counts(settings: Settings) -> dict[str, int]:
    tables = (CatalogItemRow, User, Interaction, Event)
    return _with_session(settings, lambda s: {t.__tablename__: repository.count(s, t) for t in tables})


def model_steps() -> list[Step]:
    """The default models `advisor init` trains into artifacts/ (each skipped when already built)."""
    steps: list[Step] = []
    # recommender (issue 5): trained from the stored interactions into settings.recommender_dir
    from api.recommending import recommender_needed, recommender_step_run

    steps.append(Step("recommender", recommender_needed, recommender_step_run))
    # knowledge base (issue 4): hybrid index built from the catalog stored in the database
    from api.services import kb_index_needed, kb_index_run

    steps.append(Step("knowledge base index", kb_index_needed, kb_index_run))
    # intent and sentiment classifiers (issues 3 and 7): fine-tuned from the bundled demo data
    from api.classifiers import intent_needed, intent_run, sentiment_needed, sentiment_run

    steps.append(Step("intent classifier", intent_needed, intent_run))
    steps.append(Step("sentiment classifier", sentiment_needed, sentiment_run))
    return steps


def _migrate_schema(settings: Settings) -> str:
    migrate(settings.database_url)
    return "migrations at head"


def run_steps(settings: Settings, *, demo: bool, force_models: bool = False) -> None:
    """Runs set-up with a line of progress per step; steps already done are skipped."""
    steps: list[Step] = [
        Step("database schema", lambda s: True, _migrate_schema),
    ]
    if demo:
        steps.append(Step("demo data", _catalog_empty, load_demo_data))
    for step in model_steps():

        def needed(s: Settings, st: Step = step) -> bool:
            return force_models or st.needed(s)

        steps.append(Step(step.name, needed, step.run))
    total = len(steps)
    for number, step in enumerate(steps, start=1):
        label = f"[{number}/{total}] {step.name}"
        if not step.needed(settings):
            console.print(f"{label}: up to date")
            continue
        started = time.perf_counter()
        console.print(f"{label}: working…")
        summary = step.run(settings)
        console.print(f"{label}: {summary} [dim]({time.perf_counter() - started:.1f}s)[/dim]")


def artifacts_ready(settings: Settings) -> bool:
    return all(not step.needed(settings) for step in model_steps()) and Path(settings.artifacts_dir).exists()
