"""`ediplomacy factcheck`: import, export and list the fact-check base."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ediplomacy.cli.context import console, database, reports_errors, settings
from ediplomacy.integrity import factcheck

factcheck_app = typer.Typer(no_args_is_help=True)
out = Console()
FORMAT_HELP = "auto, claimreview, google, csv, checkthat2022 or checkthat2020 (see docs/verify.md)."


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@factcheck_app.command("import")
@reports_errors
def import_command(
    paths: Annotated[list[Path], typer.Argument(help="Files to import.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "auto",
) -> None:
    """Import fact-checks; the same record imported again updates its row, never doubles it."""
    config = settings()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    rejects = config.data_dir / "rejects" / f"factchecks-{stamp}.jsonl"
    report = factcheck.import_files(
        database(config), paths, file_format=fmt, rejects_path=rejects, actor=_actor()
    )
    console.print(
        f"[bold green]imported[/] {report.files} file(s): {report.added} new, "
        f"{report.updated} updated, {report.unchanged} unchanged, {report.rejected} rejected",
        highlight=False,
    )
    if report.rejects_path:
        console.print(f"rejected records with file, line and reason: {report.rejects_path}")


@factcheck_app.command("export")
@reports_errors
def export_command(
    to: Annotated[Path, typer.Option("--out", "-o", help="The JSON-LD file to write.")],
) -> None:
    """Write the whole base as schema.org ClaimReview JSON-LD."""
    written = factcheck.export_claim_review(database(), to)
    console.print(f"wrote {written} ClaimReview entries to {to}", highlight=False)


@factcheck_app.command("list")
@reports_errors
def list_command(
    search: Annotated[str | None, typer.Option("--search", "-s", help="Words to look for.")] = None,
    verdict: Annotated[
        str | None, typer.Option(help="false, misleading, true, mixed, unproven or other.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
) -> None:
    """List fact-checks, newest review first."""
    items, total = factcheck.search(database(), query=search, verdict=verdict, limit=limit)
    table = Table("id", "kind", "verdict", "claim", "publisher", "reviewed")
    for item in items:
        reviewed = item.review_date.date().isoformat() if item.review_date else ""
        table.add_row(str(item.id), item.kind, item.verdict, item.claim_text[:120],
                      item.publisher or "", reviewed)  # fmt: skip
    out.print(table)
    out.print(f"{len(items)} of {total} shown", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(
        factcheck_app, name="factcheck", help="The fact-check base: import, export, list."
    )
