"""Export posts as JSON lines, CSV or Parquet, streaming, with the explorer's filters.

The CSV columns are the ones the CSV importer reads back (docs/formats.md), so an export can be
edited in a spreadsheet and imported again.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Literal

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.domain.errors import EdiplomacyError
from ediplomacy.store.enrichments import enrichments_of
from ediplomacy.store.queries import PostFilters, post_conditions
from ediplomacy.store.schema import posts
from ediplomacy.store.serialize import loads
from ediplomacy.store.timeutil import as_utc

ExportFormat = Literal["jsonl", "csv", "parquet"]
LIST_FIELDS = ("urls", "canonical_urls", "hashtags", "mentions")
METRIC_FIELDS = ("like_count", "repost_count", "reply_count", "quote_count", "view_count")
TEXT_FIELDS = (
    "platform", "external_id", "author_external_id", "author_handle", "text", "language",
    "detected_language", "url", "conversation_id", "reply_to_external_id",
    "repost_of_external_id", "quote_of_external_id", "place", "country_code", "source",
)  # fmt: skip
TIME_FIELDS = ("created_at", "retrieved_at")
# What the pipeline found, from the posts row, the facets and every stage's result.
ANALYSIS_TEXT = ("sentiment", "emotion", "author_country")
ANALYSIS_LISTS = ("topics", "countries_mentioned", "stances", "clusters")
FACET_COLUMNS = {
    "topic": "topics",
    "country_mentioned": "countries_mentioned",
    "cluster": "clusters",
}
COLUMNS = (
    "id", *TEXT_FIELDS[:6], "language_confidence", *TEXT_FIELDS[6:], *TIME_FIELDS,
    *LIST_FIELDS, *METRIC_FIELDS, "collection_id", *ANALYSIS_TEXT, "sentiment_score",
    *ANALYSIS_LISTS, "enrichments",
)  # fmt: skip
CHUNK = 2000


def _records(engine: Engine, filters: PostFilters, with_raw: bool) -> Iterator[dict[str, Any]]:
    chunk: list[dict[str, Any]] = []
    for record in _post_records(engine, filters, with_raw):
        chunk.append(record)
        if len(chunk) >= CHUNK:
            yield from _with_analysis(engine, chunk)
            chunk = []
    yield from _with_analysis(engine, chunk)


def _with_analysis(engine: Engine, chunk: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Adds the facets as lists and every stage's result (with model and version)."""
    if not chunk:
        return
    with engine.connect() as conn:
        found = enrichments_of(conn, [record["id"] for record in chunk])
    for record in chunk:
        results, facets = found[record["id"]]
        for name in ANALYSIS_LISTS:
            record[name] = []
        for facet, value, _score in facets:
            if facet.startswith("stance:"):
                record["stances"].append(f"{facet.removeprefix('stance:')}={value}")
            elif facet in FACET_COLUMNS:
                record[FACET_COLUMNS[facet]].append(value)
        record["enrichments"] = results
        yield record


def _post_records(engine: Engine, filters: PostFilters, with_raw: bool) -> Iterator[dict[str, Any]]:
    wanted = [posts.c[name] for name in COLUMNS if name in posts.c and name not in METRIC_FIELDS]
    wanted.append(posts.c.metrics)
    if with_raw:
        wanted.append(posts.c.raw)
    with engine.connect() as conn:
        query = sa.select(*wanted).where(*post_conditions(conn, filters)).order_by(posts.c.id)
        result = conn.execution_options(stream_results=True, yield_per=CHUNK).execute(query)
        for row in result:
            record = {str(key): value for key, value in row._mapping.items()}
            metrics = loads(record.pop("metrics")) or {}
            for name in METRIC_FIELDS:
                record[name] = metrics.get(name)
            for name in LIST_FIELDS:
                record[name] = loads(record[name]) or []
            for name in TIME_FIELDS:
                record[name] = as_utc(record[name])
            if with_raw:
                record["raw"] = loads(record["raw"])
            yield record


def export_posts(
    engine: Engine,
    fmt: ExportFormat,
    out: IO[bytes] | Path,
    filters: PostFilters | None = None,
    *,
    with_raw: bool = False,
) -> int:
    """Write the matching posts to `out` (a binary stream or a path); returns how many."""
    records = _records(engine, filters or PostFilters(), with_raw)
    if fmt == "parquet":
        if not isinstance(out, Path):
            raise EdiplomacyError("parquet needs a file: give --out PATH.parquet")
        return _write_parquet(records, out, with_raw)
    if isinstance(out, Path):
        with out.open("wb") as handle:
            return _write_stream(records, fmt, handle)
    return _write_stream(records, fmt, out)


def _write_stream(records: Iterator[dict[str, Any]], fmt: str, out: IO[bytes]) -> int:
    written = 0
    if fmt == "jsonl":
        for record in records:
            out.write(orjson.dumps(record, option=orjson.OPT_UTC_Z) + b"\n")
            written += 1
        return written
    if fmt != "csv":
        raise EdiplomacyError(f"unknown export format {fmt!r}: choose jsonl, csv or parquet")
    text = _TextOut(out)
    writer = csv.writer(text)
    header: list[str] | None = None
    for record in records:
        if header is None:
            header = list(record)
            writer.writerow(header)
        writer.writerow([_csv_value(record[name]) for name in header])
        written += 1
    if header is None:
        writer.writerow(COLUMNS)
    return written


class _TextOut:
    """csv.writer writes str; the destination takes UTF-8 bytes."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out

    def write(self, text: str) -> int:
        return self.out.write(text.encode())


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return orjson.dumps(value).decode()
    return "" if value is None else value


def _parquet_schema(with_raw: bool) -> pa.Schema:
    fields = [pa.field("id", pa.int64())]
    fields += [pa.field(name, pa.string()) for name in TEXT_FIELDS[:6]]
    fields.append(pa.field("language_confidence", pa.float64()))
    fields += [pa.field(name, pa.string()) for name in TEXT_FIELDS[6:]]
    fields += [pa.field(name, pa.timestamp("us", tz="UTC")) for name in TIME_FIELDS]
    fields += [pa.field(name, pa.list_(pa.string())) for name in LIST_FIELDS]
    fields += [pa.field(name, pa.int64()) for name in METRIC_FIELDS]
    fields.append(pa.field("collection_id", pa.int64()))
    fields += [pa.field(name, pa.string()) for name in ANALYSIS_TEXT]
    fields.append(pa.field("sentiment_score", pa.float64()))
    fields += [pa.field(name, pa.list_(pa.string())) for name in ANALYSIS_LISTS]
    fields.append(pa.field("enrichments", pa.string()))  # JSON text: one object per stage
    if with_raw:
        fields.append(pa.field("raw", pa.string()))  # JSON text: payloads differ by platform
    return pa.schema(fields)


def _write_parquet(records: Iterator[dict[str, Any]], path: Path, with_raw: bool) -> int:
    schema = _parquet_schema(with_raw)
    written = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        chunk: list[dict[str, Any]] = []
        for record in records:
            record["enrichments"] = orjson.dumps(record["enrichments"]).decode()
            if with_raw:
                record["raw"] = orjson.dumps(record["raw"]).decode()
            chunk.append(record)
            if len(chunk) >= CHUNK:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                written += len(chunk)
                chunk = []
        if chunk or written == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            written += len(chunk)
    return written
