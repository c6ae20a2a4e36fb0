"""Profiles and the right to be forgotten."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Path

from api.auth import ForbiddenError
from api.deps import PrincipalDep, SessionDep, authorize_user_access
from api.schemas import Deleted, ProfileIn, ProfileOut
from store import repository

router = APIRouter(prefix="/v1/users", tags=["users"])
UserId = Path(min_length=1, max_length=64)


@router.get("/{user_id}/profile", response_model=ProfileOut)
def read_profile(user_id: str, principal: PrincipalDep, session: SessionDep) -> dict[str, Any]:
    user_id = user_id.strip()
    authorize_user_access(principal, user_id, session, agents=True)
    if principal.role == "user":
        return repository.profile_to_dict(repository.ensure_user(session, user_id))
    profile = repository.get_profile(session, user_id)
    return repository.profile_to_dict(profile)


@router.put("/{user_id}/profile", response_model=ProfileOut)
def change_profile(
    user_id: str, body: ProfileIn, principal: PrincipalDep, session: SessionDep
) -> dict[str, Any]:
    authorize_user_access(principal, user_id, session, agents=True)
    changes = body.model_dump(exclude_unset=True)
    if "risk_tolerance" in changes and principal.role == "user":
        raise ForbiddenError("risk tolerance comes from the risk questionnaire; ask the assistant to take it")
    if "segment" in changes and principal.role != "admin":
        raise ForbiddenError("segments are assigned by the segmentation job (admins only)")
    profile = repository.ensure_user(session, user_id)
    if "family" in changes:
        merged = dict(profile.family or {})
        merged.update({k: v for k, v in (changes["family"] or {}).items() if v is not None})
        changes["family"] = merged
    if "consents" in changes:
        now = datetime.now(UTC).isoformat()
        consents = dict(profile.consents or {})
        for name, granted in (changes["consents"] or {}).items():
            consents[name] = now if granted else None
        changes["consents"] = consents
    if "risk_tolerance" in changes:
        changes["risk_assessed_at"] = datetime.now(UTC)
    updated = repository.update_profile(session, user_id, changes)
    if principal.role != "user":
        repository.audit(session, actor_id=principal.user_id, actor_role=principal.role, action="profile.update",
                         target=user_id, details={"fields": sorted(changes)})  # fmt: skip
    return repository.profile_to_dict(updated)


@router.delete("/{user_id}", response_model=Deleted)
def delete_user(user_id: str, principal: PrincipalDep, session: SessionDep) -> dict[str, Any]:
    authorize_user_access(principal, user_id, session, agents=False)
    counts = repository.delete_user(session, user_id)
    if principal.role == "admin":
        repository.audit(session, actor_id=principal.user_id, actor_role=principal.role, action="user.delete",
                         target=user_id, details=counts)  # fmt: skip
    return {"user_id": user_id, **counts}
