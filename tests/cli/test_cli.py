"""The `advisor` command line: exit codes, one-line errors, JSON on stdout, nothing written on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jwt
import pytest

from api.settings import REPO_ROOT, Settings

ADVISOR = [sys.executable, "-c", "from api.cli import main; main()"]


def run(args: list[str], settings: Settings) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ADVISOR_DATABASE_URL": settings.database_url,
        "ADVISOR_ARTIFACTS": str(settings.artifacts_dir),
        "ADVISOR_SECRET_KEY": settings.secret_key,
        "ADVISOR_ENV": "test",
    }
    return subprocess.run([*ADVISOR, *args], capture_output=True, text=True, env=env, timeout=120)


def test_token_is_signed_with_the_configured_secret(settings: Settings) -> None:
    result = run(["token", "--user-id", "u1", "--role", "agent"], settings)
    assert result.returncode == 0, result.stderr
    claims = jwt.decode(result.stdout.strip(), settings.secret_key, algorithms=["HS256"], issuer="advisor")
    assert (claims["sub"], claims["role"]) == ("u1", "agent")


def test_unknown_role_exits_2(settings: Settings) -> None:
    result = run(["token", "--user-id", "u1", "--role", "root"], settings)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "unknown role 'root'" in result.stderr


def test_load_catalog_then_bad_catalog_writes_nothing(settings: Settings, tmp_path: Path) -> None:
    good = tmp_path / "catalog.csv"
    good.write_text("item_id,kind,title,description,risk_level\nC1,course,定投入门,学定投,\n", encoding="utf-8")
    result = run(["load", "catalog", str(good), "--json"], settings)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"file": str(good), "added": 1, "updated": 0}

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "item_id,kind,title,description,risk_level\nC2,course,新课,描述,\nI1,insurance,重疾险,保障,R9\n",
        encoding="utf-8",
    )
    result = run(["load", "catalog", str(bad)], settings)
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "bad.csv" in line and "row 2" in line and "risk_level" in line and "R9" in line
    # C2 (valid, row 1) was not written either: the file loads whole or not at all.
    result = run(["load", "catalog", str(good), "--json"], settings)
    assert json.loads(result.stdout)["updated"] == 1


@pytest.mark.parametrize("kind", ["catalog", "users", "interactions", "events"])
def test_missing_file_exits_2(settings: Settings, tmp_path: Path, kind: str) -> None:
    result = run(["load", kind, str(tmp_path / "missing.csv")], settings)
    assert result.returncode == 2 and "file not found" in result.stderr


def test_events_load_is_idempotent(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "event_id,timestamp,user_id,event_type,campaign,variant,channel,segment,item_id,revenue\n"
        "e1,2026-10-01T08:00:00Z,u1,exposure,c,A,app,s,C1,\n"
        "e2,2026-10-02T08:00:00Z,u1,click,c,A,app,s,C1,\n",
        encoding="utf-8",
    )
    first = json.loads(run(["load", "events", str(path), "--json"], settings).stdout)
    second = json.loads(run(["load", "events", str(path), "--json"], settings).stdout)
    assert (first["new"], second["new"]) == (2, 0)


def test_bundled_users_load(settings: Settings) -> None:
    """The demo files `make run` loads on first start go in through the same commands a platform uses."""
    users = REPO_ROOT / "data" / "users.csv"
    first = json.loads(run(["load", "users", str(users), "--json"], settings).stdout)
    again = json.loads(run(["load", "users", str(users), "--json"], settings).stdout)
    assert (first["new"], again["new"]) == (2400, 0)
