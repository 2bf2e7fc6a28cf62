"""`ediplomacy coordination` on a toolkit CSV and on the database's posts."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from ediplomacy.cli.main import build
from ediplomacy.domain.posts import Post, Provenance
from ediplomacy.integrity.coordination import Network, compute, messages_from_database
from ediplomacy.store import collections as collection_store
from ediplomacy.store.migrate import open_database
from ediplomacy.store.posts import upsert_posts
from ediplomacy.store.serialize import post_row

EXPECTED = Path(__file__).parent / "expected"
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
runner = CliRunner()


def _edges(path: Path) -> list[tuple[str, str, int]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["user_1", "user_2", "weight"]
    return [(a, b, int(w)) for a, b, w in rows[1:]]


def test_file_in_edges_out_like_the_toolkit(tmp_path: Path) -> None:
    out = tmp_path / "edges.csv"
    result = runner.invoke(
        build(),
        ["coordination", str(EXPECTED / "cnt_input.csv"), "--network", "co-link",
         "--window", "60", "--min-weight", "2", "--out", str(out), "--compat"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(_edges(out)) == sorted(_edges(EXPECTED / "co_link_w60_m2.csv"))
    assert "co-link: 400 posts" in result.stderr


def test_malformed_row_is_reported_and_skipped(tmp_path: Path) -> None:
    source = tmp_path / "posts.csv"
    source.write_text(
        "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n"
        "1,a,a,rt,,hi,10,\n"
        "2,b,b,rt,,hi,not-a-time,\n"
        "3,c,c,rt,,hi,15,\n",
        encoding="utf-8",
    )
    out = tmp_path / "edges.csv"
    result = runner.invoke(build(), ["coordination", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"skipped {source}:3: timestamp 'not-a-time' is not a number" in result.stderr
    assert _edges(out) == [("a", "c", 1), ("c", "a", 1)]


def test_missing_file_and_bad_options_are_one_line_errors(tmp_path: Path) -> None:
    result = runner.invoke(build(), ["coordination", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1
    assert "no such file" in result.stderr
    result = runner.invoke(
        build(), ["coordination", str(EXPECTED / "cnt_input.csv"), "--min-weight", "0"]
    )
    assert result.exit_code == 1
    assert "minimum weight" in result.stderr


def _store(engine: Engine, posts: list[Post]) -> None:
    with engine.begin() as conn:
        collection_id = collection_store.start_collection(
            conn, name="t", kind="file", source="t.jsonl", fmt="x-v2", tool_version="0", now=T0
        )
        provenance = Provenance(collection_id, "t.jsonl:1", T0, "0")
        upsert_posts(conn, [post_row(post, provenance, str.lower, T0) for post in posts])


def _posts() -> list[Post]:
    def post(external_id: str, author: str, seconds: int, **fields: object) -> Post:
        return Post(
            platform="x",
            external_id=external_id,
            text=str(fields.pop("text", "")),
            author_external_id=author,
            author_handle=f"@{author}",
            created_at=T0 + timedelta(seconds=seconds),
            raw={"id": external_id},
            **fields,  # type: ignore[arg-type]
        )

    return [
        post("1", "a", 0, repost_of_external_id="99"),
        post("2", "b", 30, repost_of_external_id="99"),
        post("3", "c", 500, repost_of_external_id="99"),
        post("4", "a", 10, text="see https://Site.example/x", urls=["https://Site.example/x"]),
        post("5", "c", 20, text="no link here"),
        post("6", "b", 40, text="x", urls=["https://site.example/X"], hashtags=["Peace"]),
        post("7", "c", 45, text="y", hashtags=["peace"]),
    ]


def test_database_posts(engine: Engine) -> None:
    _store(engine, _posts())
    messages = list(messages_from_database(engine))
    assert len(messages) == 7
    repost = compute(messages, Network.CO_REPOST, window=60)
    assert list(repost.rows()) == [("x:a", "x:b", 1), ("x:b", "x:a", 1)]
    link = compute(messages, Network.CO_LINK, window=60)  # canonical URLs: same after lowercasing
    assert list(link.rows()) == [("x:a", "x:b", 1), ("x:b", "x:a", 1)]
    tags = compute(messages, Network.CO_HASHTAG, window=60)
    assert list(tags.rows()) == [("x:b", "x:c", 1), ("x:c", "x:b", 1)]
    later = list(messages_from_database(engine, since=T0 + timedelta(seconds=100)))
    assert [m.message_id for m in later] == ["x:3"]


def test_command_reads_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    engine = open_database(url)
    _store(engine, _posts())
    engine.dispose()
    out = tmp_path / "edges.csv"
    result = runner.invoke(
        build(),
        ["coordination", "--network", "co-repost", "--window", "600", "--out", str(out)],
        env={"EDIPLOMACY_DATABASE_URL": url},
    )
    assert result.exit_code == 0, result.output
    assert _edges(out) == [
        ("x:a", "x:b", 1), ("x:a", "x:c", 1), ("x:b", "x:a", 1), ("x:b", "x:c", 1),
        ("x:c", "x:a", 1), ("x:c", "x:b", 1),
    ]  # fmt: skip
    assert "7 posts from the database" in result.stderr
