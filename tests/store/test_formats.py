"""Every data format rejects bad input with file, row and column, and accepts good input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.errors import DataFormatError
from store.formats import read_catalog, read_events, read_intents, read_interactions, read_judgments, read_users

HEADER = "item_id,kind,title,description,category,tags,price,risk_level,min_age,max_age\n"
GOOD = (
    "C1,course,基金定投入门,学会定投,investing,基金|定投,99,,,\n"
    "INS1,insurance,重疾险A,保障100种重疾,critical_illness,重疾,3600,R2,18,55\n"
)


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_good_catalog_reads_typed_items(tmp_path: Path) -> None:
    items = read_catalog(write(tmp_path, "catalog.csv", HEADER + GOOD))
    assert [i.item_id for i in items] == ["C1", "INS1"]
    assert items[0].tags == ("基金", "定投") and items[0].price == 99.0 and items[0].risk_level is None
    assert items[1].risk_level == "R2" and (items[1].min_age, items[1].max_age) == (18, 55)


def test_catalog_jsonl(tmp_path: Path) -> None:
    lines = [
        {"item_id": "F1", "kind": "finance", "title": "货币基金", "description": "随存随取", "risk_level": "R1"},
        {"item_id": "A1", "kind": "article", "title": "What is a deductible", "description": "…", "tags": ["a", "b"]},
    ]
    path = write(tmp_path, "catalog.jsonl", "\n".join(json.dumps(x, ensure_ascii=False) for x in lines))
    items = read_catalog(path)
    assert items[0].risk_level == "R1" and items[1].tags == ("a", "b")


@pytest.mark.parametrize(
    ("body", "row", "column", "fragment"),
    [
        ("C1,course,t,d,,,99,,,\nX,gadget,t,d,,,1,,,\n", 2, "kind", "'gadget' is not one of"),
        ("I1,insurance,t,d,,,1,R9,,\n", 1, "risk_level", "'R9' is not one of R1"),
        ("I1,insurance,t,d,,,1,,,\n", 1, "risk_level", "need a risk level"),
        ("C1,course,t,d,,,cheap,,,\n", 1, "price", "'cheap' is not a number"),
        ("C1,course,t,d,,,-5,,,\n", 1, "price", "below the minimum"),
        ("C1,course,t,d,,,1,,,\nC1,course,t2,d2,,,1,,,\n", 2, "item_id", "duplicate value 'C1'"),
        ("C1,course,,d,,,1,,,\n", 1, "title", "value is required"),
        ("I1,insurance,t,d,,,1,R1,60,18\n", 1, "min_age", "greater than max_age"),
        ("I1,insurance,t,d,,,1,R1,18.5,60\n", 1, "min_age", "not an integer"),
    ],
)
def test_bad_catalog_names_row_and_column(tmp_path: Path, body: str, row: int, column: str, fragment: str) -> None:
    path = write(tmp_path, "catalog.csv", HEADER + body)
    with pytest.raises(DataFormatError) as info:
        read_catalog(path)
    err = info.value
    assert (err.row, err.column) == (row, column)
    assert fragment in str(err) and "catalog.csv" in str(err)
    assert "\n" not in str(err)


def test_missing_column(tmp_path: Path) -> None:
    path = write(tmp_path, "catalog.csv", "item_id,kind,title\nC1,course,t\n")
    with pytest.raises(DataFormatError, match="missing required column.*description") as info:
        read_catalog(path)
    assert info.value.column == "description"


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "catalog.csv", (HEADER + "C1,course,").encode() + "基金".encode("gbk") + b",d,,,1,,,\n")
    with pytest.raises(DataFormatError, match="not valid UTF-8.*line 2"):
        read_catalog(path)


def test_missing_file_and_wrong_suffix(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="file not found"):
        read_catalog(tmp_path / "nope.csv")
    with pytest.raises(DataFormatError, match=r"\.csv or \.jsonl"):
        read_catalog(write(tmp_path, "catalog.xlsx", "x"))


def test_malformed_csv(tmp_path: Path) -> None:
    path = write(tmp_path, "intents.csv", 'text,intent\n"unclosed quote,greet\n')
    with pytest.raises(DataFormatError, match="malformed CSV"):
        read_intents(path)


def test_intents_require_both_fields(tmp_path: Path) -> None:
    assert len(read_intents(write(tmp_path, "i.csv", "text,intent\n你好,greet\nhi,greet\n"))) == 2
    with pytest.raises(DataFormatError) as info:
        read_intents(write(tmp_path, "i.csv", "text,intent\n你好,greet\nhi,\n"))
    assert (info.value.row, info.value.column) == (2, "intent")


def test_interactions_default_weight_and_bad_timestamp(tmp_path: Path) -> None:
    frame = read_interactions(write(tmp_path, "x.csv", "user_id,item_id\nu1,C1\n"))
    assert frame["weight"].tolist() == [1.0]
    with pytest.raises(DataFormatError) as info:
        read_interactions(write(tmp_path, "x.csv", "user_id,item_id,weight,timestamp\nu1,C1,2,2026-13-45\n"))
    assert info.value.column == "timestamp"
    with pytest.raises(DataFormatError, match="not a number"):
        read_interactions(write(tmp_path, "x.csv", "user_id,item_id,weight\nu1,C1,heavy\n"))


EVENT_HEADER = "event_id,timestamp,user_id,event_type,campaign,variant,channel,segment,item_id,revenue\n"


def test_events_typed_and_deduplicated(tmp_path: Path) -> None:
    body = (
        "e1,2026-10-01T08:00:00Z,u1,exposure,spring,A,app,young,C1,\n"
        "e2,2026-10-01T09:00:00+08:00,u1,course_purchase,,,,,C1,99.5\n"
        "e1,2026-10-01T08:00:00Z,u1,exposure,spring,A,app,young,C1,\n"
    )
    frame = read_events(write(tmp_path, "events.csv", EVENT_HEADER + body))
    assert frame["event_id"].tolist() == ["e1", "e2"]
    assert frame["campaign"].tolist() == ["spring", None]
    assert frame["revenue"].iloc[1] == 99.5
    assert str(frame["timestamp"].iloc[1]) == "2026-10-01 01:00:00+00:00"


@pytest.mark.parametrize(
    ("body", "column", "fragment"),
    [
        ("e1,2026-10-01T08:00:00Z,u1,purchase,,,,,,\n", "event_type", "'purchase' is not one of exposure"),
        ("e1,yesterday,u1,click,,,,,,\n", "timestamp", "not an ISO 8601 timestamp"),
        ("e1,,u1,click,,,,,,\n", "timestamp", "value is required"),
        ("e1,2026-10-01T08:00:00Z,u1,click,,,,,,lots\n", "revenue", "not a number"),
    ],
)
def test_bad_events(tmp_path: Path, body: str, column: str, fragment: str) -> None:
    with pytest.raises(DataFormatError) as info:
        read_events(write(tmp_path, "events.csv", EVENT_HEADER + body))
    assert info.value.column == column and fragment in str(info.value) and info.value.row == 1


def test_judgments_split_relevant(tmp_path: Path) -> None:
    judged = read_judgments(write(tmp_path, "q.csv", "query,relevant\n定投课程,C1|C2\n"))
    assert judged[0].relevant == ("C1", "C2")


def test_users_validate_tolerance_and_children(tmp_path: Path) -> None:
    header = "user_id,age,income,marital_status,children,risk_tolerance\n"
    frame = read_users(write(tmp_path, "u.csv", header + "u1,35,300000,married,3|7,C3\n"))
    assert frame["age"].iloc[0] == 35
    with pytest.raises(DataFormatError, match="'C9' is not one of"):
        read_users(write(tmp_path, "u.csv", header + "u1,35,1,married,,C9\n"))
    with pytest.raises(DataFormatError, match="child's age"):
        read_users(write(tmp_path, "u.csv", header + "u1,35,1,married,three,C1\n"))


def test_intents_read_another_label_column(tmp_path: Path) -> None:
    """Public sets such as BANKING77 name the label `category`; it is read as the intent."""
    path = write(tmp_path, "b77.csv", "text,category\nmy card is lost,lost_or_stolen_card\n")
    frame = read_intents(path, label_column="category")
    assert frame.to_dict("records") == [{"text": "my card is lost", "intent": "lost_or_stolen_card"}]
    with pytest.raises(DataFormatError, match="category"):
        read_intents(write(tmp_path, "i.csv", "text,intent\nhi,greet\n"), label_column="category")
