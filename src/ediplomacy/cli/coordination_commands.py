"""`ediplomacy coordination`: accounts that act together, as a network, clusters and exports.

`ediplomacy coordination [FILE] --network ...` is the toolkit drop-in (the `network` command,
the default); `ediplomacy coordination detect` runs the detector on the database.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table
from typer.core import TyperGroup

from ediplomacy.cli.context import database, option_moment, reports_errors, settings
from ediplomacy.domain.errors import EdiplomacyError
from ediplomacy.integrity.coordination import (
    Network,
    edges_of,
    events_of,
    file_events,
    messages_from_database,
)
from ediplomacy.integrity.coordination_export import (
    Format,
    edges_graph,
    format_of,
    save_edges_csv,
    write_edges_csv,
    write_graph,
)
from ediplomacy.integrity.coordination_model import Edges, Events, check_parameters

DEFAULT_COMMAND = "network"
stderr = Console(stderr=True)


class _DefaultToNetwork(TyperGroup):
    """`ediplomacy coordination FILE ...` means `ediplomacy coordination network FILE ...`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # typer's click Context
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_DefaultToNetwork,
    help="Coordinated behaviour: co-repost, co-tweet, co-link, co-hashtag, co-reply and "
    "co-similar networks, clusters, exports (docs/coordination.md). Without a command, "
    "'network' runs: ediplomacy coordination [FILE] --network co-repost --out edges.csv",
)


def _bar() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(),
        console=stderr, transient=True, disable=not stderr.is_terminal,
    )  # fmt: skip


def _save(edges: Edges, events: Events, out: Path | None, fmt: Format,
          membership: dict[str, int] | None, scores: list[float]) -> None:  # fmt: skip
    if fmt is Format.CSV and out is not None:
        save_edges_csv(edges, out)
        return
    if fmt is Format.CSV:
        write_edges_csv(edges, sys.stdout)
        return
    graph = edges_graph(edges, events.handles, membership, scores)
    if out is None:
        write_graph(graph, fmt, sys.stdout)
        return
    with out.open("w", encoding="utf-8", newline="") as handle:
        write_graph(graph, fmt, handle)


def _clusters_table(detection: Any, limit: int = 20) -> Table:
    table = Table(title=f"{len(detection.clusters)} clusters (best first)")
    for column in ("#", "score", "accounts", "density", "median s", "top shared items",
                   "members"):  # fmt: skip
        table.add_column(column)
    for index, cluster in enumerate(detection.clusters[:limit]):
        evidence = cluster.evidence
        items = "; ".join(item.label[:40] for item in evidence.items[:3])
        members = ", ".join(m.handle or m.key for m in evidence.members[:6])
        more = len(evidence.members) - 6
        table.add_row(str(index), f"{cluster.score:.1f}", str(len(cluster.members)),
                      f"{cluster.density:.2f}", f"{evidence.median_gap:g}", items,
                      members + (f" +{more}" if more > 0 else ""))  # fmt: skip
    return table


@app.command(DEFAULT_COMMAND)
@reports_errors
def network_command(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="A CSV in the Coordination Network Toolkit's input format (message_id, user_id, "
            "username, repost_id, reply_id, message, timestamp, urls). Without it, the "
            "database's posts are used."
        ),
    ] = None,
    network: Annotated[
        Network, typer.Option(help="What the accounts must share.", case_sensitive=False)
    ] = Network.CO_REPOST,
    window: Annotated[
        float, typer.Option(help="Most seconds between two accounts' actions (ends included).")
    ] = 60.0,
    min_weight: Annotated[
        int, typer.Option(help="Leave out edges lighter than this (each direction on its own).")
    ] = 1,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Where to write the network (default: standard output); the suffix "
            ".csv, .gexf or .graphml chooses the format."
        ),
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            help="csv (user_1,user_2,weight), gexf or graphml (Gephi).",
            case_sensitive=False,
        ),
    ] = None,
    clusters: Annotated[
        bool,
        typer.Option(
            "--clusters",
            help="Also find clusters in this network and print them with "
            "their scores; GEXF/GraphML nodes get their cluster and score.",
        ),
    ] = False,
    compat: Annotated[
        bool,
        typer.Option(
            help="Reproduce toolkit 1.5.2's quirks: an empty urls field is the URL '' (links "
            "all URL-less posts), and with --self-loops every message meets itself."
        ),
    ] = False,
    self_loops: Annotated[bool, typer.Option(help="Keep edges from an account to itself.")] = False,
    since: Annotated[
        str | None, typer.Option(help="Database only: posts from this time, YYYY-MM-DD[THH:MM].")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Database only: posts before this time (excluded).")
    ] = None,
    platform: Annotated[
        str | None, typer.Option(help="Database only: one platform's posts (x, mastodon, ...).")
    ] = None,
) -> None:
    """Compute a coordination network and write its edges (user_1,user_2,weight)."""
    started = time.perf_counter()
    check_parameters(window, min_weight)
    chosen = format_of(out, fmt)
    if file is not None:
        if since or until or platform:
            raise EdiplomacyError("--since, --until and --platform apply to the database only")
        events, problems = file_events(file, network, window=window, compat=compat,
                                       handles=chosen is not Format.CSV or clusters)  # fmt: skip
        for problem in problems:
            typer.echo(f"skipped {problem}", err=True)
        source = f"{events.posts} posts from {file}"
    else:
        messages = list(
            messages_from_database(
                database(),
                since=option_moment(since, "--since"),
                until=option_moment(until, "--until"),
                platform=platform,
            )
        )
        source = f"{len(messages)} posts from the database"
        if network is Network.CO_SIMILAR:
            from ediplomacy.integrity.coordination_detect import similar_database_events

            events, _ = similar_database_events(database(), messages, window)
        else:
            events = events_of(messages, network)
    with _bar() as bar:
        task = bar.add_task(network.value, total=None)
        edges = edges_of(
            events, window=window, min_weight=min_weight, self_loops=self_loops,
            same_message=compat and network is not Network.CO_SIMILAR,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )  # fmt: skip
    membership: dict[str, int] | None = None
    scores: list[float] = []
    if clusters:
        from ediplomacy.integrity.coordination_clusters import find_clusters

        detection = find_clusters({network.value: (events, edges)}, window=window,
                                  min_weight=min_weight)  # fmt: skip
        membership = detection.membership
        scores = [cluster.score for cluster in detection.clusters]
        (stderr if out is None else Console()).print(_clusters_table(detection))
    try:
        _save(edges, events, out, chosen, membership, scores)
    except OSError as error:
        raise EdiplomacyError(f"cannot write {out}: {error.strerror}") from None
    typer.echo(
        f"{network.value}: {source}, {edges.events} actions, {len(edges)} edges between "
        f"{len(edges.nodes())} accounts in {time.perf_counter() - started:.1f} s",
        err=True,
    )


@app.command("detect")
@reports_errors
def detect_command(
    since: Annotated[
        str | None, typer.Option(help="Posts from this time, YYYY-MM-DD[THH:MM] (default: all).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Posts before this time (excluded).")] = None,
) -> None:
    """Find coordinated clusters in the database's posts, store the run, alert new clusters.

    Networks, window and weights come from the settings (EDIPLOMACY_COORDINATION_*)."""
    from ediplomacy.integrity.coordination_detect import detect_clusters
    from ediplomacy.store import coordination as store

    config = settings()
    engine = database(config)
    with stderr.status("computing the coordination networks..."):
        summary = detect_clusters(
            engine, config, since=option_moment(since, "--since"),
            until=option_moment(until, "--until"),
        )  # fmt: skip
    console = Console()
    console.print(
        f"run {summary.run_id}: {summary.posts} posts, {', '.join(summary.networks)} "
        f"(window {config.coordination_window_s} s, weight >= {config.coordination_min_weight})"
        f"{f', vectors: {summary.space}' if summary.space else ''}; {summary.edges} links "
        f"between {summary.nodes} accounts; {summary.clusters} clusters, "
        f"{summary.new_clusters} new, {len(summary.alerts)} alerts; {summary.seconds:.1f} s",
        highlight=False,
    )
    rows = store.list_clusters(engine, summary.run_id, limit=20)
    if rows:
        table = Table()
        for column in ("cluster", "score", "accounts", "new", "median s", "members"):
            table.add_column(column)
        for row in rows:
            handles = ", ".join(m.get("handle") or m["key"] for m in row.members[:6])
            table.add_row(str(row.id), f"{row.score:.1f}", str(row.member_count),
                          "new" if row.is_new else "", f"{row.evidence.get('median_gap', 0):g}",
                          handles)  # fmt: skip
        console.print(table)
        console.print(
            "evidence: /verify/coordination/clusters/<cluster> in the web app",
            highlight=False,
        )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="coordination")
