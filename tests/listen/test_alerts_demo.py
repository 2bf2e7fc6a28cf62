"""The demo's planted events raise alerts at the right time, and not long before.

Builds the demo database as `ediplomacy demo` does (generate, import, the language stage),
installs the demo's watch rules and checks them, then compares with ground_truth.json.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ediplomacy.config import Settings
from ediplomacy.demo import generate
from ediplomacy.ingest.importer import Importer
from ediplomacy.listen import watch
from ediplomacy.listen.demo_rules import install_and_check
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stages import build_stages
from ediplomacy.store.migrate import open_database


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.slow
def test_demo_events_raise_alerts_at_the_right_time(tmp_path: Path) -> None:
    scenario = tmp_path / "demo"
    manifest = generate(scenario)
    truth = json.loads((scenario / "ground_truth.json").read_text(encoding="utf-8"))
    settings = Settings(data_dir=tmp_path)
    engine = open_database(settings.resolved_database_url())
    files = [item.path for item in manifest.files if item.format != "ground-truth"]
    Importer(engine, data_dir=tmp_path).run(files, collection="demo")
    InProcessRunner(engine).run(build_stages(settings, ["language"]))

    summary = install_and_check(engine, settings)
    assert not [rule.error for rule in summary.rules if rule.error]
    alerts, _ = watch.list_alerts(engine, limit=200)

    def first_alert(rule: str) -> watch.Alert:
        found = sorted(
            (a for a in alerts if a.rule_name == rule and a.kind == "volume"),
            key=lambda a: a.window_start,
        )
        assert found, f"no alert for {rule}"
        return found[0]

    quake = at(truth["timeline"]["earthquake"]["at"])
    alert = first_alert("Qadira earthquake")
    assert alert.window_start <= quake < alert.window_end
    assert alert.window_start >= quake - timedelta(hours=1)  # not raised long before
    assert alert.observed >= 3 * alert.expected
    assert alert.details["samples"] and alert.details["languages"]

    claim = at(truth["timeline"]["claims"]["claim-evac-fee"]["first_post_at"])
    alert = first_alert("Evacuation fee claim")
    assert alert.window_start <= claim < alert.window_end
    assert alert.window_start >= claim - timedelta(hours=1)

    again = install_and_check(engine, settings)  # the demo run a second time
    assert again.new_alerts == []
    assert len(watch.list_alerts(engine, limit=200)[0]) == len(alerts)
    engine.dispose()
