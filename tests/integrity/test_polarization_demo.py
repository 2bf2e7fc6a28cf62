"""Polarization on the demo scenario: the ministry's community, the planted networks, the CLI.

The scenario is generated small (2,500 posts) and imported as `ediplomacy demo` does; its
listening profile names every mission's accounts, and ground_truth.json says which accounts are
official and which belong to the coordinated networks.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import igraph as ig
import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from ediplomacy.cli.main import build
from ediplomacy.config import Settings
from ediplomacy.demo import generate
from ediplomacy.ingest.importer import Importer
from ediplomacy.integrity import network_graph as ng
from ediplomacy.integrity import polarization
from ediplomacy.integrity.polarization import Analysis
from ediplomacy.store.migrate import open_database

runner = CliRunner()


@dataclass
class Demo:
    folder: Path
    settings: Settings
    engine: Engine
    truth: dict[str, Any]
    analysis: Analysis


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("polarization-demo")
    manifest = generate(folder, posts=2_500)
    settings = Settings(data_dir=folder)  # its listen.toml is the demo's profile
    engine = open_database(settings.resolved_database_url())
    files = [item.path for item in manifest.files if item.format != "ground-truth"]
    Importer(engine, data_dir=folder).run(files, collection="demo")
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    yield Demo(folder, settings, engine, truth, polarization.analyze(engine, settings))
    engine.dispose()


def community_of(demo: Demo, platform: str, external_id: str) -> int | None:
    vertex = demo.analysis.graph.index().get((platform, external_id))
    return None if vertex is None else demo.analysis.membership[vertex]


def test_the_ministry_community_is_found_and_its_reach_measured(demo: Demo) -> None:
    report = demo.analysis.report
    officials = demo.truth["accounts"]["official"]
    ministry = next(a for a in officials if a["handle"] == "KemluSJ_demo")
    home = community_of(demo, "x", ministry["external_id"])
    assert home is not None
    [summary] = [c for c in report.communities if c.id == home]
    assert summary.top_accounts[0] == "@KemluSJ_demo"  # the account the community gathers on
    assert "@KemluSJ_demo" in summary.officials and summary.platform == "x"
    # Every official account the profile names is in the network and flagged, none other.
    assert report.reach.named == report.reach.found == len(officials) == 20
    flagged = {demo.analysis.graph.accounts[v] for v in demo.analysis.officials}
    assert flagged == {(a["platform"], a["external_id"]) for a in officials}
    # The ministry is heard beyond its own community, but mostly inside it.
    assert report.reach.share is not None and 0.15 < report.reach.share < 0.85
    assert all(item.received > 0 for item in report.reach.accounts)
    assert report.reach.accounts[0].handle == "@KemluSJ_demo"  # the most acted-on account


def test_the_planted_networks_are_closed_communities(demo: Demo) -> None:
    """Each coordinated group lands in one community that gets little from outside."""
    received = ng.received_by_community(
        ng.exposure_counts(demo.analysis.graph, demo.analysis.membership)
    )
    ministry = next(a for a in demo.truth["accounts"]["official"] if a["handle"] == "KemluSJ_demo")
    home = community_of(demo, "x", ministry["external_id"])
    assert home is not None
    groups: dict[str, Counter[int | None]] = {}
    for account in demo.truth["accounts"]["coordinated"]:
        groups.setdefault(account["group"], Counter())[
            community_of(demo, account["platform"], account["external_id"])
        ] += 1
    assert groups
    for group, counts in groups.items():
        found = {c: n for c, n in counts.items() if c is not None}
        community, members = max(found.items(), key=lambda item: item[1])
        assert members == sum(found.values()), f"{group} is split: {counts}"
        assert community != home
        closed, open_ = received[community].outside_share, received[home].outside_share
        assert closed is not None and open_ is not None and closed < open_, group


def test_the_figures_are_sensible(demo: Demo) -> None:
    report = demo.analysis.report
    assert report.modularity is not None and 0.2 < report.modularity < 0.8
    assert report.modularity_whole is not None and report.modularity_whole > report.modularity
    assert set(report.platform_modularity) == {"x", "bluesky", "mastodon"}
    assert report.ei_index is not None and -1 < report.ei_index < 0
    assert report.by_kind.keys() == {"repost", "reply", "quote"}
    membership, accounts = demo.analysis.membership, demo.analysis.graph.accounts
    platforms: dict[int, set[str]] = {}
    for vertex, community in enumerate(membership):
        platforms.setdefault(community, set()).add(accounts[vertex][0])
    assert all(len(found) == 1 for found in platforms.values())
    exposure = report.exposure
    assert sum(map(sum, exposure.counts)) == report.interactions


def test_the_command_prints_the_figures_and_stores_snapshots(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDIPLOMACY_DATA_DIR", str(demo.folder))
    monkeypatch.setenv("COLUMNS", "200")
    graphml = demo.folder / "graph.graphml"
    result = runner.invoke(build(), ["polarization", "--json", "--out", str(graphml)])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout[result.stdout.index("{") :])
    assert body["report"]["modularity"] == pytest.approx(demo.analysis.report.modularity)
    assert body["report"]["reach"]["found"] == 20
    assert body["snapshots"]["windows"] == 7 and body["snapshots"]["bucket"] == "day"
    graph = ig.Graph.Read_GraphML(str(graphml))
    assert graph.vcount() == demo.analysis.report.accounts
    assert sum(graph.vs["official"]) == 20

    text = runner.invoke(build(), ["polarization", "--no-snapshots", "--platform", "x"])
    assert text.exit_code == 0, text.output
    assert "@KemluSJ_demo" in text.stdout and "The ministry's reach" in text.stdout
    assert "modularity" in text.stdout and "communities" in text.stdout

    bad = runner.invoke(build(), ["polarization", "--platform", "myspace"])
    assert bad.exit_code == 1 and "choose one of" in bad.output
    missing = runner.invoke(build(), ["polarization", "--narrative", "999"])
    assert missing.exit_code == 1 and "No narrative with id 999" in missing.output
    empty = runner.invoke(build(), ["polarization", "--since", "2030-01-01", "--no-snapshots"])
    assert empty.exit_code == 0 and "nothing to measure" in empty.stdout
    wrong = runner.invoke(build(), ["polarization", "--since", "yesterday"])
    assert wrong.exit_code == 1 and "YYYY-MM-DD" in wrong.output
