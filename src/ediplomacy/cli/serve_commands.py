"""`ediplomacy serve`: run the web app with uvicorn."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

from ediplomacy.cli.context import database, reports_errors, settings
from ediplomacy.config import Settings

if TYPE_CHECKING:
    from ediplomacy.ingest.collectors.schedule import Scheduler
    from ediplomacy.listen.watch import PeriodicCheck


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


@reports_errors
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on; 0.0.0.0 for every one."),
    port: int = typer.Option(8000, help="TCP port."),
    proxy_headers: bool = typer.Option(
        False, help="Trust X-Forwarded-For/-Proto from a reverse proxy in front of the app."
    ),
) -> None:
    """Serve the web UI and the JSON API (database migrated to the latest schema first)."""
    import uvicorn

    from ediplomacy.web.app import create_app

    config = settings()
    typer.echo(f"ediplomacy on http://{host}:{port} ({config.mode} mode)", err=True)
    scheduler = _collector_scheduler(config)
    checker = _watch_checker(config)
    uvicorn.run(
        create_app(config),
        host=host,
        port=port,
        proxy_headers=proxy_headers,
        forwarded_allow_ips="*" if proxy_headers else None,
    )
    if scheduler is not None:
        scheduler.close()
    if checker is not None:
        checker.close()


def _collector_scheduler(config: Settings) -> Scheduler | None:
    """The live collectors of EDIPLOMACY_COLLECTORS_FILE, run in a background thread."""
    if config.collectors_file is None:
        return None
    from ediplomacy.ingest.collectors.schedule import Scheduler

    scheduler = Scheduler(database(config), config, config.collectors_file)
    scheduler.start()
    typer.echo(
        f"collectors: {len(scheduler.schedule)} scheduled from {config.collectors_file}", err=True
    )
    return scheduler


def _watch_checker(config: Settings) -> PeriodicCheck | None:
    """Watch rules checked every EDIPLOMACY_WATCH_INTERVAL_MINUTES in a background thread."""
    if config.watch_interval_minutes <= 0:
        return None
    from ediplomacy.listen.watch import PeriodicCheck

    engine = database(config)
    prepare: Callable[[], object] | None = None
    if config.analyze_in_serve:
        from ediplomacy.integrity.detect import run_detectors
        from ediplomacy.pipeline.runner import InProcessRunner
        from ediplomacy.pipeline.stages import build_stages

        stages = build_stages(config)
        runner = InProcessRunner(engine)

        def prepare_check() -> None:
            # New posts (live collectors, imports) are analysed, then the integrity detectors
            # (claims, spikes, narratives, coordination, bots, polarization) run, before each
            # check delivers the alerts they raised.
            runner.run(stages)
            run_detectors(engine, config, recent_days=7)  # coordination: the last week

        prepare = prepare_check

    checker = PeriodicCheck(engine, config, config.watch_interval_minutes * 60, prepare)
    checker.start()
    what = "watch rules" if prepare is None else "new posts analysed, detectors and watch rules"
    typer.echo(f"{what}: checked every {config.watch_interval_minutes} min", err=True)
    return checker
