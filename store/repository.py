"""Writes and reads of the stored records. Callers pass a Session and own its transaction."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

import pandas as pd
from sqlalchemy import CursorResult, Table, bindparam, delete, func, select, text, update
from sqlalchemy.orm import Session

from store.errors import NotFoundError
from store.formats import CatalogItem
from store.tables import (
    AuditLog,
    CatalogItemRow,
    Conversation,
    Event,
    Interaction,
    Profile,
    User,
)

# Rows per executemany call (SQLAlchemy splits each into statements under the parameter limits).
CHUNK = 20_000

PROFILE_FIELDS = (
    "age", "income", "family", "occupation", "city", "risk_tolerance", "risk_answers",
    "risk_assessed_at", "consents", "segment",
)  # fmt: skip


def _insert_ignoring_duplicates(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """INSERT … ON CONFLICT DO NOTHING as one DBAPI executemany; returns how many rows were new.

    Both drivers report the summed rowcount of an executemany (sqlite3 natively, psycopg 3 since 3.1),
    and skipped conflicts count zero, so the count is exact without RETURNING; executemany keeps a
    200,000-event load to seconds (psycopg pipelines it, sqlite3 steps one prepared statement).
    """
    if not rows:
        return 0
    # A text() statement skips the columns' Python-side defaults (created_at, updated_at…): fill them once.
    filled: dict[str, Any] = {}
    for column in table.columns:
        default: Any = column.default
        if column.name in rows[0] or default is None:
            continue
        if default.is_callable:
            filled[column.name] = default.arg(None)  # SQLAlchemy wraps callables to take an (unused) context
        elif default.is_scalar:
            filled[column.name] = default.arg
    if filled:
        rows = [{**row, **filled} for row in rows]
    columns = list(rows[0])
    names = ", ".join(columns)
    params = ", ".join(f":{c}" for c in columns)
    pk = ", ".join(c.name for c in table.primary_key.columns)
    stmt = text(f"INSERT INTO {table.name} ({names}) VALUES ({params}) ON CONFLICT ({pk}) DO NOTHING").bindparams(
        *(bindparam(c, type_=table.c[c].type) for c in columns)  # the columns' own types convert the values
    )
    inserted = 0
    for start in range(0, len(rows), CHUNK):
        result = session.execute(stmt, list(rows[start : start + CHUNK]))
        inserted += int(result.rowcount)  # type: ignore[attr-defined]
    return inserted


def _none_if_nan(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    return value


# ----------------------------------------------------------------------------------------------
# Catalog


def upsert_catalog(session: Session, items: Iterable[CatalogItem]) -> tuple[int, int]:
    """Inserts new items and replaces changed ones; returns (added, updated)."""
    items = list(items)
    existing = (
        set(
            session.scalars(
                select(CatalogItemRow.item_id).where(CatalogItemRow.item_id.in_([i.item_id for i in items]))
            )
        )
        if len(items) <= 30_000
        else set(session.scalars(select(CatalogItemRow.item_id)))
    )
    added = updated = 0
    new_rows = []
    for item in items:
        data = item.to_dict()
        if item.item_id in existing:
            session.execute(update(CatalogItemRow).where(CatalogItemRow.item_id == item.item_id).values(**data))
            updated += 1
        else:
            new_rows.append(data)
            added += 1
    for start in range(0, len(new_rows), CHUNK):
        session.execute(cast(Table, CatalogItemRow.__table__).insert(), new_rows[start : start + CHUNK])
    return added, updated


def delete_catalog_items(session: Session, item_ids: Sequence[str]) -> int:
    result = session.execute(delete(CatalogItemRow).where(CatalogItemRow.item_id.in_(item_ids)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def catalog_items(session: Session, *, kind: str | None = None) -> list[CatalogItem]:
    stmt = select(CatalogItemRow).order_by(CatalogItemRow.item_id)
    if kind is not None:
        stmt = stmt.where(CatalogItemRow.kind == kind)
    return [row_to_item(r) for r in session.scalars(stmt)]


def row_to_item(row: CatalogItemRow) -> CatalogItem:
    return CatalogItem(
        item_id=row.item_id, kind=row.kind, title=row.title, description=row.description,
        title_en=row.title_en, description_en=row.description_en, title_zh=row.title_zh,
        description_zh=row.description_zh, category=row.category, tags=tuple(row.tags or ()),
        price=row.price, currency=row.currency, risk_level=row.risk_level, min_age=row.min_age,
        max_age=row.max_age, partner=row.partner, url=row.url,
    )  # fmt: skip


# ----------------------------------------------------------------------------------------------
# Users and profiles


def load_users(session: Session, frame: pd.DataFrame) -> int:
    """Creates users with profiles from a validated users frame (`store.formats.read_users`)."""
    users, profiles = [], []
    for rec in frame.to_dict("records"):
        users.append({"user_id": rec["user_id"]})
        children = [int(p) for p in str(rec.get("children") or "").split("|") if p.strip()]
        family: dict[str, Any] = {}
        if rec.get("marital_status"):
            family["marital_status"] = rec["marital_status"]
        if children:
            family["children"] = children
        age = _none_if_nan(rec.get("age"))
        income = _none_if_nan(rec.get("income"))
        profiles.append(
            {
                "user_id": rec["user_id"],
                "age": None if age is None else int(age),
                "income": income,
                "family": family,
                "occupation": rec.get("occupation") or None,
                "city": rec.get("city") or None,
                "risk_tolerance": rec.get("risk_tolerance") or None,
                "risk_answers": {},
                "consents": {},
                "segment": rec.get("segment") or None,
            }
        )
    added = _insert_ignoring_duplicates(session, User.__table__, users)  # type: ignore[arg-type]
    _insert_ignoring_duplicates(session, Profile.__table__, profiles)  # type: ignore[arg-type]
    return added


def ensure_user(session: Session, user_id: str) -> Profile:
    """The user's profile, creating the user and an empty profile on first sight."""
    profile = session.get(Profile, user_id)
    if profile is None:
        if session.get(User, user_id) is None:
            session.add(User(user_id=user_id))
            session.flush()
        profile = Profile(user_id=user_id, family={}, risk_answers={}, consents={})
        session.add(profile)
        session.flush()
    return profile


def get_profile(session: Session, user_id: str) -> Profile:
    profile = session.get(Profile, user_id)
    if profile is None:
        raise NotFoundError(f"user '{user_id}' has no profile")
    return profile


def update_profile(session: Session, user_id: str, changes: dict[str, Any]) -> Profile:
    """Applies the given profile fields (unknown names are refused, not ignored)."""
    unknown = sorted(set(changes) - set(PROFILE_FIELDS))
    if unknown:
        raise ValueError(f"unknown profile field(s) {', '.join(unknown)}; valid: {', '.join(PROFILE_FIELDS)}")
    profile = ensure_user(session, user_id)
    for key, value in changes.items():
        setattr(profile, key, value)
    session.flush()
    return profile


def profile_to_dict(profile: Profile) -> dict[str, Any]:
    data: dict[str, Any] = {"user_id": profile.user_id}
    for name in PROFILE_FIELDS:
        value = getattr(profile, name)
        data[name] = value.isoformat() if isinstance(value, datetime) else value
    return data


def delete_user(session: Session, user_id: str) -> dict[str, int]:
    """Deletes the user's profile, conversations and interactions, and blanks the personal fields
    of their events (the events stay, anonymised, so aggregate reports keep their totals)."""
    if session.get(User, user_id) is None and session.get(Profile, user_id) is None:
        exists = session.scalar(select(func.count()).select_from(Conversation).where(Conversation.user_id == user_id))
        if not exists:
            raise NotFoundError(f"user '{user_id}' not found")
    # DML statements run through a CursorResult, which carries the rowcount that Result does not declare
    conversations = cast(
        CursorResult[Any], session.execute(delete(Conversation).where(Conversation.user_id == user_id))
    ).rowcount
    interactions = cast(
        CursorResult[Any], session.execute(delete(Interaction).where(Interaction.user_id == user_id))
    ).rowcount
    events = cast(
        CursorResult[Any],
        session.execute(update(Event).where(Event.user_id == user_id).values(user_id=f"deleted:{_anon_key(user_id)}")),
    ).rowcount
    session.execute(delete(Profile).where(Profile.user_id == user_id))
    session.execute(delete(User).where(User.user_id == user_id))
    return {"conversations": int(conversations or 0), "interactions": int(interactions or 0),
            "events_anonymised": int(events or 0)}  # fmt: skip


def _anon_key(user_id: str) -> str:
    """A one-way key so a deleted user's events still count once per person in the funnels."""
    import hashlib

    return hashlib.sha256(user_id.encode()).hexdigest()[:16]


# ----------------------------------------------------------------------------------------------
# Interactions and events


def load_interactions(session: Session, frame: pd.DataFrame) -> int:
    rows = [
        {"user_id": u, "item_id": i, "weight": float(w), "timestamp": _none_if_nan(t)}
        for u, i, w, t in zip(frame["user_id"], frame["item_id"], frame["weight"], frame["timestamp"], strict=True)
    ]
    for start in range(0, len(rows), CHUNK):
        session.execute(cast(Table, Interaction.__table__).insert(), rows[start : start + CHUNK])
    return len(rows)


def ingest_events(session: Session, frame: pd.DataFrame) -> int:
    """Stores validated events (`store.formats.events_from_frame`); returns how many were new."""
    columns = ["event_id", "timestamp", "user_id", "event_type", "campaign", "variant", "channel",
               "segment", "item_id", "revenue"]  # fmt: skip
    data = frame[columns].astype(object)
    data = data.where(data.notna(), None)
    rows = data.to_dict("records")
    for row in rows:
        row["timestamp"] = row["timestamp"].to_pydatetime()
    return _insert_ignoring_duplicates(session, Event.__table__, rows)  # type: ignore[arg-type]


def count(session: Session, table: type[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(table)) or 0)


# ----------------------------------------------------------------------------------------------
# Audit


def audit(
    session: Session, *, actor_id: str, actor_role: str, action: str, target: str = "",
    details: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    session.add(AuditLog(actor_id=actor_id, actor_role=actor_role, action=action, target=target,
                         details=details or {}))  # fmt: skip
