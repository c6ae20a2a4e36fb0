"""The `advisor` command line (CONTRACTS.md). Bad input exits 2 with one line on stderr."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import configure_logging, emit_json, settings

app = typer.Typer(
    name="advisor",
    help="Chat assistant service for courses, insurance and finance advice.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
load_app = typer.Typer(help="Load your own data files into the database (validated, one transaction).")
app.add_typer(load_app, name="load")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="bind address (default from settings)")] = None,
    port: Annotated[int | None, typer.Option(help="port (default 8000)")] = None,
) -> None:
    """API and web UI; the first run builds the demo data and models if they are missing."""
    import uvicorn

    from api.app import create_app
    from api.bootstrap import run_steps

    s = settings()
    configure_logging(s.log_level)
    run_steps(s, demo=True)
    uvicorn.run(create_app(s), host=host or s.host, port=port or s.port, log_level=s.log_level.lower())


@app.command()
def init(
    demo: Annotated[
        bool, typer.Option("--demo", help="load the bundled demo catalog, users and events")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="retrain the default models even if present")
    ] = False,
) -> None:
    """Creates the database, loads the demo data (--demo), trains the default models into artifacts/."""
    from api.bootstrap import database_counts, run_steps

    s = settings()
    configure_logging(s.log_level)
    run_steps(s, demo=demo, force_models=force)
    counts = database_counts(s)
    typer.echo(
        f"ready: {counts['catalog_items']} items, {counts['users']} users, {counts['interactions']} interactions, "
        f"{counts['events']} events; artifacts in {s.artifacts_dir}",
        err=True,
    )


@app.command()
def token(
    user_id: Annotated[str, typer.Option("--user-id", help="the principal's id")],
    role: Annotated[str, typer.Option("--role", help="user | agent | admin")] = "user",
    ttl_hours: Annotated[float | None, typer.Option(help="validity in hours")] = None,
) -> None:
    """Prints a signed bearer token for that principal."""
    from api.auth import create_token

    s = settings()
    typer.echo(
        create_token(
            secret=s.secret_key, user_id=user_id, role=role, ttl_hours=ttl_hours or s.token_ttl_hours
        )
    )


def _load(kind: str, path: Path, as_json: bool) -> None:
    from store import formats, repository
    from store.db import make_engine, make_session_factory, migrate, refresh_statistics, transaction

    s = settings()
    readers = {
        "catalog": formats.read_catalog,
        "users": formats.read_users,
        "interactions": formats.read_interactions,
        "events": formats.read_events,
    }
    data = readers[kind](path)  # validates the whole file before anything is written
    migrate(s.database_url)
    engine = make_engine(s.database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            if kind == "catalog":
                added, updated = repository.upsert_catalog(session, data)
                result = {"file": str(path), "added": added, "updated": updated}
            elif kind == "users":
                result = {"file": str(path), "new": repository.load_users(session, data)}
            elif kind == "interactions":
                result = {"file": str(path), "loaded": repository.load_interactions(session, data)}
            else:
                result = {
                    "file": str(path),
                    "received": len(data),
                    "new": repository.ingest_events(session, data),
                }
        if kind == "events":
            refresh_statistics(engine, "events")  # reports plan with the new rows at once
    finally:
        engine.dispose()
    if as_json:
        emit_json(result)
    else:
        typer.echo(", ".join(f"{k}: {v}" for k, v in result.items()))


JsonFlag = Annotated[bool, typer.Option("--json", help="print one JSON object")]


@load_app.command("catalog")
def load_catalog(path: Path, as_json: JsonFlag = False) -> None:
    """Adds or replaces catalog items (.csv or .jsonl). Rebuild the index with `advisor kb build`."""
    _load("catalog", path, as_json)


@load_app.command("users")
def load_users(path: Path, as_json: JsonFlag = False) -> None:
    """Adds users with profiles (user_id,age,income,marital_status,children,occupation,city,…)."""
    _load("users", path, as_json)


@load_app.command("interactions")
def load_interactions(path: Path, as_json: JsonFlag = False) -> None:
    """Adds interactions (user_id,item_id[,weight][,timestamp]) for the recommender."""
    _load("interactions", path, as_json)


@load_app.command("events")
def load_events(path: Path, as_json: JsonFlag = False) -> None:
    """Adds events; an event_id already stored is skipped (idempotent)."""
    _load("events", path, as_json)


def _register_groups() -> None:
    """The command groups that each part of the product owns."""
    from api.cli import groups

    for name, group in groups.GROUPS.items():
        app.add_typer(group, name=name)
    for command in groups.TOP_LEVEL:
        app.command()(command)


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    _register_groups()
    try:
        app()
    except (ValueError, LookupError, FileNotFoundError, NotADirectoryError) as e:
        message = str(e).splitlines()[0] if str(e) else type(e).__name__
        sys.stderr.write(f"advisor: error: {message}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
