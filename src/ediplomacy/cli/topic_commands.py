"""`ediplomacy topics discover|list`: emerging topics found by clustering recent posts."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ediplomacy.cli.context import console, database, option_moment, reports_errors
from ediplomacy.domain.errors import EdiplomacyError
from ediplomacy.listen.emerging import discover, stored_topics

app = typer.Typer(no_args_is_help=True)


def _json_ready(topic: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in topic.items()
    }


@app.command("discover")
@reports_errors
def discover_command(
    since: Annotated[
        str | None, typer.Option(help="Start of the window, YYYY-MM-DD[THH:MM] (UTC).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="End of the window (excluded), YYYY-MM-DD[THH:MM] (UTC).")
    ] = None,
    clusters: Annotated[
        int | None, typer.Option(help="Number of clusters (default: from the number of posts).")
    ] = None,
    recent_hours: Annotated[
        float, typer.Option(help="Length of the latest window that decides 'emerging'.")
    ] = 24.0,
) -> None:
    """Cluster the window's posts into topics, label them, flag the emerging ones, store them."""
    if recent_hours <= 0:
        raise EdiplomacyError("--recent-hours must be more than 0")
    engine = database()
    topics = discover(
        engine,
        since=option_moment(since, "--since"),
        until=option_moment(until, "--until"),
        clusters=clusters,
        recent=timedelta(hours=recent_hours),
    )
    emerging = sum(1 for topic in topics if topic.emerging)
    console.print(
        f"[bold green]found[/] {len(topics)} topics, {emerging} emerging", highlight=False
    )
    _print_table(
        [
            {"id": t.id, "label": t.label, "size": t.size, "growth": t.growth,
             "emerging": t.emerging, "languages": t.languages}
            for t in topics
        ]
    )  # fmt: skip


@app.command("list")
@reports_errors
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """The topics found by the last `topics discover`, emerging ones first."""
    topics = stored_topics(database())
    if as_json:
        typer.echo(json.dumps([_json_ready(topic) for topic in topics], ensure_ascii=False))
        return
    if not topics:
        console.print("no topics yet: run `ediplomacy topics discover`")
        return
    _print_table(topics)


def _print_table(topics: list[dict[str, Any]]) -> None:
    table = Table("id", "topic (top terms)", "posts", "growth", "languages")
    for topic in topics:
        languages = ", ".join(
            f"{code} {count}" for code, count in list(topic["languages"].items())[:4]
        )
        growth = "" if topic["growth"] is None else f"x{topic['growth']:g}"
        flag = " [bold red]emerging[/]" if topic["emerging"] else ""
        table.add_row(
            str(topic["id"]), topic["label"] + flag, str(topic["size"]), growth, languages
        )
    Console().print(table)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="topics", help="Emerging topics: clusters of recent posts.")
