"""`ediplomacy narratives build|list|show|respond` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ediplomacy.cli.main import build
from ediplomacy.security import audit
from ediplomacy.store.migrate import open_database
from tests.integrity.test_narratives import ClaimWorld

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EDIPLOMACY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


def test_build_list_show_and_respond(data_dir: Path) -> None:
    engine = open_database(f"sqlite:///{data_dir / 'ediplomacy.db'}")
    ClaimWorld(engine)
    built = runner.invoke(build(), ["narratives", "build"])
    assert built.exit_code == 0, built.output
    assert "1 new from fact-checks" in built.stderr and "4 close" in built.stderr
    summary = json.loads(runner.invoke(build(), ["narratives", "build", "--json"]).stdout)
    assert summary["narratives"] == 1 and summary["near_added"] == 0  # nothing new
    listed = runner.invoke(build(), ["narratives", "list"])
    assert listed.exit_code == 0 and "The ministry charges USD" in listed.stdout
    [item] = json.loads(runner.invoke(build(), ["narratives", "list", "--json"]).stdout)["items"]
    assert item["post_count"] == 12 and item["verdict"] == "false"
    shown = runner.invoke(build(), ["narratives", "show", str(item["id"])])
    assert shown.exit_code == 0 and "12 posts by 12 accounts" in shown.stdout
    detail = json.loads(runner.invoke(build(), ["narratives", "show", str(item["id"]), "--json"])
                        .stdout)  # fmt: skip
    assert detail["variant_count"] == 3 and len(detail["spreaders"]) == 12
    answered = runner.invoke(build(), ["narratives", "respond", str(item["id"])])
    assert answered.exit_code == 0, answered.output
    assert "Setting the record straight" in answered.stdout
    assert "Meluruskan informasi" in answered.stdout and "/verify/drafts/1" in answered.stdout
    [entry] = [e for e in audit.recent_entries(engine, limit=5)[0] if e.action == "draft.created"]
    assert entry.actor is not None and entry.actor.startswith("cli")
    engine.dispose()


def test_unknown_narrative_and_bad_dates_say_what_to_do(data_dir: Path) -> None:
    missing = runner.invoke(build(), ["narratives", "show", "42"])
    assert missing.exit_code == 1
    assert "No narrative with id 42" in missing.stderr and "narratives list" in missing.stderr
    bad = runner.invoke(build(), ["narratives", "build", "--since", "last week"])
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.stderr
    assert runner.invoke(build(), ["narratives", "respond", "42"]).exit_code == 1
