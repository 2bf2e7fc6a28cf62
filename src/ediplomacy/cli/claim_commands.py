"""`ediplomacy claims`: match posts against the fact-check base, list and review the matches,
export the reviews, raise alerts when matches to a false claim spike."""

from __future__ import annotations

import getpass
import json
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ediplomacy.cli.context import console, database, option_moment, reports_errors, settings
from ediplomacy.cli.progress import StepBar
from ediplomacy.integrity import claim_queue
from ediplomacy.integrity.claim_matcher import match_posts
from ediplomacy.integrity.claim_ranker import ClaimRanker
from ediplomacy.integrity.claim_review import check_claim_spikes, export_reviews, review_match
from ediplomacy.listen.delivery import deliver_due
from ediplomacy.listen.watch import notifiers_from
from ediplomacy.nlp.embedders import space_embedder

claims_app = typer.Typer(no_args_is_help=True)
out = Console()
EMBED_HINT = "ediplomacy analyze --stage embed_accurate"


class Status(StrEnum):
    pending = "pending"
    confirmed = "confirmed"
    rejected = "rejected"


class Action(StrEnum):
    confirm = "confirm"
    reject = "reject"
    reopen = "reopen"


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@claims_app.command("match")
@reports_errors
def match_command() -> None:
    """Match the posts not matched yet (and recent ones when the base changed) with the base."""
    config = settings()
    engine = database(config)
    embedder = space_embedder(config, "accurate")
    ranker = ClaimRanker.load(config.claim_ranker)
    if ranker.trained_with and ranker.trained_with != embedder.name:
        console.print(
            f"[yellow]the claim ranker was trained on {ranker.card['embedder']} vectors, not on "
            f"{embedder.name}:[/] its probabilities are not calibrated for them; use the "
            "embedder it was trained with, or set EDIPLOMACY_CLAIM_MATCH_THRESHOLD "
            "(docs/claims.md)",
            highlight=False,
        )
    with StepBar(console) as bar:
        report = match_posts(engine, config, progress=bar, ranker=ranker, embedder=embedder)
    console.print(
        f"[bold green]matched[/] {report.posts} post(s) against {report.claims} claim(s) "
        f"({report.claims_embedded} newly embedded): {report.matched_posts} post(s) with a "
        f"match, {report.matches} match(es) waiting for review; threshold {report.threshold:.2f}",
        highlight=False,
    )
    if report.rematched:
        console.print(
            f"the fact-check base changed: posts of the last {config.claim_rematch_days} days "
            "were matched again",
            highlight=False,
        )
    if report.claims == 0:
        console.print(
            "[yellow]the fact-check base is empty:[/] import fact-checks with "
            "`ediplomacy factcheck import FILE`, then run `ediplomacy claims match` again",
            highlight=False,
        )
    ready = claim_queue.readiness(engine)
    if ready.with_vectors == 0:
        console.print(
            f"[yellow]no post has an accurate vector yet:[/] run `{EMBED_HINT}` (or "
            "`ediplomacy analyze` for every stage), then `ediplomacy claims match` again",
            highlight=False,
        )
    elif embedder.name not in ready.models:
        console.print(
            f"[yellow]the posts' accurate vectors were made by {', '.join(ready.models)}, not by "
            f"{embedder.name} (EDIPLOMACY_ACCURATE_EMBEDDER):[/] run `{EMBED_HINT}` to embed "
            "them again",
            highlight=False,
        )
    elif ready.with_vectors < ready.posts:
        console.print(
            f"{ready.posts - ready.with_vectors} of {ready.posts} posts have no accurate vector "
            f"and were not matched: run `{EMBED_HINT}` first",
            highlight=False,
        )


@claims_app.command("list")
@reports_errors
def list_command(
    status: Annotated[Status | None, typer.Option(help="Only matches in this state.")] = None,
    fact_check: Annotated[
        int | None, typer.Option("--fact-check", help="Only matches to this fact-check id.")
    ] = None,
    min_score: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Lowest probability, 0-1.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List claim matches, the most probable first."""
    engine = database()
    items, total = claim_queue.queue(
        engine,
        status=status.value if status else None,
        fact_check_id=fact_check,
        min_score=min_score,
        limit=limit,
    )
    counts = claim_queue.counts(engine, fact_check_id=fact_check)
    if as_json:
        body = {"items": [asdict(item) for item in items], "total": total, "counts": counts}
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False, default=str))
        return
    table = Table("id", "status", "prob.", "cosine", "post", "author", "text", "fact-check",
                  "verdict", "claim")  # fmt: skip
    for item in items:
        table.add_row(
            str(item.id), item.status, f"{item.score:.0%}", f"{item.similarity:.2f}",
            str(item.post_id), f"@{item.author_handle}" if item.author_handle else "",
            " ".join(item.post_text.split())[:80], str(item.fact_check_id), item.verdict,
            item.claim_text[:80],
        )  # fmt: skip
    out.print(table)
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    out.print(f"{len(items)} of {total} shown; {summary}", highlight=False)
    if not total and not any(counts.values()):
        out.print("no matches yet: run `ediplomacy claims match`", highlight=False)


@claims_app.command("review")
@reports_errors
def review_command(
    match_id: Annotated[int, typer.Argument(help="The match's id (see `ediplomacy claims list`).")],
    action: Annotated[Action, typer.Argument(help="confirm, reject, or reopen (back to pending).")],
    note: Annotated[str | None, typer.Option(help="Why, for the record.")] = None,
) -> None:
    """Confirm or reject a match, or re-open it; the decision is kept and audited."""
    match = review_match(
        database(), match_id, status=claim_queue.ACTIONS[action.value], actor=_actor(), note=note
    )
    by = f" by {match.reviewed_by}" if match.reviewed_by else ""
    out.print(
        f"match {match.id} (post {match.post_id}, fact-check {match.fact_check_id}) is "
        f"{match.status}{by}",
        highlight=False,
    )


@claims_app.command("reviews")
@reports_errors
def reviews_command(
    to: Annotated[Path, typer.Option("--out", "-o", help="The TSV file to write.")],
) -> None:
    """Export the confirmed and rejected matches as TSV: the analysts' feedback, to retrain."""
    written = export_reviews(database(), to)
    console.print(f"wrote {written} reviewed match(es) to {to}", highlight=False)


@claims_app.command("spikes")
@reports_errors
def spikes_command(
    until: Annotated[
        str | None, typer.Option(help="Check the hours up to this UTC time (default: now).")
    ] = None,
    hours: Annotated[int, typer.Option(min=1, max=24 * 366, help="How many hours back.")] = 24,
) -> None:
    """Alert when posts matching a false, misleading or mixed claim spike; send the alerts."""
    config = settings()
    engine = database(config)
    report = check_claim_spikes(engine, config, until=option_moment(until, "--until"), hours=hours)
    console.print(
        f"{report.fact_checks} fact-check(s) with matches checked over {hours} hour(s): "
        f"{len(report.new_alerts)} new alert(s)",
        highlight=False,
    )
    for alert_id in report.new_alerts:
        out.print(f"alert {alert_id}: /listen/alerts/{alert_id}", highlight=False)
    sent = deliver_due(engine, notifiers_from(config), public_url=config.public_url)
    if sent.sent or sent.failed:
        console.print(f"deliveries: {sent.sent} sent, {sent.failed} failed", highlight=False)
    for error in sent.errors:
        console.print(f"  [yellow]{error}[/]", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(
        claims_app,
        name="claims",
        help="Claim matching: match posts with the fact-check base, review, export, alert.",
    )
