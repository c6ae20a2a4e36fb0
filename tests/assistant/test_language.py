from __future__ import annotations

import pytest

from assistant.errors import AssistantInputError
from assistant.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我想买重疾险", "zh"),
        ("你好", "zh"),
        ("我想买 critical illness insurance", "zh"),  # mixed: Chinese wins
        ("帮我查一下 policy PA123 的状态", "zh"),
        ("What insurance suits a 35 year old?", "en"),
        ("hi", "en"),
        ("ＨＥＬＬＯ", "en"),  # full-width Latin
        ("Is 重疾 the same as critical illness?", "zh"),
    ],
)
def test_detects_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "123456", "？？？", "👍", "2026-10-01"])
def test_neutral_text_falls_back_to_default(text: str) -> None:
    assert detect_language(text, default="zh") == "zh"
    assert detect_language(text, default="en") == "en"


def test_unknown_default_is_refused_naming_valid_values() -> None:
    with pytest.raises(AssistantInputError, match="zh, en"):
        detect_language("hi", default="fr")  # type: ignore[arg-type]
