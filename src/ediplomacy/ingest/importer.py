"""Import files into the store: stream records, normalize, upsert in batches, set bad ones aside.

Each batch is written in its own transaction and every write is an idempotent upsert, so a
killed import loses at most the batch in flight, and running the same command again stores
what is missing without duplicating anything.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.engine import Engine

from ediplomacy import __version__
from ediplomacy.domain.errors import UnreadableInput
from ediplomacy.domain.posts import ImportCounts
from ediplomacy.ingest.batches import PreparedBatch, prepare_batches
from ediplomacy.ingest.formats import get_format
from ediplomacy.ingest.gcpolicy import bulk_allocation
from ediplomacy.ingest.parallel import prepare_batches_in_child
from ediplomacy.ingest.reader import detect_format
from ediplomacy.ingest.rejects import RejectsFile
from ediplomacy.store import collections as collection_store
from ediplomacy.store.posts import upsert_actors, upsert_posts
from ediplomacy.store.timeutil import utcnow

# Below this size a second process costs more to start (about half a second) than it saves.
PARALLEL_MIN_BYTES = 16 * 1024 * 1024


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
        parallel: bool | None = None,
    ) -> None:
        self.engine = engine
        self.parallel = parallel  # None: a second process for files of PARALLEL_MIN_BYTES or more
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
            with bulk_allocation():
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
        size = Path(path).stat().st_size
        self.progress.start_file(path, fmt, size)
        options: dict[str, Any] = {
            "collection_id": report.collection_id,
            "batch_size": self.batch_size,
            "tool_version": __version__,
            "dialect": self.engine.dialect.name,
        }
        parallel = self.parallel if self.parallel is not None else size >= PARALLEL_MIN_BYTES
        produce = prepare_batches_in_child if parallel else prepare_batches
        counts = report.counts
        for batch in produce(path, fmt, **options):
            counts.read += batch.read
            counts.unchanged += batch.repeats
            for reject in batch.rejects:
                counts.rejected += 1
                rejects.write(reject.where, reject.reason, reject.payload)
                self.progress.reject(reject.where, reject.reason)
            self._write(batch, report)
            self.progress.advance(batch.bytes_read, counts)
        self.progress.advance(size, counts)

    def _write(self, batch: PreparedBatch, report: ImportReport) -> None:
        if not batch.post_rows and not batch.actor_rows:
            return
        with self.engine.begin() as conn:
            actor_counts = upsert_actors(conn, batch.actor_rows)
            post_counts = upsert_posts(conn, batch.post_rows)
            counts = report.counts
            counts.new += post_counts.new
            counts.updated += post_counts.updated
            counts.unchanged += post_counts.unchanged
            counts.actors_new += actor_counts.new
            collection_store.record_progress(conn, report.collection_id, counts)
