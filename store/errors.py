"""The store's exceptions. Input errors also subclass ValueError (ARCHITECTURE.md, convention 7)."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Root of every error raised by the `store` package."""


class DataFormatError(StoreError, ValueError):
    """A data file (or request payload) breaks its format: names the file, the row and the column.

    `row` counts data rows from 1 (the header is not counted); `row=None` means the header or the
    file as a whole.
    """

    def __init__(
        self,
        source: str | Path,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.source = str(source)
        self.message = message
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.source]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class NotFoundError(StoreError, LookupError):
    """A record the caller named does not exist."""
