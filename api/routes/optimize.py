"""POST /v1/optimize: the LP budget optimizer for admins (issue 7). Bad scenarios answer 422 with the JSON path."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from api.deps import AdminDep, SessionDep
from api.errors import ApiError
from models import optimizer
from store import repository

router = APIRouter(prefix="/v1", tags=["optimizer"])


@router.post("/optimize")
def optimize(
    principal: AdminDep,
    session: SessionDep,
    scenario: Annotated[dict[str, Any], Body(description="scenario JSON (CONTRACTS.md)")],
    budget_steps: Annotated[str | None, Query(description="what-if budgets, e.g. 100000,200000,500000")] = None,
) -> dict[str, Any]:
    try:
        parsed = optimizer.parse_scenario(scenario)
        steps = optimizer.parse_budget_steps(budget_steps) if budget_steps else None
    except optimizer.ScenarioError as e:
        raise ApiError(422, str(e)) from e
    result = optimizer.solve(parsed)
    if steps is not None:
        result["budget_curve"] = optimizer.budget_curve(parsed, steps)
    repository.audit(session, actor_id=principal.user_id, actor_role=principal.role, action="optimize",
                     details={"status": result["status"], "objective": result["objective"],
                              "variables": result.get("n_variables"), "budget_steps": budget_steps})  # fmt: skip
    return result
