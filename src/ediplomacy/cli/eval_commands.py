"""`ediplomacy eval ...`: how well the bundled classifier heads do on labelled data."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ediplomacy.cli.context import console, reports_errors
from ediplomacy.nlp.evaluation import SetReport, evaluate_sentiment

app = typer.Typer(no_args_is_help=True, help="Validation figures of the classifier heads.")

DATA_HELP = (
    "The shared data folder (default: $EDIPLOMACY_SHARED_DATA, else ../shared/data from here)."
)


def default_data_dir() -> Path:
    return Path(os.environ.get("EDIPLOMACY_SHARED_DATA") or Path.cwd().parent / "shared" / "data")


@app.command()
@reports_errors
def sentiment(
    file: Annotated[
        list[Path] | None,
        typer.Option(
            "--file",
            help="A labelled TSV or CSV (columns text and label; labels positive/neutral/"
            "negative or 0/1/2) to score instead of the shared data; repeatable.",
        ),
    ] = None,
    data: Annotated[Path | None, typer.Option("--data", help=DATA_HELP)] = None,
    head: Annotated[
        str, typer.Option(help="The head to score: 'sentiment' or the path of a .npz head.")
    ] = "sentiment",
    lang: Annotated[
        str | None,
        typer.Option(help="Language of the --file texts (ISO code); 'en' adds the VADER baseline."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Macro-F1 of the sentiment head per data set and language, beside simple baselines."""
    with console.status("embedding and scoring..."):
        reports, average = evaluate_sentiment(
            head, files=file or [], data_dir=data or default_data_dir(), file_language=lang
        )
    for report in reports:
        for problem in report.problems:
            console.print(f"[yellow]skipped[/] {problem}", highlight=False, soft_wrap=True)
    key = "files" if file else "datasets"
    if as_json:
        payload: dict[str, object] = {key: [report.as_json() for report in reports]}
        if average is not None:
            payload["umsab_average"] = average.as_json()
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    print_table(reports, average, key)


def print_table(reports: list[SetReport], average: SetReport | None, key: str) -> None:
    table = Table(
        title=f"Sentiment head, validation ({key})",
        caption="F1 and recall are macro-averaged over negative, neutral and positive.",
    )
    for column in ("data", "lang", "n", "F1", "recall", "majority F1", "VADER F1"):
        table.add_column(
            column, justify="left" if column in ("data", "lang") else "right", no_wrap=True
        )
    rows = [*reports, *([average] if average else [])]
    for report in rows:
        vader = report.baselines.get("vader", {}).get("macro_f1")
        table.add_row(
            report.name,
            report.language or "",
            str(report.n),
            f"{report.macro_f1:.3f}",
            f"{report.macro_recall:.3f}",
            f"{report.baselines['majority']['macro_f1']:.3f}",
            f"{vader:.3f}" if vader is not None else "",
            end_section=report is reports[-1] and average is not None,
        )
    Console().print(table)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="eval")
