"""Where each part of the product registers its command group (`advisor intents …`, `advisor kb …`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

GROUPS: dict[str, typer.Typer] = {}
TOP_LEVEL: list[Callable[..., Any]] = []
