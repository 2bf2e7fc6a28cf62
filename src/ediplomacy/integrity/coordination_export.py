"""Coordination networks as files: the edges CSV (the toolkit's format), GEXF 1.3 and GraphML
for Gephi, with node attributes (handle, platform, cluster, score).

XML is written as a stream (no tree in memory), so a network of millions of edges can be saved.
A large edges CSV is written by Arrow's CSV writer when no account name needs quoting.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from ediplomacy.domain.errors import EdiplomacyError
from ediplomacy.integrity.coordination_model import Edges

_NEEDS_QUOTES = (",", '"', "\n", "\r")
_NO_NETWORKS: Mapping[str, int] = {}
EdgeRow = tuple[str, str, int, Mapping[str, int]]  # source, target, weight, per network


class Format(StrEnum):
    CSV = "csv"
    GEXF = "gexf"
    GRAPHML = "graphml"


SUFFIXES = {".csv": Format.CSV, ".gexf": Format.GEXF, ".graphml": Format.GRAPHML}
MEDIA_TYPES = {
    Format.CSV: "text/csv; charset=utf-8",
    Format.GEXF: "application/gexf+xml",
    Format.GRAPHML: "application/graphml+xml",
}


def format_of(out: Path | None, chosen: Format | None) -> Format:
    """The format asked for, else the one the file name's suffix says, else CSV."""
    if chosen is not None:
        return chosen
    if out is not None and out.suffix.lower() in SUFFIXES:
        return SUFFIXES[out.suffix.lower()]
    if out is not None and out.suffix and out.suffix.lower() not in SUFFIXES:
        raise EdiplomacyError(
            f"{out}: unknown file type {out.suffix!r}; name it .csv, .gexf or .graphml, "
            "or say --format csv|gexf|graphml"
        )
    return Format.CSV


@dataclass(frozen=True)
class Node:
    key: str
    handle: str = ""
    platform: str = ""
    cluster: int = -1  # -1: in no cluster
    score: float = 0.0


@dataclass
class GraphFile:
    """Nodes and weighted edges to write; `networks` name per-network weights of an edge."""

    nodes: list[Node]
    edges: Iterable[EdgeRow]
    directed: bool = True
    networks: list[str] = field(default_factory=list)
    description: str = "coordination network (ediplomacy)"


def write_edges_csv(edges: Edges, handle: TextIO) -> None:
    """user_1,user_2,weight rows with a header, as the toolkit writes them."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["user_1", "user_2", "weight"])
    writer.writerows(edges.rows())


def save_edges_csv(edges: Edges, path: Path) -> None:
    """The edges CSV at `path`; fast (Arrow) unless an account name needs quoting."""
    if any(mark in name for name in edges.names for mark in _NEEDS_QUOTES):
        with path.open("w", encoding="utf-8", newline="") as handle:
            write_edges_csv(edges, handle)
        return
    import pyarrow as pa
    from pyarrow import csv as pacsv

    names = pa.array(edges.names, pa.string())
    table = pa.table(
        {
            "user_1": pa.DictionaryArray.from_arrays(pa.array(edges.first, pa.int32()), names),
            "user_2": pa.DictionaryArray.from_arrays(pa.array(edges.second, pa.int32()), names),
            "weight": pa.array(edges.weight, pa.int32()),
        }
    )
    with path.open("wb") as handle:
        handle.write(b"user_1,user_2,weight\n")
        pacsv.write_csv(
            table, handle, pacsv.WriteOptions(include_header=False, quoting_style="none")
        )


def write_gexf(graph: GraphFile, handle: TextIO) -> None:
    """GEXF 1.3 (Gephi's own format)."""
    kind = "directed" if graph.directed else "undirected"
    handle.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    handle.write('<gexf xmlns="http://gexf.net/1.3" version="1.3">\n')
    handle.write(f"  <meta><creator>ediplomacy</creator><description>"
                 f"{escape(graph.description)}</description></meta>\n")  # fmt: skip
    handle.write(f'  <graph mode="static" defaultedgetype="{kind}">\n')
    handle.write('    <attributes class="node">\n'
                 '      <attribute id="handle" title="handle" type="string"/>\n'
                 '      <attribute id="platform" title="platform" type="string"/>\n'
                 '      <attribute id="cluster" title="cluster" type="integer"/>\n'
                 '      <attribute id="score" title="score" type="double"/>\n'
                 "    </attributes>\n")  # fmt: skip
    if graph.networks:
        handle.write('    <attributes class="edge">\n')
        for network in graph.networks:
            handle.write(f"      <attribute id={quoteattr(network)} title={quoteattr(network)} "
                         'type="integer"/>\n')  # fmt: skip
        handle.write("    </attributes>\n")
    handle.write("    <nodes>\n")
    for node in graph.nodes:
        handle.write(
            f"      <node id={quoteattr(node.key)} label={quoteattr(node.handle or node.key)}>"
            f'<attvalues><attvalue for="handle" value={quoteattr(node.handle)}/>'
            f'<attvalue for="platform" value={quoteattr(node.platform)}/>'
            f'<attvalue for="cluster" value="{node.cluster}"/>'
            f'<attvalue for="score" value="{node.score}"/></attvalues></node>\n'
        )
    handle.write("    </nodes>\n    <edges>\n")
    for index, (source, target, weight, per) in enumerate(graph.edges):
        extra = ""
        if graph.networks:
            extra = "<attvalues>" + "".join(
                f'<attvalue for={quoteattr(n)} value="{int(per.get(n, 0))}"/>'
                for n in graph.networks
            ) + "</attvalues>"  # fmt: skip
        handle.write(f'      <edge id="{index}" source={quoteattr(source)} '
                     f'target={quoteattr(target)} weight="{weight}"')  # fmt: skip
        handle.write(f">{extra}</edge>\n" if extra else "/>\n")
    handle.write("    </edges>\n  </graph>\n</gexf>\n")


def write_graphml(graph: GraphFile, handle: TextIO) -> None:
    """GraphML (Gephi, igraph, networkx, yEd and Cytoscape read it)."""
    handle.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    handle.write('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
    for key, kind in (("handle", "string"), ("platform", "string"), ("cluster", "int"),
                      ("score", "double")):  # fmt: skip
        handle.write(f'  <key id="{key}" for="node" attr.name="{key}" attr.type="{kind}"/>\n')
    handle.write('  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>\n')
    keys = {network: f"n{index}" for index, network in enumerate(graph.networks)}
    for network, key in keys.items():
        handle.write(f'  <key id="{key}" for="edge" attr.name={quoteattr(network)} '
                     'attr.type="int"/>\n')  # fmt: skip
    kind = "directed" if graph.directed else "undirected"
    handle.write(f'  <graph id="coordination" edgedefault="{kind}">\n')
    for node in graph.nodes:
        handle.write(
            f"    <node id={quoteattr(node.key)}>"
            f'<data key="handle">{escape(node.handle)}</data>'
            f'<data key="platform">{escape(node.platform)}</data>'
            f'<data key="cluster">{node.cluster}</data>'
            f'<data key="score">{node.score}</data></node>\n'
        )
    for source, target, weight, per in graph.edges:
        handle.write(f"    <edge source={quoteattr(source)} target={quoteattr(target)}>"
                     f'<data key="weight">{weight}</data>')  # fmt: skip
        for network, key in keys.items():
            if per.get(network):
                handle.write(f'<data key="{key}">{int(per[network])}</data>')
        handle.write("</edge>\n")
    handle.write("  </graph>\n</graphml>\n")


def write_graph(graph: GraphFile, fmt: Format, handle: TextIO) -> None:
    if fmt is Format.GEXF:
        write_gexf(graph, handle)
    elif fmt is Format.GRAPHML:
        write_graphml(graph, handle)
    else:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["user_1", "user_2", "weight", *graph.networks])
        for source, target, weight, per in graph.edges:
            writer.writerow([source, target, weight, *(per.get(n, 0) for n in graph.networks)])


def nodes_of(
    names: Sequence[str],
    handles: Sequence[str] | None,
    membership: Mapping[str, int] | None = None,
    scores: Sequence[float] = (),
) -> list[Node]:
    """Nodes for these account keys; database keys carry their platform (`x:123`)."""
    found = []
    for index, name in enumerate(names):
        cluster = (membership or {}).get(name, -1)
        platform = name.partition(":")[0] if ":" in name else ""
        found.append(Node(name, handles[index] if handles else "", platform, cluster,
                          scores[cluster] if 0 <= cluster < len(scores) else 0.0))  # fmt: skip
    return found


def edges_graph(
    edges: Edges,
    handles: Sequence[str] | None,
    membership: Mapping[str, int] | None = None,
    scores: Sequence[float] = (),
) -> GraphFile:
    """One network's directed edges, with the accounts that have an edge as nodes."""
    codes = edges.node_codes().tolist()
    names = [edges.names[code] for code in codes]
    picked = [handles[code] for code in codes] if handles else None
    rows = ((a, b, w, _NO_NETWORKS) for a, b, w in edges.rows())
    return GraphFile(nodes_of(names, picked, membership, scores), rows, directed=True)
