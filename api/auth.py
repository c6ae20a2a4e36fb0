"""Signed bearer tokens (HS256 JWT) and the principal they carry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

import jwt

Role = Literal["user", "agent", "admin"]
ROLES: tuple[Role, ...] = ("user", "agent", "admin")
ISSUER = "advisor"


class AuthError(Exception):
    """A missing, malformed, expired or forged token (HTTP 401)."""


class ForbiddenError(Exception):
    """An authenticated principal without the right to this action (HTTP 403)."""


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: str
    role: Role

    @property
    def is_staff(self) -> bool:
        return self.role in ("agent", "admin")


def create_token(*, secret: str, user_id: str, role: str, ttl_hours: float) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role '{role}'; valid roles: {', '.join(ROLES)}")
    if not user_id or len(user_id) > 64:
        raise ValueError("user id must be 1 to 64 characters")
    now = datetime.now(UTC)
    claims = {
        "sub": user_id,
        "role": role,
        "iss": ISSUER,
        "iat": now,
        "exp": now + timedelta(hours=ttl_hours),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def decode_token(token: str, *, secret: str) -> Principal:
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], issuer=ISSUER, options={"require": ["exp", "sub"]}
        )
    except jwt.ExpiredSignatureError as e:
        raise AuthError("token expired") from e
    except jwt.PyJWTError as e:
        raise AuthError("invalid token") from e
    role = claims.get("role")
    if role not in ROLES:
        raise AuthError("token carries no valid role")
    return Principal(user_id=str(claims["sub"]), role=role)
