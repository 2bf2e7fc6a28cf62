"""The loop every live collector shares: cursor in, pages fetched, posts upserted, cursor out.

A collector only knows its platform: how to ask for the next page (or read the next events of a
stream) from a saved state, and how to describe where each document came from. This module does
the rest. Each page is written in one transaction together with the cursor that follows it, so a
run killed at any moment loses nothing and the next run neither skips nor re-reads a page.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

import orjson
from sqlalchemy.engine import Engine

from ediplomacy import __version__
from ediplomacy.domain.errors import ConfigurationError, EdiplomacyError, MalformedRecord
from ediplomacy.domain.posts import Actor, ImportCounts, Parsed, Provenance
from ediplomacy.ingest.formats import get_format
from ediplomacy.ingest.urls import canonical_url
from ediplomacy.store import collections as collection_store
from ediplomacy.store import cursors as cursor_store
from ediplomacy.store.posts import prepare_rows, upsert_actors, upsert_posts
from ediplomacy.store.serialize import actor_row, post_row
from ediplomacy.store.timeutil import utcnow


class CollectorError(EdiplomacyError):
    """A collector cannot go on (refused, unreachable, quota spent); what it stored is kept."""


class MissingCredentials(ConfigurationError):
    """A collector needs a token or key that is not set; the message names the variable."""


class StopCollecting(Exception):
    """Raised inside a collector to end the run cleanly, with the reason to report."""


@dataclass(slots=True)
class Limits:
    """When a run stops on its own: after so many posts, pages or seconds (None: no limit)."""

    max_items: int | None = None
    max_pages: int | None = None
    max_seconds: float | None = None


class Budget:
    """The time a run has left, and the stop flag (Ctrl-C in a thread, server shutdown)."""

    def __init__(self, limits: Limits, stop: threading.Event | None = None) -> None:
        self.limits = limits
        self.stop = stop or threading.Event()
        self.started = time.monotonic()
        seconds = limits.max_seconds
        self.deadline = self.started + seconds if seconds is not None else None

    def remaining(self) -> float | None:
        """Seconds left, or None without a time limit."""
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def expired(self) -> bool:
        left = self.remaining()
        return self.stop.is_set() or (left is not None and left <= 0)

    def sleep(self, seconds: float) -> bool:
        """Wait, unless the run ends first; True when the whole wait was done."""
        left = self.remaining()
        if left is not None and seconds > left:
            self.stop.wait(left)
            return False
        return not self.stop.wait(max(0.0, seconds))


@dataclass(slots=True)
class Document:
    """One thing a platform returned (an API page, a stream event) and where it came from."""

    where: str  # the request URL (never with a secret in it) or stream and event number
    body: Any
    error: str | None = None  # why the body could not be read at all (not JSON, cut short)


@dataclass(slots=True)
class Page:
    """Documents to store, and the collector's state once they are stored."""

    documents: list[Document]
    state: dict[str, Any]
    note: str = ""  # for the progress line: the cursor, the time of the last event


class CollectProgress(Protocol):
    """Told what a run is doing; the CLI prints lines, the scheduler logs, tests listen."""

    def page(self, number: int, page: ImportCounts, total: ImportCounts, note: str) -> None: ...

    def waiting(self, seconds: float, reason: str) -> None: ...

    def reject(self, where: str, reason: str) -> None: ...

    def notice(self, message: str) -> None: ...


class QuietProgress:
    """Progress that remembers what it was told, for tests and the scheduler."""

    def __init__(self) -> None:
        self.waits: list[tuple[float, str]] = []
        self.rejects: list[tuple[str, str]] = []
        self.notices: list[str] = []
        self.pages = 0

    def page(self, number: int, page: ImportCounts, total: ImportCounts, note: str) -> None:
        self.pages = number

    def waiting(self, seconds: float, reason: str) -> None:
        self.waits.append((seconds, reason))

    def reject(self, where: str, reason: str) -> None:
        self.rejects.append((where, reason))

    def notice(self, message: str) -> None:
        self.notices.append(message)


@dataclass(slots=True)
class RunContext:
    """What a collector gets for one run: its time budget, progress and an HTTP client."""

    budget: Budget
    progress: CollectProgress
    http: Any  # collectors.http.HttpClient; Any keeps this module free of httpx


class Collector(Protocol):
    """One platform query: produces pages from a saved state until it has no more."""

    source: str  # the cursor table's source: bluesky, bluesky-stream, mastodon, rss, x, ...
    key: str  # what is collected: the query, hashtag, feed URL, video id
    fmt: str  # the ingest format that parses its documents
    label: str  # for people: "Bluesky search 'indonesia'"
    secrets: tuple[str, ...]  # values that must never appear in a message

    def pages(self, state: dict[str, Any], run: RunContext) -> Generator[Page, None, None]: ...


@dataclass(slots=True)
class CollectReport:
    collection_id: int
    label: str
    counts: ImportCounts = field(default_factory=ImportCounts)
    pages: int = 0
    status: str = "done"  # done | interrupted | failed
    stop_reason: str = "no more results"
    rejects_path: str | None = None
    resumed: bool = False  # a saved cursor was found and the run continued from it


def _jsonable(value: Any) -> Any:
    """What orjson cannot write itself: bytes (a feed as fetched) as text, the rest as str()."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


class _Rejects:
    """The collection's rejects file: one JSON line per document or item set aside."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._handle: IO[bytes] | None = None

    def write(self, where: str, reason: str, payload: Any) -> None:
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("ab")
        entry = {"where": where, "reason": reason, "payload": payload}
        self._handle.write(orjson.dumps(entry, default=_jsonable) + b"\n")
        self._handle.flush()
        self.count += 1

    def sync(self) -> None:
        """Make the lines written so far durable (before the page's transaction commits)."""
        if self._handle is not None:
            self._handle.flush()
            os.fsync(self._handle.fileno())

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def trim_rejects(path: Path, keep: int) -> None:
    """Keep the first `keep` lines of a rejects file: those of pages whose transaction committed.

    A page's rejects are written (and synced) before its transaction, so none is ever lost; when
    the transaction does not commit (a crash, kill -9, a database error) the page is fetched again
    by the next run, and the lines it left are dropped here so no reject is kept twice.
    """
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return
    end = 0
    for _ in range(keep):
        found = content.find(b"\n", end)
        if found < 0:
            return  # fewer complete lines than committed: nothing to drop
        end = found + 1
    if end == len(content):
        return
    if end == 0:
        path.unlink()
        return
    with path.open("r+b") as handle:
        handle.truncate(end)


def run_collector(
    engine: Engine,
    collector: Collector,
    *,
    data_dir: Path,
    limits: Limits | None = None,
    progress: CollectProgress | None = None,
    stop: threading.Event | None = None,
    restart: bool = False,
) -> CollectReport:
    """Run one collector until it ends or a limit is reached; cursor saved after every page."""
    from ediplomacy.ingest.collectors.http import HttpClient  # httpx only once a run starts

    limits = limits or Limits()
    progress = progress or QuietProgress()
    budget = Budget(limits, stop)
    source = f"{collector.source} {collector.key}"[:2000]
    now = utcnow()
    with engine.begin() as conn:
        if restart:
            cursor_store.delete_cursor(conn, collector.source, collector.key)
        saved = cursor_store.load_cursor(conn, collector.source, collector.key)
        for killed, committed in collection_store.running_collections(conn, source):
            trim_rejects(data_dir / "rejects" / f"collection-{killed}.jsonl", committed)
        collection_store.mark_interrupted(conn, source, now)
        collection_id = collection_store.start_collection(
            conn,
            name=collector.label[:200],
            kind="collector",
            source=source,
            fmt=collector.fmt,
            tool_version=__version__,
            now=now,
        )
    state = dict(saved.state) if saved is not None else {}
    report = CollectReport(collection_id, collector.label, resumed=bool(state))
    rejects = _Rejects(data_dir / "rejects" / f"collection-{collection_id}.jsonl")
    http = HttpClient(budget, progress, secrets=collector.secrets)
    writer = _PageWriter(engine, collector, report, rejects, progress)
    pages = collector.pages(state, RunContext(budget, progress, http))
    error: str | None = None
    try:
        for page in pages:
            writer.write(page)
            reason = _limit_reached(limits, budget, report)
            if reason:
                report.stop_reason = reason
                break
    except StopCollecting as stopped:
        report.stop_reason = str(stopped)
    except KeyboardInterrupt:
        report.status, report.stop_reason = "interrupted", "interrupted (Ctrl-C)"
    except BaseException as failure:
        report.status, error = "failed", redact(f"{failure}", collector.secrets)
        raise
    finally:
        pages.close()
        http.close()
        rejects.close()
        trim_rejects(rejects.path, report.counts.rejected)  # a page that was not committed
        report.rejects_path = str(rejects.path) if report.counts.rejected else None
        with engine.begin() as conn:
            collection_store.finish_collection(
                conn,
                collection_id,
                report.counts,
                status=report.status,
                now=utcnow(),
                rejects_path=report.rejects_path,
                error=error,
            )
    return report


def _limit_reached(limits: Limits, budget: Budget, report: CollectReport) -> str:
    if limits.max_items is not None and report.counts.read >= limits.max_items:
        return f"reached the limit of {limits.max_items} posts"
    if limits.max_pages is not None and report.pages >= limits.max_pages:
        return f"reached the limit of {limits.max_pages} pages"
    if budget.stop.is_set():
        return "stopped"
    if budget.expired():
        return "reached the time limit"
    return ""


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """The text with every (non-empty) secret in it replaced by ***."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


COUNT_NAMES = ("read", "new", "updated", "unchanged", "rejected", "actors_new")


class _PageWriter:
    """Parses a page's documents with the ingest format and writes them with the cursor."""

    def __init__(
        self,
        engine: Engine,
        collector: Collector,
        report: CollectReport,
        rejects: _Rejects,
        progress: CollectProgress,
    ) -> None:
        self.engine = engine
        self.collector = collector
        self.parser = get_format(collector.fmt)
        self.report = report
        self.rejects = rejects
        self.progress = progress

    def _set_aside(self, where: str, reason: str, payload: Any, counts: ImportCounts) -> None:
        counts.rejected += 1
        self.rejects.write(where, reason, payload)
        self.progress.reject(where, reason)

    def _parse(self, page: Page, counts: ImportCounts) -> list[tuple[str, Parsed]]:
        parsed: list[tuple[str, Parsed]] = []
        for document in page.documents:
            if document.error is not None:
                self._set_aside(document.where, document.error, document.body, counts)
                continue
            try:
                result = self.parser.parse(document.body)
            except MalformedRecord as bad:
                self._set_aside(document.where, str(bad), document.body, counts)
                continue
            except Exception as surprise:  # a shape no parser rule foresaw: set aside, go on
                reason = f"could not be normalized ({type(surprise).__name__}: {surprise})"
                self._set_aside(document.where, reason, document.body, counts)
                continue
            for part in result.rejected:
                self._set_aside(document.where, part.reason, part.payload, counts)
            parsed.append((document.where, result))
        return parsed

    def write(self, page: Page) -> None:
        counts = ImportCounts()
        parsed = self._parse(page, counts)
        now = utcnow()
        post_rows: list[dict[str, Any]] = []
        actors: list[Actor] = []
        for where, result in parsed:
            provenance = Provenance(self.report.collection_id, where, now, __version__)
            known = {(actor.platform, actor.external_id) for actor in result.actors}
            for post in result.posts:
                post_rows.append(post_row(post, provenance, canonical_url, now))
                author = post.author_external_id
                if author is not None and (post.platform, author) not in known:
                    known.add((post.platform, author))  # known only by id: still an actor row
                    actors.append(Actor(post.platform, author, handle=post.author_handle))
            actors.extend(result.actors)
        counts.read = len(post_rows)
        prepared = prepare_rows(
            self.engine.dialect.name, post_rows, [actor_row(actor, now) for actor in actors]
        )
        total = self.report.counts
        after = ImportCounts()
        cursor = page.state.get("cursor")
        if counts.rejected:
            self.rejects.sync()
        with self.engine.begin() as conn:
            if prepared.posts or prepared.actors:
                actor_counts = upsert_actors(conn, prepared.actors)
                post_counts = upsert_posts(conn, prepared.posts)
                counts.new, counts.updated = post_counts.new, post_counts.updated
                counts.unchanged = post_counts.unchanged + prepared.repeats
                counts.actors_new = actor_counts.new
            cursor_store.save_cursor(
                conn,
                self.collector.source,
                self.collector.key,
                state=page.state,
                cursor=None if cursor is None else str(cursor),
                collection_id=self.report.collection_id,
                now=now,
            )
            for name in COUNT_NAMES:
                setattr(after, name, getattr(total, name) + getattr(counts, name))
            collection_store.record_progress(conn, self.report.collection_id, after)
        for name in COUNT_NAMES:  # only once committed: the rejects file is trimmed to these
            setattr(total, name, getattr(after, name))
        self.report.pages += 1
        self.progress.page(self.report.pages, counts, total, page.note)
