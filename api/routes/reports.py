"""Admin reports: funnel, cross-conversion, A/B verdict, effect model, sentiment alerts (issue 7).

Each report answers JSON by default, `?format=csv` for its table and `?format=png` for its chart (the
funnel chart for the funnel, a daily time series for cross and A/B), computed on the stored events.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from api.deps import AdminDep, ServicesDep, SessionDep
from models.analytics import charts, reports
from models.analytics.effect import effect_report, effect_table
from models.analytics.sentiment_monitor import AlertConfig, sentiment_alerts
from store import repository

router = APIRouter(prefix="/v1/reports", tags=["reports"])

Format = Annotated[Literal["json", "csv", "png"], Query(description="json (default), csv table or png chart")]
Since = Annotated[str | None, Query(description="window start, ISO date or datetime (inclusive)")]
Until = Annotated[str | None, Query(description="window end (exclusive; a bare date includes that day)")]


def _answer(kind: str, report: dict[str, Any], fmt: str, chart: Any) -> Any:
    if fmt == "csv":
        return Response(reports.to_csv(kind, report), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{kind}.csv"'})  # fmt: skip
    if fmt == "png":
        return Response(chart(), media_type="image/png")
    return report


@router.get("/funnel", response_model=None)
def funnel(
    principal: AdminDep,
    session: SessionDep,
    by: Annotated[str | None, Query(description="campaign | variant | channel | segment | day | week")] = None,
    steps: Annotated[str | None, Query(description="comma-separated steps in funnel order")] = None,
    since: Since = None,
    until: Until = None,
    campaign: Annotated[str | None, Query(description="only this campaign's first-step events")] = None,
    format: Format = "json",
) -> Any:
    window = reports.parse_window(since, until)
    report = reports.funnel_report(session.connection(), steps=steps, by=by, window=window, campaign=campaign)
    repository.audit(session, actor_id=principal.user_id, actor_role=principal.role, action="reports.funnel",
                     details={"by": by, "steps": steps, "since": since, "until": until, "format": format})  # fmt: skip
    return _answer("funnel", report, format, lambda: charts.funnel_chart(report))


@router.get("/cross", response_model=None)
def cross(principal: AdminDep, session: SessionDep, since: Since = None, until: Until = None,
          format: Format = "json") -> Any:  # fmt: skip
    window = reports.parse_window(since, until)
    conn = session.connection()
    report = reports.cross_report(conn, window=window)
    repository.audit(session, actor_id=principal.user_id, actor_role=principal.role, action="reports.cross",
                     details={"since": since, "until": until, "format": format})  # fmt: skip
    return _answer(
        "cross", report, format, lambda: charts.timeseries_chart(reports.cross_timeseries(conn, window=window))
    )


@router.get("/ab", response_model=None)
def ab(
    principal: AdminDep,
    session: SessionDep,
    campaign: Annotated[str, Query(description="the campaign whose variants are compared")],
    target: Annotated[str, Query(description="the conversion step")] = "policy_purchase",
    control: Annotated[str | None, Query(description="control variant (default: first in sort order)")] = None,
    since: Since = None,
    until: Until = None,
    format: Format = "json",
) -> Any:
    window = reports.parse_window(since, until)
    conn = session.connection()
    report = reports.ab_report(conn, campaign=campaign, target=target, control=control, window=window)
    repository.audit(session, actor_id=principal.user_id, actor_role=principal.role, action="reports.ab",
                     target=campaign, details={"target": target, "control": control, "format": format})  # fmt: skip
    return _answer("ab", report, format, lambda: charts.timeseries_chart(
        reports.ab_timeseries(conn, campaign=campaign, target=target, window=window)))  # fmt: skip


@router.get("/effect", response_model=None)
def effect(
    principal: AdminDep,
    session: SessionDep,
    target: Annotated[str, Query(description="the conversion step (E)")] = "policy_purchase",
    since: Since = None,
    until: Until = None,
    min_users: Annotated[int, Query(ge=2, description="skip campaign×segment cells smaller than this")] = 50,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> Any:
    window = reports.parse_window(since, until)
    report = effect_report(session.connection(), target=target, window=window, min_users=min_users)
    repository.audit(session, actor_id=principal.user_id, actor_role=principal.role, action="reports.effect")
    if format == "csv":
        return Response(effect_table(report).to_csv(index=False, lineterminator="\n"),
                        media_type="text/csv; charset=utf-8")  # fmt: skip
    return report


@router.get("/sentiment")
def sentiment(
    principal: AdminDep,
    session: SessionDep,
    services: ServicesDep,
    since: Since = None,
    until: Until = None,
    threshold_sd: Annotated[float | None, Query(gt=0, description="default from settings")] = None,
) -> dict[str, Any]:
    """Daily negative share of user messages per campaign and channel, and the alerts (newest first)."""
    s = services.settings
    config = AlertConfig(lookback_days=s.sentiment_alert_lookback_days,
                         threshold_sd=threshold_sd or s.sentiment_alert_sd,
                         min_messages=s.sentiment_alert_min_messages,
                         min_history_days=min(3, s.sentiment_alert_lookback_days))  # fmt: skip
    window = reports.parse_window(since, until)
    repository.audit(session, actor_id=principal.user_id, actor_role=principal.role, action="reports.sentiment")
    return sentiment_alerts(session.connection(), config=config, window=window)
