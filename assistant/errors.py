"""The assistant's exceptions (ARCHITECTURE.md, convention 7)."""

from __future__ import annotations


class AssistantError(Exception):
    """Root of every error raised by the `assistant` package."""


class AssistantInputError(AssistantError, ValueError):
    """A message or request the assistant cannot take as given."""
