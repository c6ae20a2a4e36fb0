"""Request and response bodies of the HTTP API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class FamilyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    marital_status: str | None = Field(default=None, pattern="^(single|married|divorced|widowed)$")
    children: list[int] | None = Field(default=None, max_length=20)
    elderly_parents: bool | None = None


class ProfileIn(BaseModel):
    """Fields to change; fields left out keep their value."""

    model_config = ConfigDict(extra="forbid")

    age: int | None = Field(default=None, ge=0, le=120)
    income: float | None = Field(default=None, ge=0, description="annual income, CNY")
    family: FamilyIn | None = None
    occupation: str | None = Field(default=None, max_length=128)
    city: str | None = Field(default=None, max_length=64)
    risk_tolerance: str | None = Field(
        default=None, pattern="^C[1-5]$", description="agents and admins only; users take the questionnaire"
    )
    consents: dict[str, bool] | None = Field(default=None, description="consent name → granted")
    segment: str | None = Field(default=None, max_length=64, description="admins only")


class ProfileOut(BaseModel):
    user_id: str
    age: int | None = None
    income: float | None = None
    family: dict[str, Any] = Field(default_factory=dict)
    occupation: str | None = None
    city: str | None = None
    risk_tolerance: str | None = None
    risk_answers: dict[str, Any] = Field(default_factory=dict)
    risk_assessed_at: datetime | None = None
    consents: dict[str, Any] = Field(default_factory=dict)
    segment: str | None = None


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_id: str = Field(min_length=1, max_length=64)
    timestamp: str = Field(min_length=1, description="ISO 8601")
    user_id: str = Field(min_length=1, max_length=64)
    event_type: str
    campaign: str | None = None
    variant: str | None = None
    channel: str | None = None
    segment: str | None = None
    item_id: str | None = None
    revenue: float | None = Field(default=None, ge=0)


class EventsIngested(BaseModel):
    received: int
    new: int


class Deleted(BaseModel):
    user_id: str
    conversations: int
    interactions: int
    events_anonymised: int
