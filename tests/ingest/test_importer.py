"""The importer end to end over real platform payloads: counts, idempotence, rejects, gzip."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import orjson
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.domain.errors import UnreadableInput
from ediplomacy.ingest.importer import Importer
from ediplomacy.store.schema import actors, collections, posts
from ediplomacy.store.serialize import loads

FORMATS = {
    "x-v2": "formats/x-v2/twarc-csv/brexit.jsonl",
    "x-v1": "formats/x-v1/tweet_parser/original_format_examples.jsonl",
    "bluesky": "formats/bluesky/bskyr/getAuthorFeed.json",
    "mastodon": "formats/mastodon/mastodon-py/status_110446223051565765.json",
    "youtube": (
        "formats/youtube/python-youtube/comment_threads/comment_threads_by_video_paged_1.json"
    ),
}


def importer(engine: Engine, tmp_path: Path) -> Importer:
    return Importer(engine, data_dir=tmp_path / "data", batch_size=37)


def count(engine: Engine, table: sa.Table = posts) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def sample(shared_data: Path, relative: str) -> Path:
    path = shared_data / relative
    if not path.exists():  # the folder's file names are listed in its index.json
        candidates = sorted(path.parent.glob("*.json*"))
        pytest.fail(f"{relative} missing; {path.parent} has {[c.name for c in candidates][:8]}")
    return path


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_format_detected_and_imported(
    sqlite_engine: Engine, tmp_path: Path, shared_data: Path, fmt: str
) -> None:
    path = sample(shared_data, FORMATS[fmt])
    report = importer(sqlite_engine, tmp_path).run([path])
    assert report.files == [(str(path), fmt)]
    assert report.counts.new > 0
    assert report.counts.new == count(sqlite_engine)
    assert count(sqlite_engine, actors) > 0
    with sqlite_engine.connect() as conn:
        row = conn.execute(sa.select(collections)).one()
        post = conn.execute(sa.select(posts).limit(1)).one()
    assert (row.status, row.new_count, row.format) == ("done", report.counts.new, fmt)
    assert post.source.startswith(f"{path}:")
    assert loads(post.raw)  # the platform's own payload is kept


def test_twarc_page_with_includes(engine: Engine, tmp_path: Path, shared_data: Path) -> None:
    path = sample(shared_data, FORMATS["x-v2"])
    report = importer(engine, tmp_path).run([path], fmt="x-v2", collection="brexit")
    # 100 tweets in the page plus the referenced tweets in includes.tweets
    assert report.counts.new >= 100
    with engine.connect() as conn:
        retweets = conn.execute(
            sa.select(sa.func.count()).where(posts.c.repost_of_external_id.is_not(None))
        ).scalar_one()
        name = conn.execute(sa.select(collections.c.name)).scalar_one()
    assert retweets >= 67
    assert name == "brexit"


def test_same_file_twice_changes_nothing(engine: Engine, tmp_path: Path, shared_data: Path) -> None:
    path = sample(shared_data, FORMATS["x-v2"])
    first = importer(engine, tmp_path).run([path])
    with engine.connect() as conn:
        before = conn.execute(sa.select(posts.c.id, posts.c.content_hash).order_by("id")).all()
    second = importer(engine, tmp_path).run([path])
    assert (second.counts.new, second.counts.updated) == (0, 0)
    assert second.counts.unchanged == first.counts.new + first.counts.unchanged
    with engine.connect() as conn:
        after = conn.execute(sa.select(posts.c.id, posts.c.content_hash).order_by("id")).all()
    assert after == before


def tweet_page(tweet_id: str, likes: int, retrieved: str) -> bytes:
    page = {
        "data": [
            {
                "id": tweet_id,
                "text": "Layanan darurat KBRI dibuka 24 jam #SafeTravel",
                "author_id": "42",
                "created_at": "2026-11-18T01:02:03.000Z",
                "lang": "in",
                "public_metrics": {"like_count": likes, "retweet_count": 0, "reply_count": 0,
                                   "quote_count": 0},
            }
        ],
        "includes": {"users": [{"id": "42", "username": "kbri_demo", "name": "KBRI Demo"}]},
        "__twarc": {"url": "https://api.x.com/2/tweets/search/recent", "version": "2.14.0",
                    "retrieved_at": retrieved},
    }  # fmt: skip
    return orjson.dumps(page) + b"\n"


def test_newer_copy_updates_metrics(engine: Engine, tmp_path: Path) -> None:
    old = tmp_path / "old.jsonl"
    old.write_bytes(tweet_page("1001", 3, "2026-11-18T02:00:00+00:00"))
    new = tmp_path / "new.jsonl"
    new.write_bytes(tweet_page("1001", 250, "2026-11-18T09:00:00+00:00"))
    importer(engine, tmp_path).run([old])
    report = importer(engine, tmp_path).run([new])
    assert (report.counts.new, report.counts.updated) == (0, 1)
    stale = importer(engine, tmp_path).run([old])
    assert (stale.counts.updated, stale.counts.unchanged) == (0, 1)
    with engine.connect() as conn:
        assert conn.execute(sa.select(posts.c.like_count)).scalar_one() == 250


def test_bad_lines_are_set_aside_and_the_rest_kept(sqlite_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        tweet_page("1", 1, "2026-11-18T02:00:00Z")
        + b'{"data": [ this is not json\n'
        + b"\n"
        + tweet_page("2", 1, "2026-11-18T02:00:00Z")
    )
    report = importer(sqlite_engine, tmp_path).run([path], fmt="x-v2")
    assert (report.counts.new, report.counts.rejected) == (2, 1)
    assert report.rejects_path is not None
    [entry] = [orjson.loads(line) for line in Path(report.rejects_path).read_bytes().splitlines()]
    assert entry["file"] == str(path)
    assert entry["line"] == 2
    assert entry["reason"]


def test_truncated_stream_line_rejected_with_its_line(
    sqlite_engine: Engine, tmp_path: Path, shared_data: Path
) -> None:
    path = sample(shared_data, "formats/x-v2/twarc-csv/streaming_output_with_error.jsonl")
    lines = path.read_bytes().splitlines()
    report = importer(sqlite_engine, tmp_path).run([path])
    assert report.counts.rejected == 1
    assert report.counts.new >= 6
    entry = orjson.loads(Path(report.rejects_path or "").read_bytes().splitlines()[0])
    assert entry["line"] == len(lines)


def test_gzip_read_transparently(sqlite_engine: Engine, tmp_path: Path, shared_data: Path) -> None:
    plain = sample(shared_data, FORMATS["x-v2"])
    packed = tmp_path / "brexit.jsonl.gz"
    with plain.open("rb") as source, gzip.open(packed, "wb") as target:
        shutil.copyfileobj(source, target)
    report = importer(sqlite_engine, tmp_path).run([packed])
    assert report.files == [(str(packed), "x-v2")]
    assert report.counts.new >= 100


def test_unreadable_file_fails_before_writing(sqlite_engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match="no such file"):
        importer(sqlite_engine, tmp_path).run([tmp_path / "missing.jsonl"])
    with pytest.raises(UnreadableInput, match="folder"):
        importer(sqlite_engine, tmp_path).run([tmp_path])
    assert count(sqlite_engine, collections) == 0


def test_parallel_reader_gives_the_same_database(tmp_path: Path, shared_data: Path) -> None:
    from ediplomacy.store.migrate import open_database

    paths = [sample(shared_data, FORMATS[name]) for name in ("x-v2", "bluesky", "mastodon")]
    contents = []
    for parallel in (False, True):
        engine = open_database(f"sqlite:///{tmp_path / f'{parallel}.db'}")
        report = Importer(engine, data_dir=tmp_path, batch_size=50, parallel=parallel).run(paths)
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(posts.c.platform, posts.c.external_id, posts.c.content_hash,
                          posts.c.source).order_by(posts.c.platform, posts.c.external_id)
            ).all()  # fmt: skip
        contents.append((report.counts, rows))
        engine.dispose()
    assert contents[0] == contents[1]
    assert contents[0][1]


def test_parallel_reader_reports_bad_lines_too(sqlite_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(tweet_page("1", 1, "2026-11-18T02:00:00Z") + b"{oops\n")
    report = Importer(sqlite_engine, data_dir=tmp_path, parallel=True).run([path])
    assert (report.counts.new, report.counts.rejected) == (1, 1)


def test_odd_values_do_not_stop_an_import(engine: Engine, tmp_path: Path) -> None:
    """Year 1 east of Greenwich, a count beyond 64 bits, NUL in a handle: kept, not fatal."""
    page = orjson.loads(tweet_page("77", 1, "2026-11-18T02:00:00Z"))
    page["data"][0]["created_at"] = "0001-01-01T00:00:00+05:00"
    page["data"][0]["public_metrics"]["like_count"] = 123456789
    page["includes"]["users"][0]["username"] = "kbri\u0000demo"
    line = orjson.dumps(page).replace(b"123456789", b"1" + b"0" * 30)
    path = tmp_path / "odd.jsonl"
    path.write_bytes(line + b"\n")
    report = importer(engine, tmp_path).run([path], fmt="x-v2")
    assert (report.counts.new, report.counts.rejected) == (1, 0)
    with engine.connect() as conn:
        row = conn.execute(sa.select(posts).where(posts.c.external_id == "77")).one()
        handles = conn.execute(sa.select(actors.c.handle)).scalars().all()
    assert row.created_at is None
    assert row.like_count is None
    assert handles == ["kbridemo"]
    assert row.author_handle == "kbridemo"


def test_csv_row_with_a_giant_count_is_kept(sqlite_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,text,like_count\n3,hi,99999999999999999999999\n4,there,5\n")
    report = importer(sqlite_engine, tmp_path).run([path], fmt="csv")
    assert (report.counts.new, report.counts.rejected) == (2, 0)
