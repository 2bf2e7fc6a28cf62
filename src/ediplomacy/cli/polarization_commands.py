"""`ediplomacy polarization`: communities, modularity, E-I index and the ministry's reach."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ediplomacy.cli.context import console, database, option_moment, reports_errors, settings
from ediplomacy.cli.progress import StepBar
from ediplomacy.domain.posts import PLATFORMS
from ediplomacy.integrity import polarization
from ediplomacy.integrity.network_view import write_graphml
from ediplomacy.integrity.polarization import PolarizationReport
from ediplomacy.integrity.polarization_snapshots import PolarizationRun, compute_polarization
from ediplomacy.store.aggregates import Bucket

out = Console(soft_wrap=True)


def _number(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _print_report(report: PolarizationReport, platform: str | None) -> None:
    span = " → ".join(
        moment.strftime("%Y-%m-%d %H:%M") if moment else "…"
        for moment in (report.since or report.first_at, report.until or report.last_at)
    )
    scope = f"narrative {report.narrative_id}" if report.narrative_id else "all posts"
    out.print(
        f"[bold]Polarization[/] {span} · {scope} · {', '.join(report.kinds)} · "
        f"{platform or 'all platforms'}",
        highlight=False,
    )
    kinds = ", ".join(f"{kind} {count:,}" for kind, count in sorted(report.by_kind.items()))
    out.print(
        f"accounts {report.accounts:,} · ties {report.ties:,} · interactions "
        f"{report.interactions:,}" + (f" ({kinds})" if kinds else ""),
        highlight=False,
    )
    if not report.ties:
        out.print("No interactions in this window: nothing to measure.", highlight=False)
        return
    out.print(
        f"modularity {_number(report.modularity)} (platforms apart; whole graph "
        f"{_number(report.modularity_whole)}) · E-I index {_number(report.ei_index)} (ties), "
        f"{_number(report.ei_index_weighted)} (interactions)",
        highlight=False,
    )
    if len(report.platform_modularity) > 1:
        per = ", ".join(f"{p} {_number(q)}" for p, q in sorted(report.platform_modularity.items()))
        out.print(f"modularity per platform: {per}", highlight=False)
    table = Table(
        title=f"{report.community_count} communities (largest {len(report.communities)} shown)",
        title_justify="left",
    )
    for name, justify in (("#", "right"), ("platform", "left"), ("accounts", "right"),
                          ("E-I", "right"), ("outside", "right"),
                          ("label", "left")):  # fmt: skip
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for community in report.communities:
        table.add_row(
            str(community.id),
            community.platform,
            f"{community.size:,}",
            _number(community.ei_index, 2),
            _percent(community.outside_share),
            community.label + (" [bold](official)[/]" if community.officials else ""),
        )
    out.print(table)
    reach = report.reach
    if not reach.named:
        out.print(
            "The ministry's reach: no official accounts named; add them to the listening "
            "profile ([officials] accounts, docs/listen.md) or pass --official HANDLE.",
            highlight=False,
        )
        return
    out.print(
        f"[bold]The ministry's reach[/]: {reach.found} official accounts in the network "
        f"({reach.named} named); {_percent(reach.share)} of the {reach.received:,} interactions "
        f"with their posts came from outside their community "
        f"({_percent(reach.beyond_official_share)} from communities with no official account)",
        highlight=False,
    )
    accounts = Table(show_header=True)
    for name, justify in (("account", "left"), ("platform", "left"), ("community", "right"),
                          ("received", "right"), ("from outside", "right")):  # fmt: skip
        accounts.add_column(name, justify=justify)  # type: ignore[arg-type]
    for item in reach.accounts:
        accounts.add_row(
            item.handle,
            item.platform,
            str(item.community),
            f"{item.received:,}",
            _percent(item.share),
        )
    if reach.accounts:
        out.print(accounts)


def _run_summary(run: PolarizationRun) -> dict[str, object]:
    return {
        "bucket": run.bucket.value,
        "windows": run.windows,
        "narrative_snapshots": run.narrative_snapshots,
        "since": run.since.isoformat() if run.since else None,
        "until": run.until.isoformat() if run.until else None,
        "seconds": round(run.seconds, 3),
    }


@reports_errors
def polarization_command(
    since: Annotated[
        str | None, typer.Option(help="From this time, YYYY-MM-DD[THH:MM] (default: the start).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Before this time, excluded (default: the newest post).")
    ] = None,
    narrative: Annotated[
        int | None, typer.Option(help="Only the interactions with one narrative's posts (its id).")
    ] = None,
    platform: Annotated[
        str | None, typer.Option(help="Only one platform's accounts (x, bluesky, mastodon, ...).")
    ] = None,
    interactions: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated: repost, reply, quote, mention (default: "
            "EDIPLOMACY_POLARIZATION_INTERACTIONS)."
        ),
    ] = None,
    official: Annotated[
        list[str] | None,
        typer.Option(
            "--official",
            help="An official account besides the listening profile's: handle or "
            "platform:handle (repeatable).",
        ),
    ] = None,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Write the whole network as GraphML (Gephi, igraph, ...)."),
    ] = None,
    snapshots: Annotated[
        bool,
        typer.Option(
            help="Also store the figures per time window for the charts over time "
            "(all platforms, the configured interactions)."
        ),
    ] = True,
    bucket: Annotated[
        Bucket, typer.Option(help="Length of a snapshot's window.", case_sensitive=False)
    ] = Bucket.DAY,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Communities of the repost/reply network, modularity, E-I index, the ministry's reach."""
    config = settings()
    engine = database(config)
    start, end = option_moment(since, "--since"), option_moment(until, "--until")
    if platform is not None and platform not in PLATFORMS:
        raise polarization.PolarizationError(
            f"--platform {platform!r}: choose one of {', '.join(PLATFORMS)}"
        )
    kinds = [k.strip() for k in interactions.split(",") if k.strip()] if interactions else None
    if narrative is not None:
        polarization.require_narrative(engine, narrative)
    analysis = polarization.analyze(
        engine,
        config,
        since=start,
        until=end,
        narrative_id=narrative,
        platform=platform,
        kinds=kinds,
        officials=official or (),
    )
    if out_file is not None:
        write_graphml(analysis, out_file)
    run = None
    if snapshots:
        with StepBar(console) as bar:
            run = compute_polarization(
                engine,
                config,
                since=start,
                until=end,
                bucket=bucket,
                progress=lambda done, total: bar(f"{bucket.value} windows", done, total),
            )
    if as_json:
        body: dict[str, object] = {"report": analysis.report.figures()}
        if run is not None:
            body["snapshots"] = _run_summary(run)
        typer.echo(json.dumps(body, ensure_ascii=False, indent=1))
    else:
        _print_report(analysis.report, platform)
        if run is not None:
            out.print(
                f"snapshots: {run.windows} {bucket.value} windows stored "
                f"({run.narrative_snapshots} narrative snapshots) in {run.seconds:.1f} s",
                highlight=False,
            )
    if out_file is not None:
        report = analysis.report
        console.print(
            f"wrote {out_file} ({report.accounts:,} accounts, {report.ties:,} ties)",
            highlight=False,
        )


def register(root: typer.Typer) -> None:
    root.command("polarization")(polarization_command)
