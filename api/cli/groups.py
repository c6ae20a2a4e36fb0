"""Where each part of the product registers its command group (`advisor intents …`, `advisor kb …`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

GROUPS: dict[str, typer.Typer] = {}
TOP_LEVEL: list[Callable[..., Any]] = []

from api.cli.kb import kb_app  # noqa: E402  (knowledge base, issue 4)

GROUPS["kb"] = kb_app

from api.cli.recommender import recommender_app, risk_app, segments_app  # noqa: E402  (recommender, issue 5)

GROUPS["recommender"] = recommender_app
GROUPS["segments"] = segments_app
GROUPS["risk"] = risk_app

from api.cli.analytics import optimize, report_app  # noqa: E402  (analytics and optimizer, issue 7)

GROUPS["report"] = report_app
TOP_LEVEL.append(optimize)

from api.cli.intents import intents_app  # noqa: E402  (intent classifier, issue 3)

GROUPS["intents"] = intents_app

from api.cli.sentiment import sentiment_app  # noqa: E402  (sentiment classifier, issue 7)

GROUPS["sentiment"] = sentiment_app
