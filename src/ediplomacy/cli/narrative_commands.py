"""`ediplomacy narratives`: build, list and show narratives; prepare a counter-narrative draft."""

from __future__ import annotations

import getpass
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

from ediplomacy.cli.context import console, database, option_moment, reports_errors, settings
from ediplomacy.cli.progress import StepBar
from ediplomacy.integrity import narratives, responses

narratives_app = typer.Typer(no_args_is_help=True)
out = Console(soft_wrap=True)
JSON_HELP = "Print JSON instead of a table."


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _json(value: Any) -> None:
    out.print_json(orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode(), sort_keys=False)


@narratives_app.command("build")
@reports_errors
def build_command(
    since: Annotated[
        str | None,
        typer.Option(help="Scan posts from this time (YYYY-MM-DD[THH:MM]); default: 30 days."),
    ] = None,
    until: Annotated[str | None, typer.Option(help="Scan posts before this time.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Group matched and claim-like posts into narratives; raise growth alerts. Safe to re-run."""
    config = settings()
    with StepBar(console) as bar:
        summary = narratives.build_narratives(
            database(config),
            config,
            since=option_moment(since, "--since"),
            until=option_moment(until, "--until"),
            progress=bar,
        )
    if as_json:
        _json(summary.as_dict())
        return
    console.print(
        f"[bold green]narratives[/] {summary.narratives} in all ({summary.space or 'no'} vectors): "
        f"{len(summary.created)} new from fact-checks, {len(summary.discovered)} new from copied "
        f"messages, {len(summary.linked)} linked to a fact-check; posts added: "
        f"{summary.matched_added} matched ({summary.matched_countering} matched posts that "
        f"question or refute left out), {summary.near_added} close, "
        f"{summary.reposts_added} reposts; {summary.removed} removed (rejected matches); "
        f"{len(summary.alerts)} growth alert(s); {summary.seconds:.1f} s",
        highlight=False,
    )


@narratives_app.command("list")
@reports_errors
def list_command(
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """List narratives, the most recently active first."""
    items, total = narratives.listing(database(), limit=limit)
    if as_json:
        _json({"items": [item.as_dict() for item in items], "total": total})
        return
    table = Table("id", "label", "verdict", "posts", "accounts", "languages", "growth", "last seen")
    for item in items:
        languages = ", ".join(f"{code} {n}" for code, n in list(item.languages.items())[:4])
        growth = f"x{item.growth['ratio']:g}" if item.growth else ""
        last = item.last_seen.strftime("%Y-%m-%d %H:%M") if item.last_seen else ""
        kind = item.verdict or item.origin
        table.add_row(str(item.id), item.label[:80], kind, str(item.post_count),
                      str(item.accounts), languages, growth, last)  # fmt: skip
    out.print(table)
    out.print(f"{len(items)} of {total} shown", highlight=False)


@narratives_app.command("show")
@reports_errors
def show_command(
    narrative_id: Annotated[int, typer.Argument(help="The narrative's id (see `list`).")],
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """One narrative: figures, fact-check, variants and the accounts that spread it."""
    view = narratives.get(database(), narrative_id)
    data = view.as_dict()
    if as_json:
        _json(data)
        return
    out.print(f"[bold]#{view.item.id}[/] {view.item.label}", highlight=False)
    out.print(
        f"{view.item.post_count} posts by {view.item.accounts} accounts, "
        f"{data['first_seen']} .. {data['last_seen']}; languages {view.item.languages}; "
        f"platforms {view.item.platforms}; countries {view.countries}",
        highlight=False,
    )
    if view.fact_check:
        out.print(f"fact-check #{view.fact_check.id} ({view.fact_check.verdict}): "
                  f"{view.fact_check.claim_text}", highlight=False)  # fmt: skip
    variants = Table("variant", "language", "posts", "accounts", "representative text")
    for variant in view.variants:
        variants.add_row(str(variant["id"]), variant["language"], str(variant["count"]),
                         str(variant["accounts"]), variant["text"][:120])  # fmt: skip
    out.print(variants)
    accounts = Table("account", "platform", "posts", "engagement")
    for account in view.accounts:
        accounts.add_row(f"@{account['handle']}", account["platform"], str(account["posts"]),
                         str(account["engagement"]))  # fmt: skip
    out.print(accounts)


@narratives_app.command("respond")
@reports_errors
def respond_command(
    narrative_id: Annotated[int, typer.Argument(help="The narrative's id (see `list`).")],
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Prepare a response: a counter-narrative draft in the narrative's main languages."""
    draft = responses.prepare_response(database(), narrative_id, actor=_actor())
    if as_json:
        _json({"id": draft.id, "title": draft.title, "texts": draft.texts,
               "sources": draft.sources})  # fmt: skip
        return
    out.print(f"[bold green]draft {draft.id}[/] {draft.title}", highlight=False)
    for language, body in draft.texts.items():
        out.rule(language)
        out.print(body, highlight=False, markup=False)
    out.print(f"edit it at /verify/drafts/{draft.id}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(
        narratives_app,
        name="narratives",
        help="Narratives: build, list, show; prepare a counter-narrative draft.",
    )
