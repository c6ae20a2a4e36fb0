"""The risk questionnaire: eight questions in Chinese and English, scored to a tolerance C1–C5.

Scoring: each option is worth 0–4 points; the total (0–32) maps to C1 ≤ 6 < C2 ≤ 13 < C3 ≤ 20 < C4 ≤ 26 < C5.
Three answers cap the result whatever the total, as suitability regulations do: no loss accepted → C1,
money needed within a year → at most C2, no investment experience → at most C3.
`record_assessment` stores the answers, the score and the date on the profile, replacing an earlier one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from models.errors import ModelInputError
from store import repository
from store.tables import Profile

QUESTIONNAIRE_VERSION = "2026.1"
TOLERANCES = ("C1", "C2", "C3", "C4", "C5")
THRESHOLDS = (6, 13, 20, 26)  # upper bounds (inclusive) of C1..C4
LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Option:
    value: str
    points: int
    zh: str
    en: str


@dataclass(frozen=True)
class Question:
    id: str
    zh: str
    en: str
    options: tuple[Option, ...]

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def to_dict(self, language: str) -> dict[str, Any]:
        lang = _language(language)
        return {
            "id": self.id,
            "text": self.zh if lang == "zh" else self.en,
            "options": [{"value": o.value, "label": o.zh if lang == "zh" else o.en} for o in self.options],
        }


QUESTIONS: tuple[Question, ...] = (
    Question("age_band", "您的年龄段是？", "Which age band are you in?", (
        Option("under_25", 3, "25岁以下", "Under 25"),
        Option("25_35", 4, "25–35岁", "25–35"),
        Option("36_50", 3, "36–50岁", "36–50"),
        Option("51_60", 1, "51–60岁", "51–60"),
        Option("over_60", 0, "60岁以上", "Over 60"),
    )),
    Question("income_stability", "您的收入来源稳定吗？", "How stable is your income?", (
        Option("none", 0, "目前没有稳定收入", "I have no steady income now"),
        Option("unstable", 1, "收入不稳定（自由职业、佣金为主）", "Irregular (freelance, mostly commission)"),
        Option("stable", 3, "工资收入稳定", "A steady salary"),
        Option("very_stable", 4, "收入稳定且有其他来源（租金、经营等）", "Steady, with other sources (rent, business)"),
    )),
    Question("investable_share", "可用于投资的资金占您家庭金融资产的比例？",
             "What share of your household's financial assets could you invest?", (
        Option("under_10", 0, "10%以下", "Under 10%"),
        Option("10_25", 1, "10%–25%", "10%–25%"),
        Option("25_50", 2, "25%–50%", "25%–50%"),
        Option("over_50", 4, "50%以上", "Over 50%"),
    )),
    Question("experience", "您有哪些投资经验？", "What investment experience do you have?", (
        Option("none", 0, "没有，只存过银行存款", "None, only bank deposits"),
        Option("wealth_products", 1, "买过银行理财或货币基金", "Bank wealth products or money-market funds"),
        Option("funds_bonds", 2, "买过债券或基金", "Bonds or mutual funds"),
        Option("stocks", 3, "炒过股票", "Stocks"),
        Option("derivatives", 4, "做过期货、期权等衍生品", "Futures, options or other derivatives"),
    )),
    Question("horizon", "这笔钱您打算投资多久？", "How long do you plan to invest this money?", (
        Option("under_1y", 0, "1年以内", "Less than a year"),
        Option("1_3y", 2, "1–3年", "1–3 years"),
        Option("3_5y", 3, "3–5年", "3–5 years"),
        Option("over_5y", 4, "5年以上", "More than 5 years"),
    )),
    Question("loss_tolerance", "您最多能接受本金亏损多少？",
             "What is the largest loss of principal you could accept?", (
        Option("none", 0, "不能接受任何亏损", "No loss at all"),
        Option("up_to_5", 1, "5%以内", "Up to 5%"),
        Option("5_15", 2, "5%–15%", "5%–15%"),
        Option("15_30", 3, "15%–30%", "15%–30%"),
        Option("over_30", 4, "30%以上", "More than 30%"),
    )),
    Question("goal", "您投资的主要目标是？", "What is the main goal of your investing?", (
        Option("preserve", 0, "保本，资金安全最重要", "Keep my capital safe above all"),
        Option("income", 1, "获得稳定的收益", "A steady income"),
        Option("balanced", 2, "收益和风险兼顾", "Balance return and risk"),
        Option("growth", 3, "追求较高的长期增值", "Higher long-term growth"),
        Option("aggressive", 4, "追求高收益，能承受大幅波动", "High returns; I can take big swings"),
    )),
    Question("drawdown_reaction", "如果您的投资一个月内下跌20%，您会？",
             "If your investment fell 20% within a month, you would…", (
        Option("sell_all", 0, "全部卖出", "Sell everything"),
        Option("sell_some", 1, "卖出一部分", "Sell some"),
        Option("hold", 3, "继续持有", "Hold"),
        Option("buy_more", 4, "逢低加仓", "Buy more"),
    )),
)  # fmt: skip

QUESTION_IDS = tuple(q.id for q in QUESTIONS)
_BY_ID = {q.id: q for q in QUESTIONS}
MAX_SCORE = sum(max(o.points for o in q.options) for q in QUESTIONS)
CAPS: dict[tuple[str, str], str] = {
    ("loss_tolerance", "none"): "C1",
    ("horizon", "under_1y"): "C2",
    ("experience", "none"): "C3",
}


class RiskAnswerError(ModelInputError):
    """An answer names an unknown question or option, or a question is unanswered."""


def _language(language: str | None) -> str:
    return "zh" if (language or "").lower().startswith("zh") else "en"


def questions(language: str = "en") -> list[dict[str, Any]]:
    """The questionnaire for display: id, text and options (value + label) in the language."""
    return [q.to_dict(language) for q in QUESTIONS]


def question(question_id: str) -> Question:
    try:
        return _BY_ID[question_id]
    except KeyError:
        raise RiskAnswerError(f"unknown question '{question_id}'; valid: {', '.join(QUESTION_IDS)}") from None


def parse_answer(question_id: str, text: str) -> str:
    """Maps what a person typed (option value, 1-based number, letter A–E, or the label in either
    language) to the option value; raises RiskAnswerError listing the options when nothing matches."""
    q = question(question_id)
    raw = text.strip()
    lowered = raw.lower().rstrip("。.!！ ")
    if q.option(lowered):
        return lowered
    m = re.fullmatch(r"(?:选项?|option)?\s*([1-9]|[a-eA-E])\s*[)）.、]?", lowered)
    if m:
        token = m.group(1)
        index = int(token) - 1 if token.isdigit() else ord(token.lower()) - ord("a")
        if 0 <= index < len(q.options):
            return q.options[index].value
    for o in q.options:
        if lowered in (o.zh.lower(), o.en.lower()):
            return o.value
    hits = [o for o in q.options if lowered and (lowered in o.zh.lower() or lowered in o.en.lower())]
    if len(hits) == 1:
        return hits[0].value
    valid = ", ".join(f"{n}) {o.en}" for n, o in enumerate(q.options, start=1))
    raise RiskAnswerError(f"'{raw}' is not an answer to '{q.id}'; choose one of: {valid}")


def validate_answers(answers: Mapping[str, str]) -> dict[str, str]:
    """Checks a complete set of answers (question id → option value) and returns it in question order."""
    unknown = sorted(set(answers) - set(QUESTION_IDS))
    if unknown:
        raise RiskAnswerError(f"unknown question(s) {', '.join(unknown)}; valid: {', '.join(QUESTION_IDS)}")
    missing = [qid for qid in QUESTION_IDS if qid not in answers]
    if missing:
        raise RiskAnswerError(f"unanswered question(s): {', '.join(missing)}; all {len(QUESTIONS)} are required")
    out: dict[str, str] = {}
    for q in QUESTIONS:
        value = str(answers[q.id]).strip()
        if q.option(value) is None:
            valid = ", ".join(o.value for o in q.options)
            raise RiskAnswerError(f"'{value}' is not an option of '{q.id}'; valid: {valid}")
        out[q.id] = value
    return out


@dataclass(frozen=True)
class RiskAssessment:
    tolerance: str
    score: int
    max_score: int
    answers: dict[str, str]
    capped_by: tuple[str, ...] = field(default_factory=tuple)
    version: str = QUESTIONNAIRE_VERSION

    def to_record(self) -> dict[str, Any]:
        """What is stored in Profile.risk_answers."""
        return {
            "version": self.version,
            "answers": dict(self.answers),
            "score": self.score,
            "max_score": self.max_score,
            "tolerance": self.tolerance,
            "capped_by": list(self.capped_by),
        }


def score(answers: Mapping[str, str]) -> RiskAssessment:
    """Scores a complete set of answers to C1–C5 (see the module docstring for the rule)."""
    valid = validate_answers(answers)
    total = sum(o.points for q in QUESTIONS if (o := q.option(valid[q.id])) is not None)
    level = next((i for i, bound in enumerate(THRESHOLDS) if total <= bound), len(THRESHOLDS))
    capped_by: list[str] = []
    for (qid, value), cap in CAPS.items():
        if valid[qid] == value and TOLERANCES.index(cap) < level:
            level = TOLERANCES.index(cap)
            capped_by.append(qid)
    return RiskAssessment(
        tolerance=TOLERANCES[level], score=total, max_score=MAX_SCORE, answers=valid, capped_by=tuple(capped_by)
    )


def describe(tolerance: str | None, language: str = "en") -> str:
    """A short name of a tolerance level for replies."""
    names = {
        "C1": ("保守型", "conservative"),
        "C2": ("稳健型", "cautious"),
        "C3": ("平衡型", "balanced"),
        "C4": ("成长型", "growth"),
        "C5": ("进取型", "aggressive"),
    }
    if tolerance not in names:
        return "未评估" if _language(language) == "zh" else "not assessed"
    zh, en = names[tolerance]
    return f"{tolerance}（{zh}）" if _language(language) == "zh" else f"{tolerance} ({en})"


def record_assessment(
    session: Session, user_id: str, answers: Mapping[str, str], *, now: datetime | None = None
) -> tuple[Profile, RiskAssessment]:
    """Scores the answers and stores them with the tolerance and date on the profile (replacing any earlier
    questionnaire). The caller owns the transaction."""
    assessment = score(answers)
    profile = repository.update_profile(
        session,
        user_id,
        {
            "risk_answers": assessment.to_record(),
            "risk_tolerance": assessment.tolerance,
            "risk_assessed_at": now or datetime.now(UTC),
        },
    )
    return profile, assessment
