"""The models' exceptions (ARCHITECTURE.md, convention 7)."""

from __future__ import annotations


class ModelError(Exception):
    """Root of every error raised by the `models` package."""


class ModelInputError(ModelError, ValueError):
    """Bad training data, bad arguments or a bad artifact directory given by the caller."""


class NotFittedError(ModelError, RuntimeError):
    """`predict` / `recommend` / `solve` called before `fit` (or `load`)."""
