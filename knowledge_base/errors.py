"""The knowledge base's exceptions (ARCHITECTURE.md, convention 7)."""

from __future__ import annotations


class KnowledgeBaseError(Exception):
    """Root of every error raised by the `knowledge_base` package."""


class KnowledgeBaseInputError(KnowledgeBaseError, ValueError):
    """A bad query, filter, catalog or index directory given by the caller."""
