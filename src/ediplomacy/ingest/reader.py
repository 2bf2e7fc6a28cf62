"""Input files as streams of records: JSONL lines, whole JSON documents or CSV rows, gzipped."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import itertools
import json
import os
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

import orjson

from ediplomacy.domain.errors import UnknownFormat, UnreadableInput
from ediplomacy.ingest.formats import FORMATS

PROGRESS_EVERY = 4096  # records between two progress callbacks
_BOM = codecs.BOM_UTF8
_DECODE_ERRORS = "ediplomacy-latin1"  # bytes that are not UTF-8 are read as Latin-1
_CSV_SUFFIXES = (".csv", ".tsv")
_FEED_SUFFIXES = (".xml", ".rss", ".atom")  # a news feed: the whole file is one record
_SNIFF_RECORDS = 8
# The order matters: a tweet is checked against v2 before v1, Bluesky before Mastodon.
_SNIFF_ORDER = ("x-v2", "x-v1", "bluesky", "mastodon", "youtube")


@dataclass(slots=True)
class Record:
    """One record of an input file, parsed as JSON (or a CSV row), or the reason it could not be."""

    path: str
    line: int
    document: Any
    error: str | None


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode the offending bytes as Latin-1 and go on."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


def _decode(data: bytes) -> str:
    """UTF-8 text, with any byte that is not valid UTF-8 read as Latin-1."""
    codecs.register_error(_DECODE_ERRORS, _latin1_fallback)
    return data.decode("utf-8", _DECODE_ERRORS)


def _loads(data: bytes) -> Any:
    """One JSON value from bytes; raises ValueError with the parser's message."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as fast_error:
        # Not UTF-8 (Latin-1 files), or numbers orjson refuses (beyond 64 bits): the slow path.
        try:
            return json.loads(_decode(data))
        except (ValueError, RecursionError):
            raise ValueError(str(fast_error)) from None


class _Source:
    """An open input file: its raw byte stream (for progress) and its decompressed stream."""

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            if os.path.isdir(path):
                raise UnreadableInput(f"{path} is a directory; give the path of a file in it")
            self.raw: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed by close()
        except FileNotFoundError:
            raise UnreadableInput(f"{path} does not exist; check the path") from None
        except PermissionError:
            raise UnreadableInput(
                f"{path} cannot be read (permission denied); check the file's permissions"
            ) from None
        except OSError as exc:
            raise UnreadableInput(f"{path} cannot be opened ({exc.strerror}); check it") from None
        self.stream: IO[bytes] = self.raw
        if path.lower().endswith(".gz"):
            magic = self.raw.read(2)
            self.raw.seek(0)
            if magic != b"\x1f\x8b":
                self.raw.close()
                raise UnreadableInput(
                    f"{path} is named .gz but is not gzip-compressed; "
                    "rename it without .gz or compress it with gzip"
                )
            # Read line by line from GzipFile itself: a buffer layered on top would ask for
            # more than is left of a truncated file and lose the lines before the cut.
            self.stream = cast(IO[bytes], gzip.GzipFile(fileobj=self.raw, mode="rb"))

    def consumed(self) -> int:
        """Bytes of the file on disk read so far (compressed bytes for .gz)."""
        try:
            return self.raw.tell()
        except (OSError, ValueError):
            return 0

    def close(self) -> None:
        self.stream.close()
        self.raw.close()


_STREAM_ERRORS = (OSError, EOFError, zlib.error)


def iter_records(
    path: str | Path, fmt: str, on_progress: Callable[[int], None] | None = None
) -> Generator[Record, None, None]:
    """Records of a file in constant memory; `on_progress` hears of the bytes read now and then."""
    name = str(path)
    source = _Source(name)
    try:
        if fmt == "csv":
            yield from _csv_records(source, on_progress)
        elif fmt == "rss":
            try:
                yield Record(name, 1, source.stream.read(), None)
            except _STREAM_ERRORS as exc:
                yield Record(name, 1, None, f"the file is damaged: {exc}")
        else:
            yield from _json_records(source, on_progress)
    finally:
        if on_progress is not None:
            on_progress(source.consumed())
        source.close()


def _json_records(source: _Source, on_progress: Callable[[int], None] | None) -> Iterator[Record]:
    """JSONL, one document per non-blank line, or one (pretty-printed) document for the file."""
    path, stream = source.path, source.stream
    head: list[bytes] = []  # the lines read while deciding between the two
    number = 0
    try:
        whole = _is_one_document(stream, head)
    except _STREAM_ERRORS as exc:
        yield Record(path, 1, None, f"the file is damaged: {exc}")
        return
    if whole:
        try:
            data = b"".join(head) + stream.read()
        except _STREAM_ERRORS as exc:
            yield Record(path, 1, None, f"the file is damaged: {exc}")
            return
        if data.startswith(_BOM):
            data = data[len(_BOM) :]
        try:
            yield Record(path, 1, _loads(data), None)
        except ValueError as exc:
            yield Record(path, 1, None, f"not valid JSON: {exc}")
        return
    lines = iter(stream)
    pending = iter(head)
    produced = 0
    while True:
        try:
            line = next(pending, None)
            if line is None:
                line = next(lines)
        except StopIteration:
            return
        except _STREAM_ERRORS as exc:
            yield Record(path, number + 1, None, f"the file is damaged after this line: {exc}")
            return
        number += 1
        if number == 1 and line.startswith(_BOM):
            line = line[len(_BOM) :]
        if not line.strip():
            continue
        try:
            yield Record(path, number, _loads(line), None)
        except ValueError as exc:
            truncated = "" if line.endswith(b"\n") else "truncated or "
            yield Record(path, number, None, f"{truncated}not valid JSON: {exc}")
        produced += 1
        if on_progress is not None and produced % PROGRESS_EVERY == 0:
            on_progress(source.consumed())


def _is_one_document(stream: IO[bytes], head: list[bytes]) -> bool:
    """Whether the file is one JSON document spread over lines rather than JSON Lines.

    Reads up to the first two non-blank lines into `head`. JSON Lines when the first of them
    is a whole JSON object or array, or the second is (the first line being broken). A file
    whose first line does not open an object or array is not JSON at all: it is read line by
    line too (each line an error), never loaded whole.
    """
    tried = 0
    opens_document = False
    for line in stream:
        head.append(line)
        if len(head) == 1 and line.startswith(_BOM):
            line = line[len(_BOM) :]
        stripped = line.strip()
        if not stripped:
            continue
        tried += 1
        if tried == 1:
            opens_document = stripped[:1] in (b"{", b"[")
        try:
            value = _loads(line)
        except ValueError:
            value = None
        if isinstance(value, dict | list) and (tried == 1 or value):
            return False
        if tried == 2:
            return opens_document
    return tried == 1 and opens_document  # one broken line: the whole file, at line 1


def _csv_records(source: _Source, on_progress: Callable[[int], None] | None) -> Iterator[Record]:
    """One record per CSV row, as a dict keyed by the header; the header is not a record."""
    path = source.path
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 27))
    codecs.register_error(_DECODE_ERRORS, _latin1_fallback)
    text = io.TextIOWrapper(source.stream, encoding="utf-8-sig", errors=_DECODE_ERRORS, newline="")
    delimiter = "\t" if path.lower().removesuffix(".gz").endswith(".tsv") else ","
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    header: list[str] | None = None
    line_before = 0
    produced = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Record(path, line_before + 1, None, f"not a valid CSV row: {exc}")
            line_before = reader.line_num
            continue
        except (*_STREAM_ERRORS, UnicodeError) as exc:
            yield Record(path, line_before + 1, None, f"the file is damaged from here: {exc}")
            return
        start, line_before = line_before + 1, reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # blank line
        if header is None:
            header = [name.strip() for name in row]
            continue
        if len(row) != len(header):
            yield Record(
                path,
                start,
                None,
                f"the row has {len(row)} columns and the header {len(header)}; "
                "check the quoting of this row",
            )
        else:
            yield Record(path, start, dict(zip(header, row, strict=True)), None)
        produced += 1
        if on_progress is not None and produced % PROGRESS_EVERY == 0:
            on_progress(source.consumed())


def detect_format(path: str | Path) -> str:
    """The format of a file, from its name and its first records; UnknownFormat if unclear."""
    name = str(path)
    if name.lower().removesuffix(".gz").endswith(_CSV_SUFFIXES):
        return "csv"
    if name.lower().removesuffix(".gz").endswith(_FEED_SUFFIXES):
        return "rss"
    parsed = 0
    for record in _first_records(name, "json"):
        if record.error is not None:
            continue
        parsed += 1
        for fmt in _SNIFF_ORDER:
            if FORMATS[fmt].sniff(record.document):
                return fmt
    if parsed == 0:  # not JSON at all: a CSV file under another name?
        for record in _first_records(name, "csv"):
            if record.error is None and FORMATS["csv"].sniff(record.document):
                return "csv"
    known = ", ".join(FORMATS)
    raise UnknownFormat(
        f"cannot tell the format of {name} from its first records; "
        f"name it with --format (one of: {known})"
    )


def _first_records(path: str, fmt: str) -> list[Record]:
    """The first few records of a file, read without going through the rest of it."""
    records = iter_records(path, fmt)
    try:
        return list(itertools.islice(records, _SNIFF_RECORDS))
    finally:
        records.close()
