"""Nothing a user can reach is undocumented: settings, CLI commands, API routes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer

from ediplomacy.cli.main import build
from ediplomacy.config import Settings
from ediplomacy.web.access import app_routes
from ediplomacy.web.app import create_app

REPO = Path(__file__).resolve().parents[1]


def all_docs() -> str:
    return "\n".join(
        path.read_text() for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    )


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"`EDIPLOMACY_{name.upper()}`" in (REPO / "docs" / "configuration.md").read_text()


def command_paths() -> list[str]:
    root = typer.main.get_command(build())
    paths: list[str] = []

    def walk(command: Any, prefix: str) -> None:
        subcommands = getattr(command, "commands", None)  # a group, whichever click it comes from
        if subcommands:
            for name, sub in subcommands.items():
                walk(sub, f"{prefix} {name}")
        else:
            paths.append(prefix.strip())

    walk(root, "")
    return sorted(paths)


@pytest.mark.parametrize("command", command_paths())
def test_every_command_is_documented(command: str) -> None:
    assert re.search(rf"ediplomacy {re.escape(command)}\b", all_docs()), command


def test_every_api_route_is_documented(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path))
    web = (REPO / "docs" / "web.md").read_text()
    paths = sorted({path for path, _, _ in app_routes(app) if path.startswith("/api/")})
    assert paths
    missing = [path for path in paths if f"{path}`" not in web]
    assert not missing, f"undocumented API routes: {missing}"
