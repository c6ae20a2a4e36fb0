"""Event ingestion (admins): idempotent on event_id."""

from __future__ import annotations

from typing import Any

import pandas as pd
from fastapi import APIRouter, Body

from api.deps import AdminDep, SessionDep
from api.schemas import EventIn, EventsIngested
from store import repository
from store.formats import EVENT_COLUMNS, events_from_frame

router = APIRouter(prefix="/v1", tags=["events"])


@router.post("/events", response_model=EventsIngested)
def ingest_events(
    principal: AdminDep,
    session: SessionDep,
    events: list[EventIn] = Body(..., max_length=100_000),
) -> dict[str, Any]:
    rows = [
        {c: "" if (v := e.model_dump().get(c)) is None else str(v) for c in EVENT_COLUMNS} for e in events
    ]
    frame = events_from_frame(pd.DataFrame(rows, columns=list(EVENT_COLUMNS)), "request body")
    new = repository.ingest_events(session, frame)
    repository.audit(session, actor_id=principal.user_id, actor_role=principal.role, action="events.ingest",
                     details={"received": len(events), "new": new})  # fmt: skip
    return {"received": len(events), "new": new}
