"""Request dependencies as `Annotated` aliases; tests override them with `app.dependency_overrides`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth import AuthError, ForbiddenError, Principal, Role, decode_token
from api.services import Services
from store.db import transaction
from store.tables import Conversation, Handoff


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back on error."""
    with transaction(services.sessions) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def current_principal(
    services: ServicesDep,
    authorization: Annotated[str | None, Header(description="Bearer <token> from `advisor token`")] = None,
) -> Principal:
    if not authorization:
        raise AuthError("missing Authorization header; send 'Authorization: Bearer <token>'")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("Authorization header must be 'Bearer <token>'")
    return decode_token(token.strip(), secret=services.settings.secret_key)


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require_role(*roles: Role) -> Callable[[Principal], Principal]:
    def check(principal: PrincipalDep) -> Principal:
        if principal.role not in roles:
            raise ForbiddenError(f"this call needs the role {' or '.join(roles)}; you are '{principal.role}'")
        return principal

    return check


AdminDep = Annotated[Principal, Depends(require_role("admin"))]
StaffDep = Annotated[Principal, Depends(require_role("agent", "admin"))]


def user_in_handoff(session: Session, user_id: str) -> bool:
    """Whether the user has a conversation on the agent desk (waiting or taken)."""
    stmt = (
        select(Handoff.id)
        .join(Conversation, Conversation.conversation_id == Handoff.conversation_id)
        .where(Conversation.user_id == user_id, Handoff.state.in_(("waiting", "taken")))
        .limit(1)
    )
    return session.scalar(stmt) is not None


def authorize_user_access(principal: Principal, user_id: str, session: Session, *, agents: bool) -> None:
    """Self or admin always; an agent only for a user in a handed-off conversation (PRODUCT.md, Roles)."""
    if principal.user_id == user_id and principal.role == "user":
        return
    if principal.role == "admin":
        return
    if agents and principal.role == "agent" and user_in_handoff(session, user_id):
        return
    raise ForbiddenError("you may only access your own data")
