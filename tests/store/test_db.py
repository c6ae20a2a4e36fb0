"""Migrations, idempotent event ingestion, one-transaction loads and user deletion on the test database."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import inspect, select

from store import repository
from store.db import current_revision, make_engine, make_session_factory, migrate, transaction
from store.formats import CatalogItem, events_from_frame
from store.tables import AuditLog, CatalogItemRow, Conversation, Event, Message, Profile


def test_migrations_create_every_table(database_url: str) -> None:
    engine = make_engine(database_url)
    tables = set(inspect(engine).get_table_names())
    assert {"users", "profiles", "catalog_items", "interactions", "conversations", "messages", "handoffs",
            "events", "audit_log"} <= tables  # fmt: skip
    assert current_revision(engine) is not None
    migrate(database_url)  # running again is a no-op
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_migrations_build_exactly_the_declared_tables(database_url: str) -> None:
    """No drift between store/tables.py and the Alembic migrations (columns, types, indexes)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from store.tables import Base

    engine = make_engine(database_url)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert differences == []


def _events(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    frame = pd.DataFrame([{"event_id": e, "timestamp": t, "user_id": u, "event_type": k} for e, t, u, k in rows])
    return events_from_frame(frame.astype(str), "test")


def test_events_are_idempotent_on_event_id(database_url: str) -> None:
    sessions = make_session_factory(make_engine(database_url))
    first = _events(("e1", "2026-10-01T08:00:00Z", "u1", "exposure"), ("e2", "2026-10-01T09:00:00Z", "u1", "click"))
    with transaction(sessions) as s:
        assert repository.ingest_events(s, first) == 2
    again = _events(("e2", "2026-10-01T09:00:00Z", "u1", "click"), ("e3", "2026-10-02T09:00:00Z", "u2", "exposure"))
    with transaction(sessions) as s:
        assert repository.ingest_events(s, again) == 1
        assert repository.count(s, Event) == 3


def test_failed_load_writes_nothing(database_url: str) -> None:
    sessions = make_session_factory(make_engine(database_url))
    item = CatalogItem(item_id="C1", kind="course", title="t", description="d")
    with pytest.raises(RuntimeError), transaction(sessions) as s:
        repository.upsert_catalog(s, [item])
        raise RuntimeError("simulated failure half way")
    with transaction(sessions) as s:
        assert repository.count(s, CatalogItemRow) == 0


def test_catalog_upsert_adds_then_updates(database_url: str) -> None:
    sessions = make_session_factory(make_engine(database_url))
    with transaction(sessions) as s:
        assert repository.upsert_catalog(s, [CatalogItem(item_id="C1", kind="course", title="a", description="d")]) == (
            1,
            0,
        )
    with transaction(sessions) as s:
        changed = CatalogItem(item_id="C1", kind="course", title="b", description="d", tags=("x",))
        assert repository.upsert_catalog(s, [changed]) == (0, 1)
        assert repository.catalog_items(s)[0].title == "b"


def test_delete_user_removes_personal_data_and_keeps_anonymous_counts(database_url: str) -> None:
    sessions = make_session_factory(make_engine(database_url))
    with transaction(sessions) as s:
        repository.update_profile(s, "u1", {"age": 40, "city": "上海"})
        s.add(Conversation(conversation_id="c1", user_id="u1", state={}))
        s.flush()
        s.add(Message(conversation_id="c1", sender="user", text="我想买保险", cards=[]))
        repository.ingest_events(s, _events(("e1", "2026-10-01T08:00:00Z", "u1", "exposure")))
    with transaction(sessions) as s:
        counts = repository.delete_user(s, "u1")
    assert counts["conversations"] == 1 and counts["events_anonymised"] == 1
    with transaction(sessions) as s:
        assert s.get(Profile, "u1") is None
        assert s.scalar(select(Message)) is None
        event = s.scalar(select(Event))
        assert event is not None and event.user_id is not None and "u1" not in event.user_id
        with pytest.raises(LookupError):
            repository.delete_user(s, "u1")


def test_audit_log_records_actor(database_url: str) -> None:
    sessions = make_session_factory(make_engine(database_url))
    with transaction(sessions) as s:
        repository.audit(s, actor_id="admin1", actor_role="admin", action="events.ingest", details={"new": 3})
    with transaction(sessions) as s:
        row = s.scalar(select(AuditLog))
        assert row is not None and (row.actor_id, row.action, row.details) == ("admin1", "events.ingest", {"new": 3})


def test_statistics_refresh_after_a_bulk_load(database_url: str) -> None:
    from store.db import refresh_statistics

    engine = make_engine(database_url)
    with transaction(make_session_factory(engine)) as session:
        repository.ingest_events(session, _events(("e1", "2026-10-01T10:00:00", "u1", "exposure")))
    refresh_statistics(engine, "events")  # VACUUM on PostgreSQL must run outside a transaction
    with pytest.raises(ValueError, match="no table"):
        refresh_statistics(engine, "no_such_table")
    engine.dispose()


def test_users_load_with_profiles_and_timestamps_and_again_adds_nothing(database_url: str, tmp_path: Path) -> None:
    from store.formats import read_users
    from store.tables import User

    path = tmp_path / "users.csv"
    path.write_text(
        "user_id,age,income,marital_status,children,occupation,city,risk_tolerance,segment\n"
        "u1,35,300000,married,3|8,engineer,上海,C3,young_family\n"
        "u2,,,,,,,,\n",
        encoding="utf-8",
    )
    frame = read_users(path)
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    with transaction(factory) as session:
        assert repository.load_users(session, frame) == 2
    with transaction(factory) as session:
        assert repository.load_users(session, frame) == 0  # idempotent on user_id
        assert all(u.created_at is not None for u in session.scalars(select(User)))
        profile = repository.get_profile(session, "u1")
        assert (profile.age, profile.city, profile.risk_tolerance) == (35, "上海", "C3")
        assert profile.family == {"marital_status": "married", "children": [3, 8]}
        assert profile.updated_at is not None
    engine.dispose()
