"""`ediplomacy users ...` as an administrator runs it from a shell."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ediplomacy.cli.users import app
from ediplomacy.config import Settings
from ediplomacy.security import audit, sessions
from ediplomacy.store.migrate import open_database
from tests.security.conftest import PASSWORD


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EDIPLOMACY_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("EDIPLOMACY_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.output


def test_add_list_set_role_disable_enable(data_dir: Path) -> None:
    code, output = run(
        "add",
        "rina",
        "--role",
        "admin",
        "--name",
        "Rina S",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert code == 0, output
    assert "added rina (admin)" in output
    assert run("add", "budi", "--role", "viewer", "--password-stdin", stdin=PASSWORD + "\n")[0] == 0

    code, output = run("list")
    assert code == 0
    assert "rina" in output and "Rina S" in output and "admin" in output and "never" in output

    assert "budi is now analyst" in run("set-role", "budi", "analyst")[1]
    assert "budi is disabled" in run("disable", "budi")[1]
    assert "disabled" in run("list")[1]
    assert "budi is enabled" in run("enable", "budi")[1]

    code, output = run("verify-audit")
    assert code == 0 and "audit chain intact: 5 entries" in output
    engine = open_database(Settings(data_dir=data_dir).resolved_database_url())
    entries, _ = audit.recent_entries(engine)
    assert entries[0].actor is not None and entries[0].actor.startswith("cli")
    settings = Settings(data_dir=data_dir)
    assert sessions.login(engine, settings, "budi", PASSWORD).user.role.value == "analyst"


def test_password_prompt_asks_twice(data_dir: Path) -> None:
    code, output = run("add", "sari", "--role", "editor", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert code == 0, output
    assert "added sari (editor)" in output


def test_errors_are_one_line_with_what_to_do(data_dir: Path) -> None:
    code, output = run("add", "rina", "--role", "chief", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 1
    assert "Unknown role 'chief'; choose one of: admin" in output
    code, output = run("add", "rina", "--role", "admin", "--password-stdin", stdin="short\n")
    assert code == 1 and "at least 12 characters" in output
    code, output = run("disable", "nobody")
    assert code == 1 and "users list" in output
    assert "Traceback" not in output
