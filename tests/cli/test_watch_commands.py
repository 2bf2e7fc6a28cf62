"""`ediplomacy watch` and `ediplomacy alerts` as a user runs them, on the data folder's SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ediplomacy.cli.main import build
from ediplomacy.store.migrate import open_database
from tests.listen.watch_fixtures import HOUR, T0, PostWriter

QUIET = [4, 6, 5, 3, 7, 5] * 8


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EDIPLOMACY_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("EDIPLOMACY_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    engine = open_database(f"sqlite:///{tmp_path / 'ediplomacy.db'}")
    PostWriter(engine).hourly([*QUIET, 90, 120, 6, 5], text="Gempa di Qadira", language="id")
    engine.dispose()
    return tmp_path


def run(*args: str) -> str:
    result = CliRunner().invoke(build(), list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_add_check_list_and_acknowledge(data: Path) -> None:
    added = run("watch", "add", "quake", "qadira OR gempa")
    assert "added rule 'quake'" in added
    assert "quake" in run("watch", "list")
    until = (T0 + 52 * HOUR).isoformat().replace("+00:00", "Z")
    checked = run("watch", "check", "--until", until)
    assert "1 new alert" in checked or "new alerts: 1" in checked, checked
    listed = run("alerts", "list")
    assert "quake" in listed and "210" in listed
    run("alerts", "ack", "1")
    assert "quake" not in run("alerts", "list", "--open")


def test_bad_query_and_bad_time_are_one_line_errors(data: Path) -> None:
    result = CliRunner().invoke(build(), ["watch", "add", "broken", "(qadira OR gempa"])
    assert result.exit_code != 0
    assert "parenthesis" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(build(), ["watch", "check", "--until", "yesterday"])
    assert result.exit_code != 0 and "is not a date" in result.output
