"""`ediplomacy demo`: generate the demo scenario, import it, analyze it, and serve the app."""

from __future__ import annotations

import secrets
import shutil
import time
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from ediplomacy.cli.context import console, database, reports_errors, settings
from ediplomacy.cli.progress import ImportBar, StageBar, StepBar
from ediplomacy.config import Settings
from ediplomacy.demo.generate import generate
from ediplomacy.demo.profile import install_profile
from ediplomacy.domain.errors import NotFound
from ediplomacy.domain.people import Role
from ediplomacy.ingest.importer import Importer
from ediplomacy.integrity.detect import DetectorsReport, run_detectors
from ediplomacy.integrity.factcheck import import_files as import_fact_checks
from ediplomacy.listen.demo_rules import install_and_check
from ediplomacy.listen.emerging import discover as discover_topics
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stages import build_stages
from ediplomacy.security.accounts import add_user, get_user
from ediplomacy.store.aggregates import data_span
from ediplomacy.store.watch import floor_hour

DEMO_ACCOUNTS = (
    ("admin", Role.ADMIN),
    ("analyst", Role.ANALYST),
    ("consul", Role.CONSULAR_OFFICER),
)


def demo_passwords(config: Settings, engine_users: list[str]) -> dict[str, str]:
    """The demo accounts' passwords, made once and kept beside the demo data (mode 600)."""
    store = config.data_dir / "demo" / "accounts.txt"
    known: dict[str, str] = {}
    if store.exists():
        for line in store.read_text().splitlines():
            name, _, password = line.partition(" ")
            known[name] = password
    for name in engine_users:
        known.setdefault(name, secrets.token_urlsafe(12))
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text("".join(f"{name} {password}\n" for name, password in known.items()))
    store.chmod(0o600)
    return known


def brief(result: object) -> str:
    """The plain numbers and words of a detector's result, `name=value`, at most eight."""
    values = getattr(result, "__dict__", None) or {
        name: getattr(result, name) for name in getattr(result, "__slots__", ())
    }
    shown = [
        f"{key}={value}"
        for key, value in values.items()
        if isinstance(value, int | float | str | bool) and not key.startswith("_")
    ]
    counted = [f"{key}={len(value)}" for key, value in values.items() if isinstance(value, list)]
    return ", ".join((shown + counted)[:8])


def detector_summary(report: DetectorsReport) -> str:
    """One line per detector: what it found, or its error."""
    lines = []
    for name, result in report.results.items():
        lines.append(f"  {name:<13} {brief(result)}  ({report.seconds[name]} s)")
    for name, error in report.errors.items():
        lines.append(f"  {name:<13} [red]failed[/]: {error}")
    return "integrity detectors:\n" + "\n".join(lines)


@reports_errors
def demo(
    fresh: Annotated[bool, typer.Option(help="Start again: new scenario, empty database.")] = False,
    serve: Annotated[bool, typer.Option(help="Serve the web app when ready.")] = True,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    seed: Annotated[int, typer.Option(help="Seed of the scenario generator.")] = 20261125,
) -> None:
    """Build the demo database from the demo scenario, analyze it, and serve the app."""
    config = settings()
    scenario = config.data_dir / "demo"
    if fresh:
        shutil.rmtree(scenario, ignore_errors=True)
        if not config.database_url:
            for leftover in config.data_dir.glob("ediplomacy.db*"):
                leftover.unlink()
    started = time.perf_counter()
    console.print(f"generating the demo scenario (seed {seed}) in {scenario} ...")
    manifest = generate(scenario, seed=seed)  # same seed, same bytes: re-imports change nothing
    if manifest.profile is not None and config.listen_profile is None:
        # Before the stages run: stance, topics and geography read the scenario's own names.
        copied = install_profile(manifest.profile, config.data_dir)
        if copied is not None:
            console.print(f"listening profile of the demo copied to {copied}")
    engine = database(config)
    files = [item.path for item in manifest.files if item.format != "ground-truth"]
    with ImportBar(console) as bar:
        importer = Importer(
            engine, data_dir=config.data_dir, batch_size=config.batch_size, progress=bar
        )
        report = importer.run(files, collection="demo scenario")
    counts = report.counts
    console.print(
        f"imported: {counts.new} new, {counts.unchanged} unchanged, {counts.rejected} rejected"
    )
    with StageBar(console) as stage_bar:
        InProcessRunner(engine, progress=stage_bar).run(build_stages(config))
    if manifest.fact_checks is not None:
        facts = import_fact_checks(
            engine,
            [manifest.fact_checks],
            rejects_path=scenario / "fact_checks.rejects.jsonl",
            actor="demo",
        )
        console.print(f"fact-checks: {facts.added} added, {facts.updated} updated")
    with engine.connect() as connection:
        oldest, newest = data_span(connection)
    # The demo week lies in the past: judge its alerts at its own end, over all of it.
    until = floor_hour(newest) + timedelta(hours=1) if newest else None
    hours = int((newest - oldest).total_seconds() // 3600) + 2 if oldest and newest else 24
    with StepBar(console) as step_bar:
        detected = run_detectors(engine, config, progress=step_bar, until=until, spike_hours=hours)
    console.print(detector_summary(detected))
    topics = discover_topics(engine)
    console.print(
        f"emerging topics: {len(topics)} clusters, "
        f"{sum(1 for topic in topics if topic.emerging)} emerging"
    )
    checked = install_and_check(engine, config)
    console.print(
        f"watch rules: {len(checked.rules)} checked, {len(checked.new_alerts)} new alert(s)"
    )
    passwords = demo_passwords(config, [name for name, _ in DEMO_ACCOUNTS])
    for name, role in DEMO_ACCOUNTS:
        try:
            get_user(engine, name)
        except NotFound:
            add_user(engine, name, passwords[name], role, display_name=f"Demo {role.value}")
    console.print(f"[bold green]demo ready[/] in {time.perf_counter() - started:.0f} s")
    url = f"http://{host}:{port}"
    lines = [f"  {name:<8} {passwords[name]:<18} ({role.value})" for name, role in DEMO_ACCOUNTS]
    console.print(f"open {url} and log in as one of:\n" + "\n".join(lines), highlight=False)
    console.print(f"(passwords kept in {Path(config.data_dir) / 'demo' / 'accounts.txt'})")
    if serve:
        import uvicorn

        from ediplomacy.web.app import create_app

        uvicorn.run(create_app(config, engine), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command()(demo)
