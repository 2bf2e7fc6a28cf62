"""The file reader: JSON Lines, whole documents and CSV; gzip, encodings, errors, progress."""

from __future__ import annotations

import gzip
import os
import tracemalloc
from pathlib import Path

import pytest

from ediplomacy.domain.errors import UnknownFormat, UnreadableInput
from ediplomacy.ingest.reader import PROGRESS_EVERY, Record, detect_format, iter_records


def records(path: Path, fmt: str = "x-v2") -> list[Record]:
    return list(iter_records(path, fmt))


def test_jsonl_lines_numbers_blank_lines_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}\n\n   \n[2]\n{"b": "\xc3\xa9"}')
    found = records(path)
    assert [(r.line, r.document, r.error) for r in found] == [
        (1, {"a": 1}, None),
        (4, [2], None),
        (5, {"b": "é"}, None),
    ]
    assert found[0].path == str(path)


def test_bad_line_is_an_error_record_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"a": 1}\n{"a": \n{"a": 3}\n{"cut": "shor')
    found = records(path)
    assert [(r.line, r.document) for r in found] == [
        (1, {"a": 1}),
        (2, None),
        (3, {"a": 3}),
        (4, None),
    ]
    assert found[1].error is not None and found[1].error.startswith("not valid JSON")
    assert found[3].error is not None and found[3].error.startswith("truncated or not valid JSON")


def test_whole_pretty_printed_document_is_one_record(tmp_path: Path) -> None:
    path = tmp_path / "page.json"
    path.write_text('{\n  "data": [\n    {"id": "1"}\n  ]\n}\n')
    [record] = records(path)
    assert (record.line, record.document, record.error) == (1, {"data": [{"id": "1"}]}, None)
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "data": [\n    {"id": "1"}\n')
    [record] = records(broken)
    assert (record.line, record.document) == (1, None)
    assert record.error is not None and "JSON" in record.error


def test_json_lines_in_a_file_named_json(tmp_path: Path) -> None:
    path = tmp_path / "tweets.json"  # twarc writes JSON Lines whatever the name
    path.write_text('{"id": "1"}\n{"id": "2"}\n')
    assert [r.document for r in records(path)] == [{"id": "1"}, {"id": "2"}]
    first_broken = tmp_path / "first_broken.json"
    first_broken.write_text('{"id": \n{"id": "2"}\n{"id": "3"}\n')
    found = records(first_broken)
    assert [(r.line, r.document) for r in found] == [(1, None), (2, {"id": "2"}), (3, {"id": "3"})]


def test_text_that_is_not_json_is_reported_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_text("first line\nsecond line\n\nthird line\n")
    found = records(path)
    assert [r.line for r in found] == [1, 2, 4]
    assert all(r.document is None and r.error for r in found)
    single = tmp_path / "single.json"
    single.write_text("just words")
    assert [(r.line, r.document) for r in records(single)] == [(1, None)]


def test_latin1_bytes_are_read_rather_than_failing(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"text": "São Paulo, café"}\n'.encode("latin-1"))
    [record] = records(path)
    assert record.document == {"text": "São Paulo, café"}
    whole = tmp_path / "latin1.json"
    whole.write_bytes('{\n "text": "Noticias de São Paulo"\n}\n'.encode("latin-1"))
    assert records(whole)[0].document == {"text": "Noticias de São Paulo"}
    table = tmp_path / "latin1.csv"
    table.write_bytes("id,text\n1,café crème\n".encode("latin-1"))
    assert records(table, "csv")[0].document == {"id": "1", "text": "café crème"}


def test_64_bit_numbers_are_exact(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text('{"id": 18446744073709551615, "min": -9223372036854775808}\n')
    assert records(path)[0].document == {"id": 2**64 - 1, "min": -(2**63)}


def test_gzip_is_read_transparently(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    with gzip.open(path, "wb") as out:
        out.write(b'{"a": 1}\n{"a": 2}\n')
    assert [r.document for r in records(path)] == [{"a": 1}, {"a": 2}]
    table = tmp_path / "t.csv.gz"
    with gzip.open(table, "wt", encoding="utf-8") as text:
        text.write("id,text\n1,hello\n")
    assert detect_format(table) == "csv"
    assert [r.document for r in records(table, "csv")] == [{"id": "1", "text": "hello"}]


def test_truncated_gzip_keeps_what_came_before(tmp_path: Path) -> None:
    lines = b"".join(b'{"n": %d, "pad": "%s"}\n' % (i, b"x" * (i % 50)) for i in range(5000))
    data = gzip.compress(lines)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    found = records(path)
    good = [r for r in found if r.error is None]
    assert 0 < len(good) < 5000
    assert [r.document["n"] for r in good] == list(range(len(good)))
    assert found[-1].error is not None and "damaged" in found[-1].error


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "does not exist; check the path"),
        ("directory", "is a directory"),
        ("not_gzip", "is named .gz but is not gzip-compressed"),
    ],
)
def test_unreadable_inputs(tmp_path: Path, setup: str, message: str) -> None:
    path = tmp_path / "input.jsonl.gz"
    if setup == "directory":
        path.mkdir()
    elif setup == "not_gzip":
        path.write_text('{"a": 1}\n')
    with pytest.raises(UnreadableInput, match=message) as caught:
        records(path)
    assert "\n" not in str(caught.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.jsonl"
    path.write_text("{}\n")
    path.chmod(0)
    with pytest.raises(UnreadableInput, match="permission denied"):
        records(path)


def test_csv_rows_lines_and_column_counts(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes(
        b"\xef\xbb\xbfid,text,lang\r\n"
        b'1,"two\nlines",en\r\n'
        b"\r\n"
        b"2,short\r\n"
        b'3,"with ""quotes"", and commas",fr\r\n'
    )
    found = records(path, "csv")
    assert [(r.line, r.document) for r in found] == [
        (2, {"id": "1", "text": "two\nlines", "lang": "en"}),
        (5, None),
        (6, {"id": "3", "text": 'with "quotes", and commas', "lang": "fr"}),
    ]
    assert found[1].error is not None and "2 columns and the header 3" in found[1].error


def test_csv_unterminated_quote_is_an_error_not_a_giant_cell(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text('id,text\n1,fine\n2,"never closed\n3,lost\n')
    found = records(path, "csv")
    assert [(r.line, r.document) for r in found] == [(2, {"id": "1", "text": "fine"}), (3, None)]
    assert found[1].error is not None and "not a valid CSV row" in found[1].error


def test_tsv(tmp_path: Path) -> None:
    path = tmp_path / "posts.tsv"
    path.write_text("id\ttext\n1\thello, world\n")
    assert records(path, "csv")[0].document == {"id": "1", "text": "hello, world"}


def test_progress_reports_bytes_of_the_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_bytes(b'{"a": 1}\n' * (PROGRESS_EVERY * 3 + 5))
    seen: list[int] = []
    assert len(list(iter_records(path, "x-v2", on_progress=seen.append))) == PROGRESS_EVERY * 3 + 5
    assert len(seen) == 4  # every 4,096 records, and once at the end
    assert seen == sorted(seen)
    assert seen[-1] == path.stat().st_size
    compressed = tmp_path / "many.jsonl.gz"
    compressed.write_bytes(gzip.compress(path.read_bytes()))
    seen.clear()
    list(iter_records(compressed, "x-v2", on_progress=seen.append))
    assert seen[-1] == compressed.stat().st_size  # compressed bytes, for a bar over the file


def test_records_are_streamed_in_constant_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_bytes(b'{"text": "%s"}\n' % (b"x" * 1000) * 20_000)  # about 20 MB
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_records(path, "x-v2"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert peak < 2_000_000  # a few lines at a time, not the file


def test_detect_format_of_each_platform(formats_dir: Path) -> None:
    expected = {
        "x-v2/twarc-csv/brexit.jsonl": "x-v2",
        "x-v2/twarc-csv/flat.jsonl": "x-v2",
        "x-v2/twarc-csv/tweets_compliance.jsonl": "x-v2",  # starts with a blank line
        "x-v1/tweet_parser/original_format_examples.jsonl": "x-v1",  # has matching_rules too
        "x-v1/tweet_parser/activity_streams_examples.jsonl": "x-v1",
        "x-v1/tweepy/testsearchtweets__0.json": "x-v1",
        "bluesky/jetstream/jetstream_v1_events_150frames.jsonl": "bluesky",
        "bluesky/bskyr/getAuthorFeed.json": "bluesky",
        "mastodon/mastodon-py/status_110446223051565765.json": "mastodon",
        "mastodon/mastodon-py/localdev_streaming_user_events.jsonl": "mastodon",
        "youtube/python-youtube/comment_threads/comment_threads_by_video_paged_1.json": "youtube",
    }
    for relative, fmt in expected.items():
        assert detect_format(formats_dir / relative) == fmt, relative


def test_detect_csv_by_content(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text("message_id,message,timestamp\n1,hello,1600000000\n")
    assert detect_format(path) == "csv"
    prose = tmp_path / "notes.txt"
    prose.write_text("Dear colleagues,\nplease find attached\n" * 100)
    with pytest.raises(UnknownFormat):
        detect_format(prose)


def test_detect_format_gives_up_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "other.jsonl"
    path.write_text('{"title": "an RSS item"}\n')
    with pytest.raises(UnknownFormat, match="--format") as caught:
        detect_format(path)
    assert "x-v2, x-v1, bluesky, mastodon, youtube, csv" in str(caught.value)
    with pytest.raises(UnreadableInput):
        detect_format(tmp_path / "missing.jsonl")
