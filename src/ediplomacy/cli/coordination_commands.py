"""`ediplomacy coordination`: accounts that act together, as a weighted edge list."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from ediplomacy.cli.context import database, option_moment, reports_errors
from ediplomacy.domain.errors import EdiplomacyError
from ediplomacy.integrity.coordination import (
    Network,
    compute,
    compute_file,
    messages_from_database,
    write_edges,
)


@reports_errors
def coordination_command(
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
        Path | None, typer.Option(help="Where to write the edges CSV (default: standard output).")
    ] = None,
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
    if file is not None:
        if since or until or platform:
            raise EdiplomacyError("--since, --until and --platform apply to the database only")
        edges, problems, posts = compute_file(
            file,
            network,
            window=window,
            min_weight=min_weight,
            self_loops=self_loops,
            compat=compat,
        )
        for problem in problems:
            typer.echo(f"skipped {problem}", err=True)
        source = f"{posts} posts from {file}"
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
        edges = compute(
            messages,
            network,
            window=window,
            min_weight=min_weight,
            self_loops=self_loops,
            compat=compat,
        )
    if out is None:
        write_edges(edges, sys.stdout)
    else:
        try:
            with out.open("w", encoding="utf-8", newline="") as handle:
                write_edges(edges, handle)
        except OSError as error:
            raise EdiplomacyError(f"cannot write {out}: {error.strerror}") from None
    typer.echo(
        f"{network.value}: {source}, {edges.events} actions, {len(edges)} edges between "
        f"{len(edges.nodes())} accounts in {time.perf_counter() - started:.1f} s",
        err=True,
    )


def register(root: typer.Typer) -> None:
    root.command("coordination")(coordination_command)
