"""The detectors run together; one that fails is reported and the others still run."""

from __future__ import annotations

from pathlib import Path

from ediplomacy.config import Settings
from ediplomacy.integrity.detect import run_detectors
from ediplomacy.store.migrate import open_database


def test_a_failing_detector_does_not_stop_the_others(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-ranker.json"
    settings = Settings(data_dir=tmp_path, claim_ranker=missing)
    engine = open_database(settings.resolved_database_url())
    report = run_detectors(engine, settings, recent_days=7)
    engine.dispose()
    assert set(report.errors) == {"claims"}
    assert "no-such-ranker.json" in report.errors["claims"]
    ran = {"claim_spikes", "narratives", "coordination", "bots", "polarization"}
    assert ran <= set(report.results)
    assert set(report.seconds) == ran | {"claims"}
