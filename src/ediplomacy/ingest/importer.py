"""Import files into the store: stream records, normalize, upsert in batches, set bad ones aside.

Each batch is written in its own transaction and every write is an idempotent upsert, so a
killed import loses at most the batch in flight, and running the same command again stores
what is missing without duplicating anything.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.engine import Engine

from ediplomacy import __version__
from ediplomacy.domain.errors import MalformedRecord, UnreadableInput
from ediplomacy.domain.posts import Actor, ImportCounts, Parsed, Post, Provenance
from ediplomacy.ingest.formats import get_format
from ediplomacy.ingest.reader import detect_format, iter_records
from ediplomacy.ingest.rejects import RejectsFile
from ediplomacy.ingest.urls import canonical_url
from ediplomacy.store import collections as collection_store
from ediplomacy.store.posts import upsert_actors, upsert_posts
from ediplomacy.store.serialize import actor_row, post_row
from ediplomacy.store.timeutil import utcnow


class ImportProgress(Protocol):
    """Told what an import is doing, to draw a progress bar; the CLI gives one, tests none."""

    def start_file(self, path: str, fmt: str, total_bytes: int) -> None: ...

    def advance(self, bytes_read: int, counts: ImportCounts) -> None: ...

    def reject(self, where: str, reason: str) -> None: ...


class _Silent:
    def start_file(self, path: str, fmt: str, total_bytes: int) -> None:
        pass

    def advance(self, bytes_read: int, counts: ImportCounts) -> None:
        pass

    def reject(self, where: str, reason: str) -> None:
        pass


@dataclass(slots=True)
class ImportReport:
    collection_id: int
    counts: ImportCounts
    files: list[tuple[str, str]] = field(default_factory=list)  # (path, format)
    rejects_path: str | None = None


@dataclass(slots=True)
class _Batch:
    posts: list[Post] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def check_readable(paths: Sequence[str | Path]) -> None:
    """Fail before anything is written when an input is missing or not a readable file."""
    if not paths:
        raise UnreadableInput("no input files given: name one or more files to import")
    for path in paths:
        target = Path(path)
        if not target.exists():
            raise UnreadableInput(f"{target}: no such file; check the path and try again")
        if target.is_dir():
            raise UnreadableInput(
                f"{target}: is a folder; name the files inside it (e.g. {target}/*)"
            )
        if not os.access(target, os.R_OK):
            raise UnreadableInput(f"{target}: permission denied; check the file's permissions")


class Importer:
    """One import run: a collection, its batches, its rejects file."""

    def __init__(
        self,
        engine: Engine,
        *,
        data_dir: Path,
        batch_size: int = 2000,
        progress: ImportProgress | None = None,
    ) -> None:
        self.engine = engine
        self.data_dir = data_dir
        self.batch_size = batch_size
        self.progress = progress or _Silent()

    def run(
        self, paths: Sequence[str | Path], *, fmt: str = "auto", collection: str | None = None
    ) -> ImportReport:
        check_readable(paths)
        formats = [detect_format(path) if fmt == "auto" else get_format(fmt).name for path in paths]
        source = " ".join(str(path) for path in paths)
        name = collection or ", ".join(Path(path).name for path in paths)[:200]
        now = utcnow()
        with self.engine.begin() as conn:
            collection_store.mark_interrupted(conn, source, now)
            collection_id = collection_store.start_collection(
                conn, name=name, kind="file", source=source, fmt=",".join(sorted(set(formats))),
                tool_version=__version__, now=now,
            )  # fmt: skip
        report = ImportReport(collection_id=collection_id, counts=ImportCounts())
        rejects = RejectsFile(self.data_dir / "rejects" / f"collection-{collection_id}.jsonl")
        status, error = "done", None
        try:
            for path, file_format in zip(paths, formats, strict=True):
                report.files.append((str(path), file_format))
                self._import_file(str(path), file_format, report, rejects)
        except BaseException as failure:
            status, error = "failed", f"{type(failure).__name__}: {failure}"
            raise
        finally:
            rejects.close()
            report.rejects_path = str(rejects.path) if rejects.count else None
            with self.engine.begin() as conn:
                collection_store.finish_collection(
                    conn, collection_id, report.counts, status=status, now=utcnow(),
                    rejects_path=report.rejects_path, error=error,
                )  # fmt: skip
        return report

    def _import_file(self, path: str, fmt: str, report: ImportReport, rejects: RejectsFile) -> None:
        parser = get_format(fmt)
        counts = report.counts
        self.progress.start_file(path, fmt, Path(path).stat().st_size)
        file_time = datetime.fromtimestamp(Path(path).stat().st_mtime, UTC)
        batch = _Batch()
        bytes_read = 0

        def on_progress(done: int) -> None:
            nonlocal bytes_read
            bytes_read = done

        for record in iter_records(path, fmt, on_progress=on_progress):
            where = f"{path}:{record.line}"
            if record.error is not None:
                self._reject(rejects, counts, where, record.error, None)
                continue
            counts.read += 1
            try:
                parsed = parser.parse(record.document)
            except MalformedRecord as bad:
                self._reject(rejects, counts, where, str(bad), record.document)
                continue
            for part in parsed.rejected:
                self._reject(rejects, counts, where, part.reason, part.payload)
            self._add(batch, parsed, where)
            if len(batch.posts) >= self.batch_size:
                self._flush(batch, report, file_time)
                batch = _Batch()
                self.progress.advance(bytes_read, counts)
        self._flush(batch, report, file_time)
        self.progress.advance(Path(path).stat().st_size, counts)

    @staticmethod
    def _add(batch: _Batch, parsed: Parsed, where: str) -> None:
        batch.posts.extend(parsed.posts)
        batch.sources.extend(where for _ in parsed.posts)
        batch.actors.extend(parsed.actors)

    def _reject(
        self, rejects: RejectsFile, counts: ImportCounts, where: str, reason: str, payload: Any
    ) -> None:
        counts.rejected += 1
        rejects.write(where, reason, payload)
        self.progress.reject(where, reason)

    def _flush(self, batch: _Batch, report: ImportReport, file_time: datetime) -> None:
        if not batch.posts and not batch.actors:
            return
        now = utcnow()
        post_rows = [
            post_row(post, Provenance(report.collection_id, source, file_time, __version__),
                     canonical_url, now)
            for post, source in zip(batch.posts, batch.sources, strict=True)
        ]  # fmt: skip
        actor_rows = [actor_row(actor, now) for actor in _with_authors(batch)]
        with self.engine.begin() as conn:
            actor_counts = upsert_actors(conn, actor_rows)
            post_counts = upsert_posts(conn, post_rows)
            counts = report.counts
            counts.new += post_counts.new
            counts.updated += post_counts.updated
            counts.unchanged += post_counts.unchanged
            counts.actors_new += actor_counts.new
            collection_store.record_progress(conn, report.collection_id, counts)


def _with_authors(batch: _Batch) -> Iterator[Actor]:
    """The batch's actors, plus a minimal actor for each author known only by id."""
    known = {(actor.platform, actor.external_id) for actor in batch.actors}
    yield from batch.actors
    for post in batch.posts:
        if post.author_external_id is None:
            continue
        key = (post.platform, post.author_external_id)
        if key not in known:
            known.add(key)
            yield Actor(post.platform, post.author_external_id, handle=post.author_handle)
