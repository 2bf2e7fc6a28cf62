"""Ground truth: on the demo scenario, the detector finds the coordinated accounts it planted.

Builds the demo database as `ediplomacy demo` does (generate the full scenario, import it), runs
`detect_clusters` with its default networks (co-similar by text here: the demo's vectors are
not computed in tests) and compares the accounts in clusters with
ground_truth.json's `accounts.coordinated`. Precision and recall are printed (pytest -s) and
recorded in docs/coordination.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ediplomacy.config import Settings
from ediplomacy.demo import generate
from ediplomacy.ingest.importer import Importer
from ediplomacy.integrity.coordination_detect import detect_clusters
from ediplomacy.store import coordination as store
from ediplomacy.store.migrate import open_database


def _scores(found: set[str], planted: set[str]) -> tuple[float, float]:
    hits = len(found & planted)
    return hits / max(1, len(found)), hits / max(1, len(planted))


@pytest.mark.slow
def test_demo_coordinated_accounts_are_found(tmp_path: Path) -> None:
    scenario = tmp_path / "demo"
    manifest = generate(scenario)
    truth = json.loads((scenario / "ground_truth.json").read_text(encoding="utf-8"))
    settings = Settings(data_dir=tmp_path)
    engine = open_database(settings.resolved_database_url())
    files = [item.path for item in manifest.files if item.format != "ground-truth"]
    Importer(engine, data_dir=tmp_path).run(files, collection="demo")

    summary = detect_clusters(engine, settings)
    clusters = store.list_clusters(engine, summary.run_id)
    group_of = {f"{a['platform']}:{a['external_id']}": a["group"]
                for a in truth["accounts"]["coordinated"]}  # fmt: skip
    planted = set(group_of)
    every = {m["key"] for c in clusters for m in c.members}
    alerted = {m["key"] for c in clusters if c.score >= settings.coordination_alert_score
               for m in c.members}  # fmt: skip
    precision, recall = _scores(every, planted)
    alert_precision, alert_recall = _scores(alerted, planted)
    print(f"\ncoordinating accounts: {len(planted)} planted in {len(truth['groups'])} groups; "
          f"all {len(clusters)} clusters: precision {precision:.2f}, recall {recall:.2f}; "
          f"clusters scoring >= {settings.coordination_alert_score:g} (alerted): precision "
          f"{alert_precision:.2f}, recall {alert_recall:.2f}")  # fmt: skip
    assert recall == 1.0 and alert_recall == 1.0
    assert alert_precision == 1.0 and precision >= 0.9
    # No cluster mixes the two groups, and each group's members are together.
    for cluster in clusters:
        groups = {group_of[m["key"]] for m in cluster.members if m["key"] in group_of}
        assert len(groups) <= 1
    top = clusters[0]
    assert top.score >= 90 and top.evidence["median_gap"] <= 10
    assert top.evidence["items"][0]["post_ids"]  # evidence points at stored posts
    strong = [c for c in clusters if c.score >= settings.coordination_alert_score]
    assert len(summary.alerts) == len(strong)
    engine.dispose()
