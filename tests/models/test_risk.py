"""The risk questionnaire: bilingual questions, scoring to C1–C5 with caps, validation, storage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from models import risk
from models.risk import QUESTIONS, RiskAnswerError
from store import repository
from store.db import make_engine, make_session_factory, transaction

LOWEST = {q.id: min(q.options, key=lambda o: o.points).value for q in QUESTIONS}
HIGHEST = {q.id: max(q.options, key=lambda o: o.points).value for q in QUESTIONS}


def test_about_eight_questions_in_both_languages() -> None:
    zh, en = risk.questions("zh"), risk.questions("en")
    assert len(zh) == len(en) == 8
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in q["text"]) for q in zh)
    assert all(q["text"].isascii() or "–" in q["text"] or "…" in q["text"] for q in en)
    assert [o["value"] for o in zh[0]["options"]] == [o["value"] for o in en[0]["options"]]


def test_extremes_score_to_c1_and_c5() -> None:
    assert risk.score(LOWEST).tolerance == "C1"
    top = risk.score(HIGHEST)
    assert top.tolerance == "C5" and top.score == top.max_score == 32


def test_scores_are_monotone_in_the_answers() -> None:
    levels = []
    answers = {**LOWEST, "experience": "wealth_products", "horizon": "1_3y", "loss_tolerance": "up_to_5"}  # no caps
    for q in QUESTIONS:
        answers[q.id] = HIGHEST[q.id]
        levels.append(risk.score(answers).tolerance)
    assert levels == sorted(levels)
    assert len(set(levels)) >= 4


def test_caps_apply_whatever_the_total() -> None:
    answers = {**HIGHEST, "loss_tolerance": "none"}
    result = risk.score(answers)
    assert result.tolerance == "C1" and result.capped_by == ("loss_tolerance",)
    assert risk.score({**HIGHEST, "horizon": "under_1y"}).tolerance == "C2"
    assert risk.score({**HIGHEST, "experience": "none"}).tolerance == "C3"


def test_invalid_answers_name_the_valid_values() -> None:
    with pytest.raises(RiskAnswerError, match="unanswered question"):
        risk.score({"age_band": "25_35"})
    with pytest.raises(RiskAnswerError, match="valid: under_1y, 1_3y"):
        risk.score({**LOWEST, "horizon": "forever"})
    with pytest.raises(RiskAnswerError, match="unknown question"):
        risk.score({**LOWEST, "shoe_size": "42"})
    assert issubclass(RiskAnswerError, ValueError)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2", "1_3y"),
        ("B", "1_3y"),
        ("1–3年", "1_3y"),
        ("More than 5 years", "over_5y"),
        ("3_5y", "3_5y"),
        ("选项4", "over_5y"),
    ],
)
def test_parse_answer_understands_what_people_type(text: str, value: str) -> None:
    assert risk.parse_answer("horizon", text) == value


def test_parse_answer_refuses_nonsense() -> None:
    with pytest.raises(RiskAnswerError, match="choose one of"):
        risk.parse_answer("horizon", "purple")


def test_record_assessment_stores_and_replaces(database_url: str) -> None:
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    when = datetime(2026, 11, 1, tzinfo=UTC)
    with transaction(sessions) as session:
        risk.record_assessment(session, "u1", HIGHEST, now=when)
    with transaction(sessions) as session:
        risk.record_assessment(session, "u1", LOWEST)
    with transaction(sessions) as session:
        profile = repository.profile_to_dict(repository.get_profile(session, "u1"))
    engine.dispose()
    assert profile["risk_tolerance"] == "C1"
    assert profile["risk_answers"]["answers"] == LOWEST
    assert profile["risk_answers"]["version"] == risk.QUESTIONNAIRE_VERSION
    assert profile["risk_assessed_at"] is not None and not profile["risk_assessed_at"].startswith("2026-11-01")
