"""Helpers shared by the command groups: settings, JSON output, stderr logging."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from api.settings import Settings, get_settings


def settings() -> Settings:
    return get_settings()


def emit_json(payload: Any) -> None:
    """Prints one JSON object on stdout (progress and logs go to stderr)."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
