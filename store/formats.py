"""Readers for the file formats of CONTRACTS.md, each validating its whole input before returning.

Every reader either returns fully validated data or raises `DataFormatError` naming the file, the
(1-based data) row and the column of the first problem; nothing is written by a reader, so a caller
that loads the result in one transaction never writes half a file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from store.errors import DataFormatError

ITEM_KINDS = ("course", "insurance", "finance", "article", "faq")
RISK_LEVELS = ("R1", "R2", "R3", "R4", "R5")
RISK_TOLERANCES = ("C1", "C2", "C3", "C4", "C5")
EVENT_TYPES = ("exposure", "click", "course_purchase", "insurance_lead", "policy_purchase")
PRODUCT_KINDS = ("insurance", "finance")

CATALOG_COLUMNS = (
    "item_id", "kind", "title", "description", "title_en", "description_en", "title_zh",
    "description_zh", "category", "tags", "price", "currency", "risk_level", "min_age", "max_age",
    "partner", "url",
)  # fmt: skip
EVENT_COLUMNS = (
    "event_id", "timestamp", "user_id", "event_type", "campaign", "variant", "channel", "segment",
    "item_id", "revenue",
)  # fmt: skip


# ----------------------------------------------------------------------------------------------
# Low-level reading


def read_text(path: str | Path) -> str:
    """Reads a UTF-8 file (a BOM is tolerated); a non-UTF-8 byte is reported with its line."""
    p = Path(path)
    if not p.is_file():
        raise DataFormatError(p, "file not found")
    raw = p.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DataFormatError(
            p, f"not valid UTF-8 (byte 0x{raw[e.start]:02x} at line {line}); save the file as UTF-8"
        ) from e


def read_csv_strings(path: str | Path, *, required: Sequence[str]) -> pd.DataFrame:
    """Reads a CSV with every cell as a stripped string ('' when empty) and checks the header."""
    text = read_text(path)
    if not text.strip():
        raise DataFormatError(path, "file is empty; expected a header row")
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, skipinitialspace=False
        )
    except (pd.errors.ParserError, csv.Error) as e:
        raise DataFormatError(path, f"malformed CSV: {e}") from e
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataFormatError(
            path,
            f"missing required column(s) {', '.join(missing)}; the header has {', '.join(frame.columns)}",
            column=missing[0],
        )
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    return frame


def _first_bad(mask: pd.Series) -> int | None:
    """The 1-based data row of the first True in `mask`, or None."""
    hits = mask.to_numpy().nonzero()[0]
    return int(hits[0]) + 1 if len(hits) else None


def require_nonempty(frame: pd.DataFrame, path: str | Path, columns: Iterable[str]) -> None:
    for column in columns:
        row = _first_bad(frame[column] == "")
        if row is not None:
            raise DataFormatError(path, "value is required", row=row, column=column)


def require_choice(
    frame: pd.DataFrame,
    path: str | Path,
    column: str,
    choices: Sequence[str],
    *,
    allow_empty: bool = False,
) -> None:
    values = frame[column]
    bad = ~values.isin(choices)
    if allow_empty:
        bad &= values != ""
    row = _first_bad(bad)
    if row is not None:
        raise DataFormatError(
            path,
            f"'{values.iloc[row - 1]}' is not one of {', '.join(choices)}",
            row=row,
            column=column,
        )


def parse_number(
    frame: pd.DataFrame,
    path: str | Path,
    column: str,
    *,
    integer: bool = False,
    minimum: float | None = None,
) -> pd.Series:
    """Parses a column of optional numbers; returns floats with NaN where the cell is empty."""
    values = frame[column] if column in frame.columns else pd.Series([""] * len(frame), dtype=str)
    numbers = pd.to_numeric(values.where(values != "", None), errors="coerce")
    bad = numbers.isna() & (values != "")
    if integer:
        bad |= numbers.notna() & (numbers != numbers.round())
    row = _first_bad(bad)
    if row is not None:
        kind = "an integer" if integer else "a number"
        raise DataFormatError(path, f"'{values.iloc[row - 1]}' is not {kind}", row=row, column=column)
    if minimum is not None:
        row = _first_bad(numbers.notna() & (numbers < minimum))
        if row is not None:
            raise DataFormatError(
                path, f"{numbers.iloc[row - 1]:g} is below the minimum {minimum:g}", row=row, column=column
            )
    return numbers.astype(float)


def parse_timestamps(frame: pd.DataFrame, path: str | Path, column: str, *, required: bool) -> pd.Series:
    """Parses ISO 8601 timestamps into UTC-aware datetimes (NaT where empty and allowed)."""
    values = frame[column] if column in frame.columns else pd.Series([""] * len(frame), dtype=str)
    parsed = pd.to_datetime(values.where(values != "", None), errors="coerce", utc=True, format="ISO8601")
    bad = parsed.isna() & ((values != "") | required)
    row = _first_bad(bad)
    if row is not None:
        shown = values.iloc[row - 1]
        message = "timestamp is required" if shown == "" else f"'{shown}' is not an ISO 8601 timestamp"
        raise DataFormatError(path, message, row=row, column=column)
    return parsed


def require_unique(frame: pd.DataFrame, path: str | Path, column: str) -> None:
    dup = frame[column].duplicated()
    row = _first_bad(dup)
    if row is not None:
        raise DataFormatError(
            path, f"duplicate value '{frame[column].iloc[row - 1]}' (must be unique)", row=row, column=column
        )


# ----------------------------------------------------------------------------------------------
# Catalog


@dataclass(frozen=True, slots=True)
class CatalogItem:
    """One catalog row, validated. Text fields are '' when absent; numbers are None when absent."""

    item_id: str
    kind: str
    title: str
    description: str
    title_en: str = ""
    description_en: str = ""
    title_zh: str = ""
    description_zh: str = ""
    category: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    price: float | None = None
    currency: str = "CNY"
    risk_level: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    partner: str = ""
    url: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tags"] = list(self.tags)
        return data

    @property
    def is_product(self) -> bool:
        return self.kind in PRODUCT_KINDS


def read_catalog(path: str | Path) -> list[CatalogItem]:
    """Reads a catalog `.csv` or `.jsonl` (CONTRACTS.md) and validates every row."""
    p = Path(path)
    if p.suffix.lower() == ".jsonl":
        frame = _jsonl_to_frame(p)
    elif p.suffix.lower() == ".csv":
        frame = read_csv_strings(p, required=("item_id", "kind", "title", "description"))
    else:
        raise DataFormatError(p, "catalog must be a .csv or .jsonl file")
    return catalog_from_frame(frame, p)


def _jsonl_to_frame(path: Path) -> pd.DataFrame:
    rows: list[dict[str, str]] = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise DataFormatError(path, f"invalid JSON: {e.msg}", row=number) from e
        if not isinstance(obj, dict):
            raise DataFormatError(path, "each line must be a JSON object", row=number)
        row: dict[str, str] = {}
        for key, value in obj.items():
            if isinstance(value, list):
                value = "|".join(str(v) for v in value)
            row[str(key)] = "" if value is None else str(value).strip()
        rows.append(row)
    frame = pd.DataFrame(rows).fillna("")
    missing = [c for c in ("item_id", "kind", "title", "description") if c not in frame.columns]
    if missing:
        raise DataFormatError(path, f"missing required field(s) {', '.join(missing)}", column=missing[0])
    return frame


def catalog_from_frame(frame: pd.DataFrame, path: str | Path) -> list[CatalogItem]:
    """Validates a catalog table of strings (from a file or an API payload) into items."""
    for column in CATALOG_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    require_nonempty(frame, path, ("item_id", "kind", "title", "description"))
    require_unique(frame, path, "item_id")
    require_choice(frame, path, "kind", ITEM_KINDS)
    require_choice(frame, path, "risk_level", RISK_LEVELS, allow_empty=True)
    is_product = frame["kind"].isin(PRODUCT_KINDS)
    row = _first_bad(is_product & (frame["risk_level"] == ""))
    if row is not None:
        raise DataFormatError(
            path,
            f"{frame['kind'].iloc[row - 1]} items need a risk level R1..R5",
            row=row,
            column="risk_level",
        )
    price = parse_number(frame, path, "price", minimum=0)
    min_age = parse_number(frame, path, "min_age", integer=True, minimum=0)
    max_age = parse_number(frame, path, "max_age", integer=True, minimum=0)
    row = _first_bad(min_age.notna() & max_age.notna() & (min_age > max_age))
    if row is not None:
        raise DataFormatError(path, "min_age is greater than max_age", row=row, column="min_age")

    items: list[CatalogItem] = []
    records = frame.to_dict("records")
    for i, rec in enumerate(records):
        items.append(
            CatalogItem(
                item_id=rec["item_id"],
                kind=rec["kind"],
                title=rec["title"],
                description=rec["description"],
                title_en=rec["title_en"],
                description_en=rec["description_en"],
                title_zh=rec["title_zh"],
                description_zh=rec["description_zh"],
                category=rec["category"],
                tags=tuple(t.strip() for t in rec["tags"].split("|") if t.strip()),
                price=None if pd.isna(price.iat[i]) else float(price.iat[i]),
                currency=rec["currency"] or "CNY",
                risk_level=rec["risk_level"] or None,
                min_age=None if pd.isna(min_age.iat[i]) else int(min_age.iat[i]),
                max_age=None if pd.isna(max_age.iat[i]) else int(max_age.iat[i]),
                partner=rec["partner"],
                url=rec["url"],
            )
        )
    return items


# ----------------------------------------------------------------------------------------------
# Intents, interactions, judgments


def read_intents(path: str | Path, *, label_column: str = "intent") -> pd.DataFrame:
    """`text,intent` rows; returns a frame with exactly those two non-empty string columns.

    `label_column` reads another column as the intent (public sets such as BANKING77 call it `category`).
    """
    frame = read_csv_strings(path, required=("text", label_column))
    require_nonempty(frame, path, ("text", label_column))
    return pd.DataFrame({"text": frame["text"], "intent": frame[label_column]}).reset_index(drop=True)


def read_interactions(path: str | Path) -> pd.DataFrame:
    """`user_id,item_id[,weight][,timestamp]`; weight defaults to 1 and must be positive."""
    frame = read_csv_strings(path, required=("user_id", "item_id"))
    require_nonempty(frame, path, ("user_id", "item_id"))
    weight = parse_number(frame, path, "weight", minimum=0).fillna(1.0)
    timestamp = parse_timestamps(frame, path, "timestamp", required=False)
    return pd.DataFrame(
        {"user_id": frame["user_id"], "item_id": frame["item_id"], "weight": weight, "timestamp": timestamp}
    )


@dataclass(frozen=True, slots=True)
class Judgment:
    """One judged retrieval query and the item ids relevant to it."""

    query: str
    relevant: tuple[str, ...]


def read_judgments(path: str | Path) -> list[Judgment]:
    """`query,relevant` rows where `relevant` is a `|`-separated list of item ids."""
    frame = read_csv_strings(path, required=("query", "relevant"))
    require_nonempty(frame, path, ("query", "relevant"))
    return [
        Judgment(query=q, relevant=tuple(r.strip() for r in rel.split("|") if r.strip()))
        for q, rel in zip(frame["query"], frame["relevant"], strict=True)
    ]


# ----------------------------------------------------------------------------------------------
# Events


def read_events(path: str | Path) -> pd.DataFrame:
    """Reads an events CSV (CONTRACTS.md) into a typed frame; empty optional cells become None."""
    frame = read_csv_strings(path, required=("event_id", "timestamp", "user_id", "event_type"))
    return events_from_frame(frame, path)


def events_from_frame(frame: pd.DataFrame, path: str | Path) -> pd.DataFrame:
    """Validates an events table of strings (from a CSV or an API payload)."""
    for column in EVENT_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    require_nonempty(frame, path, ("event_id", "timestamp", "user_id", "event_type"))
    require_choice(frame, path, "event_type", EVENT_TYPES)
    timestamp = parse_timestamps(frame, path, "timestamp", required=True)
    revenue = parse_number(frame, path, "revenue", minimum=0)
    out = pd.DataFrame({"event_id": frame["event_id"], "timestamp": timestamp})
    for column in ("user_id", "event_type", "campaign", "variant", "channel", "segment", "item_id"):
        out[column] = frame[column].astype(object).where(frame[column] != "", None)
    out["revenue"] = revenue
    # The same event_id twice in one file is the same event: keep the first (idempotency key).
    return out.drop_duplicates(subset="event_id", keep="first").reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# Users (the demo's profile file; not part of CONTRACTS.md, documented in README.md)

USER_COLUMNS = (
    "user_id", "age", "income", "marital_status", "children", "occupation", "city", "risk_tolerance",
    "segment",
)  # fmt: skip


def read_users(path: str | Path) -> pd.DataFrame:
    """`user_id[,age][,income][,marital_status][,children][,occupation][,city][,risk_tolerance][,segment]`.

    `children` is a `|`-separated list of ages.
    """
    frame = read_csv_strings(path, required=("user_id",))
    for column in USER_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    require_nonempty(frame, path, ("user_id",))
    require_unique(frame, path, "user_id")
    require_choice(frame, path, "risk_tolerance", RISK_TOLERANCES, allow_empty=True)
    frame["age"] = parse_number(frame, path, "age", integer=True, minimum=0)
    frame["income"] = parse_number(frame, path, "income", minimum=0)
    for i, value in enumerate(frame["children"], start=1):
        for part in filter(None, (p.strip() for p in value.split("|"))):
            if not part.isdigit():
                raise DataFormatError(path, f"'{part}' is not a child's age", row=i, column="children")
    return frame[list(USER_COLUMNS)]
