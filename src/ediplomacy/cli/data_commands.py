"""Commands that move data: ingest, analyze, export, stats."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ediplomacy.cli.context import console, database, exit_with, reports_errors, settings
from ediplomacy.cli.progress import ImportBar, StageBar
from ediplomacy.domain.errors import EdiplomacyError
from ediplomacy.ingest.export import export_posts
from ediplomacy.ingest.importer import Importer
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stages import STAGE_NAMES, build_stages
from ediplomacy.store.queries import PostFilters
from ediplomacy.store.stats import store_stats

FORMAT_HELP = "auto, x-v2, x-v1, bluesky, mastodon, youtube or csv"


@reports_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files to import (.gz read as is).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "auto",
    collection: Annotated[
        str | None, typer.Option(help="Name of the collection (default: the file names).")
    ] = None,
) -> None:
    """Import posts from platform exports and API captures; bad records go to a rejects file."""
    config = settings()
    engine = database(config)
    with ImportBar(console) as bar:
        importer = Importer(
            engine, data_dir=config.data_dir, batch_size=config.batch_size, progress=bar
        )
        report = importer.run(paths, fmt=fmt, collection=collection)
    counts = report.counts
    console.print(
        f"[bold green]imported[/] collection {report.collection_id}: "
        f"{counts.read} read, {counts.new} new, {counts.updated} updated, "
        f"{counts.unchanged} unchanged, {counts.rejected} rejected; "
        f"{counts.actors_new} new actors",
        highlight=False,
    )
    if report.rejects_path:
        console.print(f"rejected records with file, line and reason: {report.rejects_path}")


@reports_errors
def analyze(
    stage: Annotated[
        list[str] | None,
        typer.Option(help=f"Run only these stages ({', '.join(STAGE_NAMES)}); repeatable."),
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Posts per batch.")] = 500,
) -> None:
    """Run the pipeline stages over posts that have not been through them yet."""
    config = settings()
    engine = database(config)
    stages = build_stages(config, stage)
    with StageBar(console) as bar:
        report = InProcessRunner(engine, batch_size=batch_size, progress=bar).run(stages)
    summary = ", ".join(f"{name}: {count}" for name, count in report.processed.items())
    console.print(f"[bold green]analyzed[/] {summary}", highlight=False)


@reports_errors
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or parquet")] = "jsonl",
    out: Annotated[
        Path | None, typer.Option(help="File to write (default: standard output).")
    ] = None,
    since: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD (UTC).")] = None,
    until: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD (UTC), included.")] = None,
    platform: Annotated[str | None, typer.Option(help="x, bluesky, mastodon, youtube...")] = None,
    language: Annotated[str | None, typer.Option(help="ISO 639-1 code, e.g. id.")] = None,
    text: Annotated[str | None, typer.Option(help="Words the text must contain.")] = None,
    raw: Annotated[bool, typer.Option("--raw", help="Include each platform payload.")] = False,
) -> None:
    """Export posts with their enrichment columns, filtered by time, platform, language, text."""
    if fmt not in ("jsonl", "csv", "parquet"):
        exit_with(f"unknown format {fmt!r}: choose jsonl, csv or parquet")
    filters = PostFilters(
        platform=platform, language=language, since=_day(since, "--since"),
        until=_day(until, "--until"), q=text,
    )  # fmt: skip
    engine = database()
    target = out if out is not None else sys.stdout.buffer
    written = export_posts(engine, fmt, target, filters, with_raw=raw)  # type: ignore[arg-type]
    console.print(f"[bold green]exported[/] {written} posts" + (f" to {out}" if out else ""))


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise EdiplomacyError(f"{option} {value!r} is not a date: write YYYY-MM-DD") from None


@reports_errors
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Counts of posts, actors and collections, by platform and by language."""
    figures = store_stats(database())
    if as_json:
        typer.echo(json.dumps(figures, indent=2, ensure_ascii=False))
        return
    table = Table(title="ediplomacy", show_header=False)
    for name in ("posts", "actors", "collections"):
        table.add_row(name, f"{figures[name]:,}")
    for group in ("by_platform", "by_language"):
        for label, count in figures[group].items():
            table.add_row(f"{group.removeprefix('by_')}: {label}", f"{count:,}")
    Console().print(table)


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command()(analyze)
    app.command()(export)
    app.command()(stats)
