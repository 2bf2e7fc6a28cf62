"""`ediplomacy bots`: score accounts for bot-likeness, list and explain scores, label accounts."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ediplomacy.cli.context import console, database, option_moment, reports_errors, settings
from ediplomacy.cli.progress import StageBar
from ediplomacy.integrity import bots
from ediplomacy.integrity.bot_reasons import describe

bots_app = typer.Typer(no_args_is_help=True)
out = Console()
STAGE = "accounts"
LABELLED = ("any", "yes", "no")


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _labelled(value: str) -> bool | None:
    if value not in LABELLED:
        raise typer.BadParameter(f"choose {', '.join(LABELLED)}", param_hint="--labelled")
    return None if value == "any" else value == "yes"


def _lang(value: str) -> str:
    if value not in ("en", "id"):
        raise typer.BadParameter("choose en or id", param_hint="--lang")
    return value


@bots_app.command("score")
@reports_errors
def score_command(
    since: Annotated[
        str | None,
        typer.Option(help="Only accounts with a post imported since then (YYYY-MM-DD[THH:MM])."),
    ] = None,
) -> None:
    """Score every account with posts for bot-likeness, with its reasons (replaces old scores)."""
    config = settings()
    engine = database(config)
    moment = option_moment(since, "--since")
    with StageBar(console) as bar:

        def progress(done: int, total: int) -> None:
            if STAGE not in bar.tasks:
                bar.start_stage(STAGE, total)
            bar.advance(STAGE, done)

        summary = bots.score_accounts(engine, config, since=moment, progress=progress)
    console.print(
        f"[bold green]scored[/] {summary.scored} accounts in {summary.seconds:.1f} s "
        f"({summary.high} at or above {bots.REVIEW_SCORE}; model {summary.model_version})",
        highlight=False,
    )
    console.print("bot-likeness is evidence for review, not a verdict: see `ediplomacy bots list`")


@bots_app.command("list")
@reports_errors
def list_command(
    min_score: Annotated[float, typer.Option(min=0.0, max=1.0, help="Lowest score shown.")] = 0.0,
    labelled: Annotated[str, typer.Option(help="any, yes (labelled) or no (unlabelled).")] = "any",
    label: Annotated[
        str | None, typer.Option(help="Only accounts whose latest label is this.")
    ] = None,
    platform: Annotated[str | None, typer.Option(help="x, bluesky, mastodon, ...")] = None,
    search: Annotated[str | None, typer.Option(help="Part of a handle, name or id.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON, reasons in en and id.")] = (
        False
    ),
    lang: Annotated[str, typer.Option(help="Language of the reasons: en or id.")] = "en",
) -> None:
    """Scored accounts, highest first, with their main reasons and latest label."""
    if label is not None and label not in bots.LABELS:
        raise typer.BadParameter(f"choose {', '.join(bots.LABELS)}", param_hint="--label")
    items, total = bots.list_scores(
        database(), min_score=min_score, labelled=_labelled(labelled), label=label,
        platform=platform, search=search, limit=limit,
    )  # fmt: skip
    if as_json:
        body = {"items": [bots.score_json(item) for item in items], "total": total,
                "notice": bots.NOTICE}  # fmt: skip
        typer.echo(json.dumps(body, ensure_ascii=False, indent=1))
        return
    language = _lang(lang)
    table = Table("score", "account", "label", "main reasons")
    for item in items:
        reasons = [describe(r, language) for r in item.reasons if r.get("contribution", 0) > 0]
        table.add_row(f"{item.score:.2f}", f"{item.platform}:{item.external_id}\n"
                      f"{item.handle or ''}", item.label or "", "; ".join(reasons[:3]))  # fmt: skip
    out.print(table)
    out.print(f"{len(items)} of {total} shown. {bots.NOTICE}", highlight=False)


@bots_app.command("show")
@reports_errors
def show_command(
    account: Annotated[str, typer.Argument(help="PLATFORM:ID, e.g. x:1234567890.")],
    lang: Annotated[str, typer.Option(help="Language of the reasons: en or id.")] = "en",
) -> None:
    """One account's score, every reason with its effect, and its labels."""
    language = _lang(lang)
    platform, external_id = bots.parse_account(account)
    found = bots.review(database(), platform, external_id, posts=0)
    if found.score is None:
        out.print(f"{account}: not scored yet; run `ediplomacy bots score`.", highlight=False)
    else:
        item = found.score
        out.print(f"{account} ({item.handle or ''}): score {item.score:.2f} "
                  f"(model {item.model_version})", highlight=False)  # fmt: skip
        for reason in item.reasons:
            effect = reason.get("contribution", 0.0)
            mark = f"{effect:+.2f}" if effect else "  note"
            out.print(f"  {mark}  {describe(reason, language)}", highlight=False)
    for label in found.labels:
        when = f"{label.labeled_at:%Y-%m-%d %H:%M}"
        note = f": {label.note}" if label.note else ""
        out.print(f"  label {label.label} by {label.labeled_by} at {when}{note}", highlight=False)
    out.print(bots.NOTICE, highlight=False)


@bots_app.command("label")
@reports_errors
def label_command(
    account: Annotated[str, typer.Argument(help="PLATFORM:ID, e.g. x:1234567890.")],
    label: Annotated[str, typer.Argument(help="automated, human or unsure.")],
    note: Annotated[str | None, typer.Option(help="Why: what you checked.")] = None,
) -> None:
    """Label an account automated, human or unsure; earlier labels are kept."""
    platform, external_id = bots.parse_account(account)
    saved = bots.add_label(database(), platform, external_id, label, note=note, actor=_actor())
    console.print(
        f"labelled {account} {saved.label} (label {saved.id})", highlight=False, soft_wrap=True
    )


@bots_app.command("labels")
@reports_errors
def labels_command(
    to: Annotated[Path, typer.Option("--out", "-o", help="The CSV file to write.")],
    latest: Annotated[bool, typer.Option(help="Only each account's latest label.")] = False,
) -> None:
    """Export the labels as CSV, with each account's current score and measures."""
    written = bots.export_labels(database(), to, latest_only=latest)
    console.print(f"wrote {written} labels to {to}", highlight=False, soft_wrap=True)


@bots_app.command("eval")
@reports_errors
def eval_command(
    truth: Annotated[
        Path | None,
        typer.Option(help="A demo ground_truth.json; without it, the analysts' labels."),
    ] = None,
    k: Annotated[int | None, typer.Option(min=1, help="Top k (default: the known bots).")] = None,
    threshold: Annotated[float, typer.Option(min=0.0, max=1.0)] = 0.5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """How well the scores rank known automated accounts first: precision, recall, ROC-AUC."""
    engine = database()
    if truth is not None:
        positives, negatives = bots.demo_truth(truth), None
        source = str(truth)
    else:
        positives, found_negatives = bots.label_truth(engine)
        negatives = found_negatives
        source = "the analysts' latest labels (automated vs human)"
        if not positives or not negatives:
            console.print("[bold red]error:[/] evaluating against labels needs accounts "
                          "labelled automated and others labelled human; label some with "
                          "`ediplomacy bots label`, or give --truth")  # fmt: skip
            raise typer.Exit(1)
    result = bots.evaluate(engine, positives, negatives, k=k, threshold=threshold)
    figures = {
        "source": source,
        "scored": result.scored,
        "positives": result.positives,
        "positives_scored": result.positives_scored,
        "k": result.k,
        "precision_at_k": round(result.precision_at_k, 4),
        "recall_at_k": round(result.recall_at_k, 4),
        "roc_auc": None if result.roc_auc is None else round(result.roc_auc, 4),
        "threshold": threshold,
        "precision_at_threshold": None
        if result.precision_at_threshold is None
        else round(result.precision_at_threshold, 4),
        "recall_at_threshold": round(result.recall_at_threshold, 4),
    }
    if as_json:
        typer.echo(json.dumps(figures, indent=1))
        return
    out.print(f"against {source}: {result.positives_scored} of {result.positives} known "
              f"automated accounts scored, among {result.scored}", highlight=False)  # fmt: skip
    auc = "n/a" if result.roc_auc is None else f"{result.roc_auc:.3f}"
    out.print(f"precision@{result.k} {result.precision_at_k:.3f}  recall@{result.k} "
              f"{result.recall_at_k:.3f}  ROC-AUC {auc}", highlight=False)  # fmt: skip
    at = result.precision_at_threshold
    out.print(f"score >= {threshold}: precision {'n/a' if at is None else f'{at:.3f}'}  "
              f"recall {result.recall_at_threshold:.3f}", highlight=False)  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(
        bots_app,
        name="bots",
        help="Bot-likeness: score accounts, explain, label, export labels (evidence for review).",
    )
