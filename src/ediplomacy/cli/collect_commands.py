"""`ediplomacy collect SOURCE ...`: run one live collector, or the scheduled ones."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer

from ediplomacy.cli.context import console, database, exit_with, reports_errors, settings
from ediplomacy.domain.errors import ConfigurationError
from ediplomacy.domain.posts import ImportCounts
from ediplomacy.ingest.collectors import build_collector
from ediplomacy.ingest.collectors.base import CollectReport, run_collector
from ediplomacy.ingest.collectors.schedule import (
    ScheduledCollector,
    default_limits,
    load_schedule,
    run_due,
)

app = typer.Typer(
    help="Collect posts live from platform APIs (resumable; see docs/collectors.md).",
    no_args_is_help=True,
)

MaxOption = Annotated[
    int | None, typer.Option("--max", help="Stop after about this many posts (whole pages).")
]
PagesOption = Annotated[int | None, typer.Option("--pages", help="Stop after this many pages.")]
SecondsOption = Annotated[
    float | None, typer.Option("--seconds", help="Stop after this many seconds.")
]
RestartOption = Annotated[
    bool, typer.Option("--restart", help="Forget the saved cursor and start from the newest.")
]
ANALYZE_HINT = "next: `ediplomacy analyze` enriches the new posts (language, sentiment, topics)."


class CollectLines:
    """Progress as plain lines on stderr: one per page, one per wait or reject."""

    def page(self, number: int, page: ImportCounts, total: ImportCounts, note: str) -> None:
        console.print(
            f"page {number}: {page.read} posts ({page.new} new, {page.updated} updated, "
            f"{page.unchanged} unchanged, {page.rejected} set aside); total {total.read}"
            + (f"; {note}" if note else ""),
            highlight=False,
            soft_wrap=True,
        )

    def waiting(self, seconds: float, reason: str) -> None:
        console.print(f"[yellow]waiting {seconds:.0f} s:[/] {reason}", highlight=False)

    def reject(self, where: str, reason: str) -> None:
        console.print(f"[yellow]set aside[/] {where}: {reason}", highlight=False, soft_wrap=True)

    def notice(self, message: str) -> None:
        console.print(message, highlight=False, soft_wrap=True)


def summary(report: CollectReport) -> None:
    counts = report.counts
    colour = {"done": "green", "interrupted": "yellow"}.get(report.status, "red")
    console.print(
        f"[bold {colour}]collected[/] {report.label}: {report.pages} pages, {counts.read} posts, "
        f"{counts.new} new, {counts.updated} updated, {counts.unchanged} unchanged, "
        f"{counts.rejected} set aside; collection {report.collection_id}; "
        f"stopped: {report.stop_reason}",
        highlight=False,
        soft_wrap=True,
    )
    if report.rejects_path:
        console.print(f"set-aside items with where they came from: {report.rejects_path}")
    console.print("the cursor is saved: the next run continues from here. " + ANALYZE_HINT)


def _run(
    source: str,
    options: dict[str, Any],
    *,
    max_items: int | None,
    pages: int | None,
    seconds: float | None,
    restart: bool,
) -> None:
    config = settings()
    collector = build_collector(source, options, config)  # credentials checked before the DB
    limits = default_limits(source, {"max": max_items, "pages": pages, "seconds": seconds})
    engine = database(config)
    console.print(f"collecting {collector.label}", highlight=False, soft_wrap=True)
    report = run_collector(
        engine,
        collector,
        data_dir=config.data_dir,
        limits=limits,
        progress=CollectLines(),
        restart=restart,
    )
    if report.resumed and not restart:
        console.print("(continued from the saved cursor)")
    summary(report)
    if report.status == "interrupted":
        raise typer.Exit(130)


@app.command("bluesky")
@reports_errors
def bluesky(
    query: Annotated[str, typer.Option("--query", "-q", help="Search words, as on bsky.app.")],
    lang: Annotated[
        str | None, typer.Option(help="Only posts in this language (en, id...).")
    ] = None,
    max_items: MaxOption = None,
    pages: PagesOption = None,
    seconds: SecondsOption = None,
    restart: RestartOption = False,
) -> None:
    """Bluesky post search (app.bsky.feed.searchPosts), newest first."""
    options: dict[str, Any] = {"query": query, "lang": lang}
    _run("bluesky", options, max_items=max_items, pages=pages, seconds=seconds, restart=restart)


@app.command("bluesky-stream")
@reports_errors
def bluesky_stream(
    collection: Annotated[
        list[str] | None,
        typer.Option(help="Record collections to receive (default app.bsky.feed.post)."),
    ] = None,
    keyword: Annotated[
        list[str] | None, typer.Option(help="Keep only posts containing this word; repeatable.")
    ] = None,
    max_items: MaxOption = None,
    seconds: SecondsOption = None,
    restart: RestartOption = False,
) -> None:
    """Bluesky's Jetstream websocket: every new post as it is made (until Ctrl-C or --seconds)."""
    options = {"collections": collection or [], "keywords": keyword or []}
    _run(
        "bluesky-stream", options, max_items=max_items, pages=None, seconds=seconds,
        restart=restart,
    )  # fmt: skip


@app.command("mastodon")
@reports_errors
def mastodon(
    hashtag: Annotated[str | None, typer.Option(help="A hashtag, with or without #.")] = None,
    public: Annotated[bool, typer.Option("--public", help="The public timeline.")] = False,
    local: Annotated[bool, typer.Option("--local", help="Only this server's posts.")] = False,
    max_items: MaxOption = None,
    pages: PagesOption = None,
    seconds: SecondsOption = None,
    restart: RestartOption = False,
) -> None:
    """A Mastodon hashtag timeline or the public timeline of EDIPLOMACY_MASTODON_URL."""
    options: dict[str, Any] = {"hashtag": hashtag, "public": public, "local": local}
    _run("mastodon", options, max_items=max_items, pages=pages, seconds=seconds, restart=restart)


@app.command("mastodon-stream")
@reports_errors
def mastodon_stream(
    hashtag: Annotated[str | None, typer.Option(help="A hashtag, with or without #.")] = None,
    public: Annotated[
        bool, typer.Option("--public", help="The whole public timeline instead of a hashtag.")
    ] = False,
    local: Annotated[bool, typer.Option("--local", help="Only this server's posts.")] = False,
    max_items: MaxOption = None,
    seconds: SecondsOption = None,
) -> None:
    """Mastodon's streaming API: a hashtag or the public timeline (needs an access token)."""
    options: dict[str, Any] = {"hashtag": hashtag, "public": public, "local": local}
    _run(
        "mastodon-stream", options, max_items=max_items, pages=None, seconds=seconds,
        restart=False,
    )  # fmt: skip


@app.command("rss")
@reports_errors
def rss(
    urls: Annotated[list[str], typer.Argument(help="Feed addresses (RSS or Atom).")],
    seconds: SecondsOption = None,
    restart: RestartOption = False,
) -> None:
    """RSS and Atom news feeds; unchanged feeds are not downloaded again (ETag, Last-Modified)."""
    _run("rss", {"urls": urls}, max_items=None, pages=None, seconds=seconds, restart=restart)


@app.command("x")
@reports_errors
def x_search(
    query: Annotated[str, typer.Option("--query", "-q", help="An X search query.")],
    max_items: MaxOption = None,
    pages: PagesOption = None,
    seconds: SecondsOption = None,
    restart: RestartOption = False,
) -> None:
    """X API v2 recent search (the last seven days), with EDIPLOMACY_X_BEARER_TOKEN."""
    _run("x", {"query": query}, max_items=max_items, pages=pages, seconds=seconds, restart=restart)


@app.command("x-stream")
@reports_errors
def x_stream(
    rule: Annotated[
        list[str] | None, typer.Option(help="Add this rule to the stream first; repeatable.")
    ] = None,
    remove_rule: Annotated[
        list[str] | None, typer.Option(help="Delete the rule with this value; repeatable.")
    ] = None,
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help="Print the stream's rules and stop.")
    ] = False,
    max_items: MaxOption = None,
    seconds: SecondsOption = None,
) -> None:
    """X API v2 filtered stream: tweets matching the stream's rules, as they are posted."""
    if remove_rule or list_rules:
        _manage_x_rules(remove_rule or [], list_rules)
        if not rule:
            return
    options = {"rules": rule or []}
    _run("x-stream", options, max_items=max_items, pages=None, seconds=seconds, restart=False)


def _manage_x_rules(remove: list[str], show: bool) -> None:
    from ediplomacy.ingest.collectors.base import Budget, Limits, QuietProgress
    from ediplomacy.ingest.collectors.http import HttpClient
    from ediplomacy.ingest.collectors.x import XStreamRules

    config = settings()
    token = config.x_bearer_token.get_secret_value()
    http = HttpClient(Budget(Limits(max_seconds=120)), QuietProgress(), secrets=(token,))
    try:
        rules = XStreamRules(config, http)
        if remove:
            console.print(f"deleted {rules.remove(remove)} rules")
        if show:
            for found in rules.current():
                typer.echo(f"{found.get('id')}\t{found.get('value')}\t{found.get('tag') or ''}")
    finally:
        http.close()


@app.command("youtube")
@reports_errors
def youtube(
    video: Annotated[str, typer.Option(help="The video id (or its watch URL).")],
    max_items: MaxOption = None,
    pages: PagesOption = None,
    seconds: SecondsOption = None,
    restart: RestartOption = False,
) -> None:
    """Comments on a YouTube video (Data API v3 commentThreads), with EDIPLOMACY_YOUTUBE_API_KEY."""
    _run(
        "youtube", {"video": video}, max_items=max_items, pages=pages, seconds=seconds,
        restart=restart,
    )  # fmt: skip


@app.command("scheduled")
@reports_errors
def scheduled(
    once: Annotated[
        bool, typer.Option("--once", help="Run the due collectors once and stop.")
    ] = False,
    file: Annotated[
        Path | None, typer.Option(help="Schedule file (default: EDIPLOMACY_COLLECTORS_FILE).")
    ] = None,
) -> None:
    """Run the collectors of the schedule file when they are due (forever, or --once)."""
    config = settings()
    path = file or config.collectors_file
    if path is None:
        raise ConfigurationError(
            "no schedule file: set EDIPLOMACY_COLLECTORS_FILE or give --file PATH"
        )
    schedule = load_schedule(path)
    engine = database(config)

    def announce(entry: ScheduledCollector) -> CollectLines:
        console.print(f"[bold]{entry.name}[/] ({entry.source})", highlight=False)
        return CollectLines()

    while True:
        failed = 0
        for result in run_due(engine, config, schedule, progress=announce):
            if result.report is not None:
                summary(result.report)
            else:
                failed += 1
                console.print(f"[bold red]{result.name} failed:[/] {result.error}", highlight=False)
        if once:
            if failed:
                exit_with(f"{failed} scheduled collectors failed")
            return
        time.sleep(30)


@app.command("cursors")
@reports_errors
def cursors() -> None:
    """Where each collector stopped: source, key, cursor and when it was saved."""
    from ediplomacy.ingest.collectors.schedule import saved_positions

    for row in saved_positions(database()):
        when = row.updated_at.isoformat(timespec="seconds") if row.updated_at else ""
        typer.echo(f"{row.source}\t{row.key}\t{row.cursor or ''}\t{when}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="collect")
