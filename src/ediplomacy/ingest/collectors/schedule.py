"""The collection schedule: a TOML file of collectors, each run again after its interval.

    [[collector]]
    name = "bluesky-indonesia"      # optional; the cursor and last run are kept under it
    source = "bluesky"
    query = "indonesia"
    every = "15m"                   # s, m, h or d
    max = 500                       # optional limits: max (posts), pages, seconds

`ediplomacy collect scheduled --once` runs every collector that is due; `ediplomacy serve` runs a
`Scheduler` thread when EDIPLOMACY_COLLECTORS_FILE is set.
"""

from __future__ import annotations

import logging
import re
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.errors import ConfigurationError, EdiplomacyError
from ediplomacy.ingest.collectors import (
    LIMIT_OPTIONS,
    OPTIONS,
    SOURCES,
    build_collector,
    unknown_options,
)
from ediplomacy.ingest.collectors.base import (
    CollectProgress,
    CollectReport,
    Limits,
    QuietProgress,
    run_collector,
)
from ediplomacy.store import cursors as cursor_store
from ediplomacy.store.timeutil import utcnow

log = logging.getLogger("ediplomacy.collectors")
SCHEDULE_SOURCE = "schedule"  # the cursor table rows that hold each entry's last run
STREAMS = ("bluesky-stream", "mastodon-stream", "x-stream")
DEFAULT_MAX_ITEMS = 1000  # a search or timeline run stops after this many posts unless told
_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(slots=True)
class ScheduledCollector:
    name: str
    source: str
    options: dict[str, Any]
    limits: Limits
    every_s: float


@dataclass(slots=True)
class ScheduledRun:
    name: str
    report: CollectReport | None = None
    error: str | None = None


@dataclass(slots=True)
class _Entry:
    table: dict[str, Any]
    where: str
    values: dict[str, Any] = field(default_factory=dict)


def default_limits(source: str, options: dict[str, Any]) -> Limits:
    """Limits from the max, pages and seconds options; searches stop at 1000 posts by default."""
    limits = Limits(
        max_items=options.get("max"),
        max_pages=options.get("pages"),
        max_seconds=options.get("seconds"),
    )
    if limits.max_items is None and source not in STREAMS and source != "rss":
        limits.max_items = DEFAULT_MAX_ITEMS
    return limits


def parse_every(value: object, where: str) -> float:
    match = _EVERY.match(value) if isinstance(value, str) else None
    if match is None:
        raise ConfigurationError(f'{where}: every = {value!r}; write it like "15m", "1h", "30s"')
    seconds = float(match.group(1)) * _UNIT_S[match.group(2)]
    if seconds <= 0:
        raise ConfigurationError(f"{where}: every must be more than zero")
    return seconds


def load_schedule(path: Path) -> list[ScheduledCollector]:
    """The collectors of a schedule file; ConfigurationError naming the file and entry."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigurationError(f"{path}: no such file (EDIPLOMACY_COLLECTORS_FILE)") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{path}: not valid TOML ({exc})") from None
    entries = document.get("collector")
    if not isinstance(entries, list) or not entries:
        raise ConfigurationError(f"{path}: no [[collector]] entries")
    schedule: list[ScheduledCollector] = []
    names: set[str] = set()
    for number, table in enumerate(entries, start=1):
        where = f"{path}, collector {number}"
        if not isinstance(table, dict):
            raise ConfigurationError(f"{where}: not a table")
        source = table.get("source")
        if source not in OPTIONS:
            raise ConfigurationError(
                f"{where}: source = {source!r}; use one of: {', '.join(SOURCES)}"
            )
        options = {k: v for k, v in table.items() if k not in ("name", "source", "every")}
        problem = unknown_options(source, options)
        if problem:
            raise ConfigurationError(f"{where}: {problem}")
        for limit in LIMIT_OPTIONS:
            if limit in options and (
                not isinstance(options[limit], int | float) or options[limit] <= 0
            ):
                raise ConfigurationError(f"{where}: {limit} must be a positive number")
        if source in STREAMS and "seconds" not in options:
            raise ConfigurationError(
                f"{where}: a stream needs seconds = N (how long each run listens)"
            )
        name = str(table.get("name") or f"{source}-{number}")
        if name in names:
            raise ConfigurationError(f"{where}: the name {name!r} is used twice")
        names.add(name)
        schedule.append(
            ScheduledCollector(
                name=name,
                source=source,
                options={k: v for k, v in options.items() if k not in LIMIT_OPTIONS},
                limits=default_limits(source, options),
                every_s=parse_every(table.get("every"), where),
            )
        )
    return schedule


def last_runs(engine: Engine) -> dict[str, datetime]:
    with engine.connect() as conn:
        saved = cursor_store.list_cursors(conn)
    return {
        row.key: row.updated_at for row in saved if row.source == SCHEDULE_SOURCE and row.updated_at
    }


def due(
    engine: Engine, schedule: list[ScheduledCollector], now: datetime
) -> list[ScheduledCollector]:
    """The entries whose interval has passed since their last run (or that never ran)."""
    runs = last_runs(engine)
    return [
        entry
        for entry in schedule
        if entry.name not in runs or now - runs[entry.name] >= timedelta(seconds=entry.every_s)
    ]


def run_due(
    engine: Engine,
    settings: Settings,
    schedule: list[ScheduledCollector],
    *,
    progress: Callable[[ScheduledCollector], CollectProgress] | None = None,
    stop: threading.Event | None = None,
) -> list[ScheduledRun]:
    """Run every due entry once, one after the other; a failing entry does not stop the rest."""
    results: list[ScheduledRun] = []
    for entry in due(engine, schedule, utcnow()):
        if stop is not None and stop.is_set():
            break
        result = ScheduledRun(entry.name)
        try:
            collector = build_collector(entry.source, entry.options, settings)
            result.report = run_collector(
                engine,
                collector,
                data_dir=settings.data_dir,
                limits=entry.limits,
                progress=progress(entry) if progress else QuietProgress(),
                stop=stop,
            )
        except EdiplomacyError as error:
            result.error = str(error)
        except Exception as error:
            result.error = f"{type(error).__name__}: {error}"
        with engine.begin() as conn:
            cursor_store.save_cursor(
                conn,
                SCHEDULE_SOURCE,
                entry.name,
                cursor=None,
                now=utcnow(),
                state={
                    "error": result.error,
                    "stop_reason": result.report.stop_reason if result.report else None,
                },
                collection_id=result.report.collection_id if result.report else None,
            )
        results.append(result)
    return results


class Scheduler:
    """A background thread for `ediplomacy serve`: checks the schedule every `tick_s` seconds."""

    def __init__(self, engine: Engine, settings: Settings, path: Path, tick_s: float = 30.0):
        self.engine = engine
        self.settings = settings
        self.schedule = load_schedule(path)  # a broken file is refused before the server starts
        self.tick_s = tick_s
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="ediplomacy-collectors", daemon=True)

    def start(self) -> None:
        log.info("collector schedule: %d collectors", len(self.schedule))
        self.thread.start()

    def close(self, timeout: float = 10.0) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join(timeout)

    def _loop(self) -> None:
        while not self.stop.is_set():
            try:
                for result in run_due(self.engine, self.settings, self.schedule, stop=self.stop):
                    if result.error:
                        log.warning("collector %s failed: %s", result.name, result.error)
                    elif result.report is not None:
                        counts = result.report.counts
                        log.info(
                            "collector %s: %d posts, %d new (%s)",
                            result.name,
                            counts.read,
                            counts.new,
                            result.report.stop_reason,
                        )
            except Exception:
                log.exception("collector schedule round failed")
            self.stop.wait(self.tick_s)


def saved_positions(engine: Engine) -> list[cursor_store.SavedCursor]:
    """Every collector's saved cursor and every schedule entry's last run."""
    with engine.connect() as conn:
        return cursor_store.list_cursors(conn)
