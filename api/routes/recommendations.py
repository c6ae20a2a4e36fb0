"""Recommendations (ranked suitable items with reasons) and the risk questionnaire (issue 5)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query
from pydantic import BaseModel, ConfigDict, Field

from api.deps import PrincipalDep, ServicesDep, SessionDep, authorize_user_access
from api.errors import ApiError
from models import risk
from models.recommender import Recommender, UserContext
from models.recommender.profile_rules import GOAL_KEYS
from store import repository

router = APIRouter(prefix="/v1", tags=["recommendations"])


def get_recommender(services: ServicesDep) -> Recommender:
    """The served model (a newer artifact is picked up here, without a restart); 503 when none is trained."""
    holder = services.recommender
    model = holder.get() if holder is not None else None
    if model is None:
        raise ApiError(503, "the recommender is not trained yet; run `advisor init` or `advisor recommender train`")
    return model


RecommenderDep = Annotated[Recommender, Depends(get_recommender)]


def request_language(lang: str | None, accept_language: str | None) -> str:
    """?lang= wins; otherwise the first Accept-Language tag; zh* → zh, anything else → en."""
    chosen = lang or (accept_language or "").split(",")[0].split(";")[0]
    return "zh" if chosen.strip().lower().startswith("zh") else "en"


class RecommendationOut(BaseModel):
    item_id: str
    kind: str
    title: str
    score: float
    reason: str
    reasons: list[str]
    source: str
    price: float | None = None
    currency: str = "CNY"
    risk_level: str | None = None


class RecommendationsOut(BaseModel):
    user_id: str
    language: str
    kind: str | None
    risk_tolerance: str | None
    items: list[RecommendationOut]


@router.get("/recommendations", response_model=RecommendationsOut)
def recommendations(
    principal: PrincipalDep,
    session: SessionDep,
    model: RecommenderDep,
    kind: Annotated[str | None, Query(description="course | insurance | finance | article | faq")] = None,
    k: Annotated[int, Query(ge=1, le=50)] = 10,
    lang: Annotated[str | None, Query(description="zh | en (default: Accept-Language)")] = None,
    goals: Annotated[list[str] | None, Query(description=f"goal keys: {', '.join(GOAL_KEYS)}")] = None,
    user_id: Annotated[str | None, Query(description="staff only: preview another user's list")] = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    target = (user_id or principal.user_id).strip()
    if target != principal.user_id:
        authorize_user_access(principal, target, session, agents=True)
    profile = repository.profile_to_dict(repository.ensure_user(session, target))
    language = request_language(lang, accept_language)
    items = model.recommend(UserContext.from_profile(profile, goals=goals or ()), kind=kind, k=k, language=language)
    return {"user_id": target, "language": language, "kind": kind, "risk_tolerance": profile.get("risk_tolerance"),
            "items": [i.to_dict() for i in items]}  # fmt: skip


class QuestionnaireAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, str] = Field(
        description=f"question id → option value; questions: {', '.join(risk.QUESTION_IDS)}"
    )


class RiskResult(BaseModel):
    user_id: str
    risk_tolerance: str
    description: str
    score: int
    max_score: int
    capped_by: list[str]
    risk_assessed_at: str | None


@router.get("/risk-questionnaire")
def questionnaire(
    principal: PrincipalDep,
    lang: Annotated[str | None, Query(description="zh | en")] = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    language = request_language(lang, accept_language)
    return {"version": risk.QUESTIONNAIRE_VERSION, "language": language, "questions": risk.questions(language)}


@router.post("/users/{user_id}/risk-questionnaire", response_model=RiskResult)
def answer_questionnaire(
    user_id: str,
    body: QuestionnaireAnswers,
    principal: PrincipalDep,
    session: SessionDep,
    lang: Annotated[str | None, Query(description="zh | en")] = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """Scores a complete questionnaire and stores it (answers, C1–C5, date), replacing an earlier one."""
    authorize_user_access(principal, user_id, session, agents=True)
    profile, assessment = risk.record_assessment(session, user_id, body.answers)
    if principal.role != "user":
        repository.audit(session, actor_id=principal.user_id, actor_role=principal.role, action="risk.assess",
                         target=user_id, details={"tolerance": assessment.tolerance})  # fmt: skip
    assessed = profile.risk_assessed_at
    return {"user_id": user_id, "risk_tolerance": assessment.tolerance,
            "description": risk.describe(assessment.tolerance, request_language(lang, accept_language)),
            "score": assessment.score, "max_score": assessment.max_score, "capped_by": list(assessment.capped_by),
            "risk_assessed_at": assessed.isoformat() if assessed else None}  # fmt: skip
