"""Exports for Gephi (GEXF, GraphML) and CSV, and the command line around them."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import igraph
import pytest
from typer.testing import CliRunner

from ediplomacy.cli.main import build
from ediplomacy.domain.errors import EdiplomacyError
from ediplomacy.integrity.coordination import Network, compute_file
from ediplomacy.integrity.coordination_export import (
    Format,
    GraphFile,
    Node,
    format_of,
    save_edges_csv,
    write_edges_csv,
    write_gexf,
    write_graphml,
)
from ediplomacy.store.migrate import open_database
from tests.integrity.coordination_rows import planted
from tests.integrity.coordination_rows import store as store_posts

EXPECTED = Path(__file__).parent / "expected"
GEXF = "{http://gexf.net/1.3}"
runner = CliRunner()


def test_format_from_option_or_suffix() -> None:
    assert format_of(Path("net.GEXF"), None) is Format.GEXF
    assert format_of(Path("net.graphml"), None) is Format.GRAPHML
    assert format_of(Path("edges.csv"), None) is Format.CSV
    assert format_of(None, None) is Format.CSV
    assert format_of(Path("edges.txt"), Format.GEXF) is Format.GEXF
    with pytest.raises(EdiplomacyError, match=r"\.gexf or \.graphml"):
        format_of(Path("edges.txt"), None)


def test_fast_csv_is_the_toolkit_csv(tmp_path: Path) -> None:
    edges, _, _ = compute_file(EXPECTED / "cnt_input.csv", Network.CO_LINK, window=600)
    fast = tmp_path / "fast.csv"
    save_edges_csv(edges, fast)
    slow = io.StringIO()
    write_edges_csv(edges, slow)
    assert fast.read_text(encoding="utf-8") == slow.getvalue()
    assert slow.getvalue().startswith("user_1,user_2,weight\n")
    # An account name with a comma is quoted, as Python's csv module does.
    edges.names = [name.replace("u1", "u,1") for name in edges.names]
    save_edges_csv(edges, fast)
    assert list(csv.reader(fast.open(encoding="utf-8")))[1:] == [
        [a, b, str(w)] for a, b, w in edges.rows()
    ]


def _graph() -> GraphFile:
    nodes = [Node("x:1", "ana & co", "x", 0, 91.5), Node("x:2", '"bo"', "x", 0, 91.5),
             Node("x:3", "", "x")]  # fmt: skip
    edges = [("x:1", "x:2", 4, {"co-repost": 3, "co-link": 1}), ("x:2", "x:3", 1, {})]
    return GraphFile(nodes, edges, directed=False, networks=["co-repost", "co-link"])


def test_gexf_has_nodes_attributes_and_weights() -> None:
    out = io.StringIO()
    write_gexf(_graph(), out)
    root = ET.fromstring(out.getvalue())
    graph = root.find(f"{GEXF}graph")
    assert graph is not None and graph.get("defaultedgetype") == "undirected"
    nodes = graph.findall(f"{GEXF}nodes/{GEXF}node")
    assert [node.get("label") for node in nodes] == ["ana & co", '"bo"', "x:3"]
    values = {v.get("for"): v.get("value") for v in nodes[0].iter(f"{GEXF}attvalue")}
    assert values == {"handle": "ana & co", "platform": "x", "cluster": "0", "score": "91.5"}
    edges = graph.findall(f"{GEXF}edges/{GEXF}edge")
    assert [(e.get("source"), e.get("target"), e.get("weight")) for e in edges] == [
        ("x:1", "x:2", "4"), ("x:2", "x:3", "1")
    ]  # fmt: skip
    first = {v.get("for"): v.get("value") for v in edges[0].iter(f"{GEXF}attvalue")}
    assert first == {"co-repost": "3", "co-link": "1"}


def test_graphml_reads_back_in_igraph(tmp_path: Path) -> None:
    path = tmp_path / "net.graphml"
    with path.open("w", encoding="utf-8") as handle:
        write_graphml(_graph(), handle)
    graph = igraph.Graph.Read_GraphML(str(path))
    assert not graph.is_directed()
    assert graph.vs["handle"] == ["ana & co", '"bo"', ""]
    assert graph.vs["cluster"] == [0, 0, -1]
    assert graph.es["weight"] == [4.0, 1.0]


def test_command_writes_gephi_files_with_clusters(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    store_posts(open_database(f"sqlite:///{db}"), planted())
    env = {"EDIPLOMACY_DATABASE_URL": f"sqlite:///{db}"}
    gexf, graphml, edges = tmp_path / "net.gexf", tmp_path / "net.graphml", tmp_path / "e.csv"
    for out in (gexf, graphml, edges):
        result = runner.invoke(
            build(), ["coordination", "--network", "co-repost", "--min-weight", "2",
                      "--out", str(out), "--clusters"], env=env,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    assert "clusters (best first)" in result.stdout
    rows = list(csv.reader(edges.open(encoding="utf-8")))[1:]
    graph = igraph.Graph.Read_GraphML(str(graphml))
    assert graph.ecount() == len(rows) and graph.is_directed()
    planted_nodes = [v for v in graph.vs if v["handle"].startswith("h_g")]
    assert planted_nodes and all(v["cluster"] >= 0 and v["score"] > 0 for v in planted_nodes)
    root = ET.fromstring(gexf.read_text(encoding="utf-8"))
    assert len(root.findall(f".//{GEXF}edge")) == len(rows)
    # The explicit command name gives the same, and --format overrides the suffix.
    result = runner.invoke(
        build(), ["coordination", "network", "--network", "co-repost", "--min-weight", "2",
                  "--format", "csv"], env=env,
    )  # fmt: skip
    assert result.exit_code == 0
    assert list(csv.reader(io.StringIO(result.stdout)))[1:] == rows


def test_detect_command_stores_a_run(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    store_posts(open_database(f"sqlite:///{db}"), planted())
    env = {"EDIPLOMACY_DATABASE_URL": f"sqlite:///{db}",
           "EDIPLOMACY_COORDINATION_NETWORKS": '["co-repost","co-link"]'}  # fmt: skip
    result = runner.invoke(build(), ["coordination", "detect"], env=env)
    assert result.exit_code == 0, result.output
    assert "run 1:" in result.stdout and "co-repost, co-link" in result.stdout
    assert "h_g1m" in result.stdout and "new" in result.stdout
    again = runner.invoke(build(), ["coordination", "detect", "--since", "2026-11-20"], env=env)
    assert again.exit_code == 0 and "run 2:" in again.stdout and " 0 new" in again.stdout
    bad = runner.invoke(build(), ["coordination", "detect", "--since", "yesterday"], env=env)
    assert bad.exit_code == 1 and "is not a date" in bad.stderr
    listed = runner.invoke(build(), ["coordination", "--help"])
    assert listed.exit_code == 0 and "detect" in listed.stdout and "network" in listed.stdout
