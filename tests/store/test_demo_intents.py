"""The bundled intent data: the default taxonomy in both languages, and a held-out file no training reads."""

from __future__ import annotations

import re

from api.settings import REPO_ROOT
from store.formats import read_intents

TAXONOMY = {
    "greet", "goodbye", "thanks", "affirm", "deny", "course_search", "course_recommend", "insurance_recommend",
    "insurance_explain", "finance_advice", "auto_finance", "platform_faq", "policy_service", "profile_update",
    "risk_assessment", "human_agent", "complaint", "admin_report", "admin_optimize", "out_of_scope",
}  # fmt: skip
CJK = re.compile(r"[\u4e00-\u9fff]")


def _normalised(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _counts(path: str) -> dict[tuple[str, bool], int]:
    frame = read_intents(REPO_ROOT / "data" / "intents" / path)
    counts: dict[tuple[str, bool], int] = {}
    for text, intent in zip(frame["text"], frame["intent"], strict=True):
        key = (intent, bool(CJK.search(text)))
        counts[key] = counts.get(key, 0) + 1
    return counts


def test_every_intent_has_enough_chinese_and_english_examples() -> None:
    train, heldout = _counts("train.csv"), _counts("heldout.csv")
    for intent in TAXONOMY:
        for chinese in (True, False):
            assert train.get((intent, chinese), 0) >= 40, (intent, chinese)
            assert heldout.get((intent, chinese), 0) >= 10, (intent, chinese)
    assert {intent for intent, _ in train} == TAXONOMY == {intent for intent, _ in heldout}


def test_heldout_texts_never_appear_in_training() -> None:
    train = read_intents(REPO_ROOT / "data" / "intents" / "train.csv")
    heldout = read_intents(REPO_ROOT / "data" / "intents" / "heldout.csv")
    seen = {_normalised(t) for t in train["text"]}
    leaked = [t for t in heldout["text"] if _normalised(t) in seen]
    assert leaked == []
