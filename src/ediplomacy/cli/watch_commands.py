"""`ediplomacy watch` (rules and checks) and `ediplomacy alerts` (list, acknowledge)."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ediplomacy.cli.context import (
    console,
    database,
    option_moment,
    reports_errors,
    settings,
)
from ediplomacy.listen import watch
from ediplomacy.listen.alerts import RuleCheck

watch_app = typer.Typer(no_args_is_help=True)
alerts_app = typer.Typer(no_args_is_help=True)
out = Console()


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@watch_app.command("add")
@reports_errors
def add(
    name: Annotated[str, typer.Argument(help="A short name, unique.")],
    query: Annotated[str, typer.Argument(help="The query, e.g. 'Qadira OR \"Sagara Jaya\"'.")],
    webhook: Annotated[
        list[str] | None, typer.Option("--webhook", help="POST alerts to this URL (repeatable).")
    ] = None,
    email: Annotated[
        list[str] | None,
        typer.Option("--email", help="E-mail alerts to this address (repeatable)."),
    ] = None,
    min_posts: Annotated[
        int | None, typer.Option(help="Fewest posts in an hour to alert (default 10).")
    ] = None,
    min_ratio: Annotated[
        float | None, typer.Option(help="How many times the usual volume (default 3).")
    ] = None,
) -> None:
    """Save a watch rule; its alerts go to its own targets and the global ones."""
    burst: dict[str, int | float] = {}
    if min_posts is not None:
        burst["min_posts"] = min_posts
    if min_ratio is not None:
        burst["min_ratio"] = min_ratio
    engine = database()
    rule = watch.add_rule(
        engine, name, query, webhooks=webhook or [], emails=email or [], settings=burst,
        actor=_actor(),
    )  # fmt: skip
    found = watch.preview(engine, rule.query)
    out.print(f"added rule {rule.name!r}: {found.canonical}")
    out.print(f"{found.matches} matching posts in the newest {found.days} days of data")


@watch_app.command("list")
@reports_errors
def list_rules() -> None:
    """List the rules, whether they are on, and how far they were checked."""
    table = Table("name", "query", "on", "targets", "checked until (UTC)")
    for rule in watch.list_rules(database()):
        targets = len(rule.notify.get("webhooks", [])) + len(rule.notify.get("emails", []))
        until = f"{rule.checked_until:%Y-%m-%d %H:%M}" if rule.checked_until else "never"
        table.add_row(rule.name, rule.query, "yes" if rule.enabled else "no", str(targets), until)
    out.print(table)


@watch_app.command("remove")
@reports_errors
def remove(name: Annotated[str, typer.Argument(help="The rule's name.")]) -> None:
    """Delete a rule and its alerts."""
    rule = watch.remove_rule(database(), name=name, actor=_actor())
    out.print(f"removed rule {rule.name!r}")


@watch_app.command("enable")
@reports_errors
def enable(name: Annotated[str, typer.Argument(help="The rule's name.")]) -> None:
    """Switch a rule on again."""
    engine = database()
    watch.set_enabled(engine, watch.get_rule(engine, name=name).id, True, actor=_actor())
    out.print(f"rule {name!r} is on")


@watch_app.command("disable")
@reports_errors
def disable(name: Annotated[str, typer.Argument(help="The rule's name.")]) -> None:
    """Switch a rule off (it keeps its alerts)."""
    engine = database()
    watch.set_enabled(engine, watch.get_rule(engine, name=name).id, False, actor=_actor())
    out.print(f"rule {name!r} is off")


def print_checks(reports: list[RuleCheck]) -> None:
    for report in reports:
        if report.error:
            console.print(f"[bold red]{report.rule}:[/] {report.error}", highlight=False)
            continue
        grown = f", {len(report.grown_alerts)} grown" if report.grown_alerts else ""
        console.print(
            f"{report.rule}: {report.hours} hours checked, {len(report.new_alerts)} new "
            f"alert(s){grown}",
            highlight=False,
        )


@watch_app.command("check")
@reports_errors
def check(
    until: Annotated[
        str | None, typer.Option(help="Check whole hours up to this UTC time (default: now).")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Look again from this time (e.g. after a late import).")
    ] = None,
) -> None:
    """Run burst detection for every enabled rule, then send the alerts that are due."""
    config = settings()
    summary = watch.check(
        database(config),
        config,
        until=option_moment(until, "--until"),
        since=option_moment(since, "--since"),
    )
    print_checks(summary.rules)
    sent = summary.deliveries
    console.print(f"deliveries: {sent.sent} sent, {sent.failed} failed", highlight=False)
    for error in sent.errors:
        console.print(f"  [yellow]{error}[/]", highlight=False)
    if any(report.error for report in summary.rules):
        raise typer.Exit(1)


@alerts_app.command("list")
@reports_errors
def list_alerts(
    open_only: Annotated[
        bool, typer.Option("--open", help="Only alerts not acknowledged.")
    ] = False,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
) -> None:
    """List alerts, the latest burst first."""
    items, total = watch.list_alerts(
        database(), status="open" if open_only else None, limit=max(1, limit)
    )
    table = Table("id", "rule", "kind", "window (UTC)", "posts", "usual", "ratio", "status")
    for alert in items:
        window = f"{alert.window_start:%Y-%m-%d %H:%M}-{alert.window_end:%H:%M}"
        ratio = alert.details.get("ratio")
        table.add_row(str(alert.id), alert.rule_name or "?", alert.kind, window,
                      f"{alert.observed:g}", f"{alert.expected:.1f}", f"{ratio}x" if ratio else "",
                      alert.status)  # fmt: skip
    out.print(table)
    out.print(f"{len(items)} of {total} alert(s)")


@alerts_app.command("ack")
@reports_errors
def acknowledge(alert_id: Annotated[int, typer.Argument(help="The alert's id.")]) -> None:
    """Mark an alert as handled."""
    alert = watch.acknowledge(database(), alert_id, actor=_actor())
    out.print(f"alert {alert.id} acknowledged by {alert.acknowledged_by}")


def register(app: typer.Typer) -> None:
    app.add_typer(watch_app, name="watch", help="Watch rules: saved queries that raise alerts.")
    app.add_typer(alerts_app, name="alerts", help="Alerts raised by the watch rules.")
