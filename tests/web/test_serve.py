"""`ediplomacy serve` starts uvicorn on create_app(settings) with the host and port asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from ediplomacy.cli import serve_commands


def test_serve_runs_uvicorn_on_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDIPLOMACY_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("EDIPLOMACY_DATABASE_URL", raising=False)
    calls: list[dict[str, Any]] = []

    def fake_run(app: Any, **options: Any) -> None:
        calls.append({"app": app, **options})

    monkeypatch.setattr("uvicorn.run", fake_run)
    cli = typer.Typer()
    serve_commands.register(cli)
    cli.command("noop")(lambda: None)  # a second command keeps `serve` a named subcommand
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "9001"])
    assert result.exit_code == 0, result.output
    (call,) = calls
    assert (call["host"], call["port"]) == ("0.0.0.0", 9001)
    assert call["app"].title == "ediplomacy"
    assert (tmp_path / "ediplomacy.db").exists()  # migrated before serving


def test_serve_refuses_unsafe_production_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDIPLOMACY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("EDIPLOMACY_MODE", "production")
    monkeypatch.delenv("EDIPLOMACY_SECRET_KEY", raising=False)
    cli = typer.Typer()
    serve_commands.register(cli)
    cli.command("noop")(lambda: None)
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1
    assert "EDIPLOMACY_SECRET_KEY is the development default" in result.output
