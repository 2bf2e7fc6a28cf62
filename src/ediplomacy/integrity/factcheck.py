"""The fact-check base: import, export, browse, add and edit.

Verified facts, official positions and fact-checks, each with its verdict, sources, languages
and dates. Imports are idempotent: a record with the same (source, external_id), or else the
same url, updates the row it matches instead of adding one. A broken record is written to the
rejects file with its file, line and reason, and the rest of the file is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy.engine import Engine

from ediplomacy.domain.errors import MalformedRecord, UnknownFormat, UnreadableInput
from ediplomacy.ingest.rejects import RejectsFile
from ediplomacy.integrity import claimreview
from ediplomacy.integrity.claimreview import FactRecord, Located
from ediplomacy.security import audit
from ediplomacy.security.audit import Action
from ediplomacy.store import factchecks as store
from ediplomacy.store.factchecks import FactCheck
from ediplomacy.store.timeutil import utcnow

FORMATS = ("auto", "claimreview", "google", "csv", "checkthat2022", "checkthat2020")
READERS: dict[str, Callable[[bytes, str], Iterator[Located]]] = {
    "claimreview": claimreview.read_claim_review,
    "google": claimreview.read_google,
    "csv": claimreview.read_csv,
    "checkthat2022": claimreview.read_checkthat2022,
    "checkthat2020": claimreview.read_checkthat2020,
}
ADDED = Action.FACT_CHECK_ADDED
EDITED = Action.FACT_CHECK_EDITED
IMPORTED = Action.FACT_CHECKS_IMPORTED


class InvalidFactCheck(MalformedRecord):
    """A form's fact-check is not valid; `key` and `params` name the message for the web."""

    def __init__(self, message: str, key: str, **params: Any) -> None:
        super().__init__(message)
        self.key = key
        self.params = params


@dataclass(slots=True)
class ImportReport:
    files: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejects_path: str | None = None
    formats: dict[str, str] = field(default_factory=dict)


def detect_format(path: Path, head: bytes) -> str:
    """The format of a file from its name and first bytes."""
    name = path.name.lower()
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if name.endswith(".jsonl") and b'"vclaim_id"' in head:
        return "checkthat2022"
    if name.endswith(".tsv") and head.split(b"\n", 1)[0].rstrip(b"\r") == b"\tvclaim\ttitle":
        return "checkthat2020"
    if name.endswith(".csv"):
        return "csv"
    if text.startswith((b"{", b"[")):
        if b'"claims"' in head and b'"claimReview"' in head:
            return "google"
        return "claimreview"
    raise UnknownFormat(f"{path}: cannot tell the format; give --format ({', '.join(FORMATS[1:])})")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise UnreadableInput(f"{path}: cannot read it ({error.strerror or error}).") from None


def _values(record: FactRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in store.FIELDS}


def import_files(
    engine: Engine,
    paths: list[Path],
    *,
    file_format: str = "auto",
    rejects_path: Path,
    actor: str | None = None,
) -> ImportReport:
    """Import every file (one transaction each); broken records go to `rejects_path`."""
    if file_format not in FORMATS:
        raise UnknownFormat(f"Unknown format {file_format!r}; choose one of {', '.join(FORMATS)}.")
    report = ImportReport()
    rejects = RejectsFile(rejects_path)
    try:
        for path in paths:
            data = _read(path)
            fmt = detect_format(path, data[:4096]) if file_format == "auto" else file_format
            report.formats[str(path)] = fmt
            try:
                items = list(READERS[fmt](data, str(path)))
            except (orjson.JSONDecodeError, UnicodeDecodeError) as error:
                raise UnreadableInput(f"{path}: not readable as {fmt} ({error}).") from None
            except MalformedRecord as error:
                raise UnreadableInput(str(error)) from None
            _store(engine, items, report, rejects, actor)
            report.files += 1
            with engine.begin() as connection:
                audit.append(connection, IMPORTED, actor=actor, target=str(path),
                             detail={"format": fmt, "added": report.added,
                                     "updated": report.updated})  # fmt: skip
    finally:
        rejects.close()
        report.rejected = rejects.count
        report.rejects_path = str(rejects.path) if rejects.count else None
    return report


def _store(
    engine: Engine,
    items: list[Located],
    report: ImportReport,
    rejects: RejectsFile,
    actor: str | None,
) -> None:
    now = utcnow()
    with engine.begin() as connection:
        for where, item in items:
            if isinstance(item, MalformedRecord):
                # JSON documents give the record's place ("file:#3"), not a line: the rejects
                # file then has no line, and the reason says which record.
                position = where.rpartition(":")[2]
                reason = f"record {position[1:]}: {item}" if position.startswith("#") else str(item)
                rejects.write(where, reason, None)
                continue
            values = _values(item)
            existing = store.find_existing(connection, values)
            if existing is None:
                store.insert(connection, values, now=now, actor=actor)
                report.added += 1
            elif store.update(connection, existing, values, now=now):
                report.updated += 1
            else:
                report.unchanged += 1


def export_claim_review(engine: Engine, out: Path) -> int:
    """Write the whole base as one JSON-LD document (an @graph of ClaimReview); the count."""
    with engine.connect() as connection:
        graph = [claimreview.to_claim_review(row.as_dict()) for row in store.iterate(connection)]
    document = {"@context": "https://schema.org", "@graph": graph}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2))
    return len(graph)


def search(
    engine: Engine,
    *,
    query: str | None = None,
    verdict: str | None = None,
    kind: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[FactCheck], int]:
    if verdict and verdict not in claimreview.VERDICTS:
        verdict = None
    if kind and kind not in claimreview.KINDS:
        kind = None
    with engine.connect() as connection:
        return store.search(connection, search=query or None, verdict=verdict, kind=kind,
                            limit=limit, offset=offset)  # fmt: skip


def get(engine: Engine, fact_id: int) -> FactCheck:
    with engine.connect() as connection:
        return store.get(connection, fact_id)


def all_facts(engine: Engine) -> list[FactCheck]:
    with engine.connect() as connection:
        return list(store.iterate(connection))


def record_from_form(form: Mapping[str, str]) -> FactRecord:
    """A FactRecord from the web form's fields (the same columns as the CSV import)."""
    try:
        record = claimreview.from_csv_row({**form, "source": form.get("source") or "manual"})
    except MalformedRecord as error:
        raise InvalidFactCheck(str(error), "facts.error.invalid", reason=str(error)) from None
    return record


def save(
    engine: Engine,
    record: FactRecord,
    *,
    fact_id: int | None = None,
    actor: str | None = None,
    ip: str | None = None,
) -> FactCheck:
    """Add (fact_id None) or edit a fact-check by hand, audited."""
    values = _values(record)
    now = utcnow()
    with engine.begin() as connection:
        if record.url and store.url_taken(connection, record.url, other_than=fact_id):
            raise InvalidFactCheck(
                f"Another fact-check has the address {record.url} already.",
                "facts.error.url_taken",
                url=record.url,
            )
        if fact_id is None:
            fact_id = store.insert(connection, values, now=now, actor=actor)
            action = ADDED
        else:
            store.update(connection, fact_id, values, now=now)  # NotFound when it is not there
            action = EDITED
        detail = {"claim": record.claim_text[:200], "verdict": record.verdict}
        audit.append(connection, action, actor=actor, target=str(fact_id), ip=ip, detail=detail)
        return store.get(connection, fact_id)
