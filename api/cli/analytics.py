"""`advisor report funnel|cross|ab|effect|sentiment` and `advisor optimize` (analytics, issue 7)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import Connection

from api.cli.common import emit_json, settings

report_app = typer.Typer(help="Conversion reports over an events CSV (--events) or the stored events.")

EventsOption = Annotated[
    Path | None, typer.Option("--events", help="events CSV; without it the stored events table is used")
]
SinceOption = Annotated[str | None, typer.Option("--since", help="window start (ISO date/datetime, inclusive)")]
UntilOption = Annotated[str | None, typer.Option("--until", help="window end (exclusive; a bare date includes it)")]
JsonOption = Annotated[bool, typer.Option("--json", help="print one JSON object")]
CsvOption = Annotated[Path | None, typer.Option("--csv", help="also write the report table as CSV here")]
ChartOption = Annotated[Path | None, typer.Option("--chart", help="also write a PNG chart here")]


@contextmanager
def _events_connection(events: Path | None) -> Iterator[Connection]:
    """An in-memory SQLite database holding the CSV, or the configured database's connection."""
    from models.analytics.reports import events_database_from_frame
    from store.db import make_engine
    from store.formats import read_events

    if events is not None:
        engine = events_database_from_frame(read_events(events))
    else:
        engine = make_engine(settings().database_url)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def _write_extras(kind: str, report: dict[str, Any], csv: Path | None, chart: Path | None, series: Any) -> None:
    from models.analytics import charts, reports

    if csv is not None:
        csv.write_text(reports.to_csv(kind, report), encoding="utf-8")
        typer.echo(f"table written to {csv}", err=True)
    if chart is not None:
        image = charts.funnel_chart(report) if kind == "funnel" else charts.timeseries_chart(series())
        chart.write_bytes(image)
        typer.echo(f"chart written to {chart}", err=True)


def _print_table(kind: str, report: dict[str, Any]) -> None:
    from models.analytics.reports import report_table

    typer.echo(report_table(kind, report).to_string(index=False))


@report_app.command("funnel")
def funnel(
    events: EventsOption = None,
    by: Annotated[str | None, typer.Option("--by", help="campaign | variant | channel | segment | day | week")] = None,
    steps: Annotated[str | None, typer.Option("--steps", help="comma-separated steps in funnel order")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    campaign: Annotated[str | None, typer.Option("--campaign", help="only this campaign's first-step events")] = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    chart: ChartOption = None,
) -> None:
    """Users reaching each step, step and overall conversion, per group."""
    from models.analytics import reports

    window = reports.parse_window(since, until)
    reports.parse_steps(steps), reports.parse_dimension(by)  # refuse bad options before reading the file
    with _events_connection(events) as conn:
        report = reports.funnel_report(conn, steps=steps, by=by, window=window, campaign=campaign)
        _write_extras("funnel", report, csv, chart, None)
    if as_json:
        emit_json(report)
    else:
        _print_table("funnel", report)


@report_app.command("cross")
def cross(
    events: EventsOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    chart: ChartOption = None,
) -> None:
    """Cross-conversion between courses and policies: |E|, |U|, |C|, |X| and the rates."""
    from models.analytics import reports

    window = reports.parse_window(since, until)
    with _events_connection(events) as conn:
        report = reports.cross_report(conn, window=window)
        _write_extras("cross", report, csv, chart, lambda: reports.cross_timeseries(conn, window=window))
    if as_json:
        emit_json(report)
    else:
        _print_table("cross", report)


@report_app.command("ab")
def ab(
    campaign: Annotated[str, typer.Option("--campaign", help="the campaign whose variants are compared")],
    events: EventsOption = None,
    target: Annotated[str, typer.Option("--target", help="the conversion step")] = "policy_purchase",
    control: Annotated[str | None, typer.Option("--control", help="control variant (default: first)")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    chart: ChartOption = None,
) -> None:
    """A/B verdict: rates with Wilson intervals, z-test against control, sample-ratio check."""
    from models.analytics import reports

    window = reports.parse_window(since, until)
    with _events_connection(events) as conn:
        report = reports.ab_report(conn, campaign=campaign, target=target, control=control, window=window)
        _write_extras("ab", report, csv, chart,
                      lambda: reports.ab_timeseries(conn, campaign=campaign, target=target, window=window))  # fmt: skip
    if as_json:
        emit_json(report)
    else:
        _print_table("ab", report)
        typer.echo(report["verdict"])


@report_app.command("effect")
def effect(
    events: EventsOption = None,
    target: Annotated[str, typer.Option("--target", help="the conversion step (E)")] = "policy_purchase",
    since: SinceOption = None,
    until: UntilOption = None,
    min_users: Annotated[int, typer.Option("--min-users", help="skip campaign×segment cells smaller than this")] = 50,
    as_json: JsonOption = False,
    csv: CsvOption = None,
) -> None:
    """Effect model E = a·I + b·F + c·M per campaign and segment (least squares, user level)."""
    from models.analytics import effect as effect_model
    from models.analytics import reports

    window = reports.parse_window(since, until)
    with _events_connection(events) as conn:
        report = effect_model.effect_report(conn, target=target, window=window, min_users=min_users)
    if csv is not None:
        csv.write_text(effect_model.effect_table(report).to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    if as_json:
        emit_json(report)
    else:
        typer.echo(effect_model.effect_table(report).to_string(index=False))


@report_app.command("sentiment")
def sentiment(
    since: SinceOption = None,
    until: UntilOption = None,
    threshold_sd: Annotated[float | None, typer.Option("--threshold-sd", help="default from settings")] = None,
    as_json: JsonOption = False,
) -> None:
    """Sentiment alerts over the stored, labelled user messages (daily negative share per campaign/channel)."""
    from models.analytics import reports
    from models.analytics.sentiment_monitor import AlertConfig, sentiment_alerts

    s = settings()
    config = AlertConfig(lookback_days=s.sentiment_alert_lookback_days,
                         threshold_sd=threshold_sd or s.sentiment_alert_sd,
                         min_messages=s.sentiment_alert_min_messages,
                         min_history_days=min(3, s.sentiment_alert_lookback_days))  # fmt: skip
    window = reports.parse_window(since, until)
    with _events_connection(None) as conn:
        report = sentiment_alerts(conn, config=config, window=window)
    if as_json:
        emit_json(report)
    else:
        for alert in report["alerts"] or [{"message": "no alerts"}]:
            typer.echo(alert["message"])


def optimize(
    scenario: Annotated[Path, typer.Option("--scenario", help="scenario JSON (CONTRACTS.md)")],
    budget_steps: Annotated[
        str | None, typer.Option("--budget-steps", help="what-if budgets, e.g. 100000,200000,500000")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Optimal budget/resource allocation (linear program, HiGHS) with binding constraints and shadow prices."""
    from models import optimizer

    parsed = optimizer.load_scenario(scenario)
    steps = optimizer.parse_budget_steps(budget_steps) if budget_steps else None
    result = optimizer.solve(parsed)
    if steps is not None:
        result["budget_curve"] = optimizer.budget_curve(parsed, steps)
    if as_json:
        emit_json(result)
        return
    typer.echo(f"status: {result['status']}; objective ({result['objective_kind']}): {result['objective']}")
    typer.echo(result.get("message", ""))
    for a in result.get("allocations", [])[:30]:
        typer.echo(
            f"  {a['channel']:>12} {a['segment']:>18} {a['offer']:>16}  contacts {a['contacts']:>12,.0f}  "
            f"spend {a['spend']:>12,.0f}  conversions {a['conversions']:>9,.1f}  revenue {a['revenue']:>13,.0f}"
        )
    for c in result.get("constraints", []):
        if c["binding"]:
            typer.echo(f"  binding {c['name']}: shadow price {c['shadow_price']:.6g}")
    for point in result.get("budget_curve", []):
        typer.echo(f"  budget {point['budget']:>12,.0f}: objective {point['objective']}, "
                   f"marginal value of money {point['budget_shadow_price']}")  # fmt: skip
