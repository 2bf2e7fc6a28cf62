"""Bot-likeness in the database, on SQLite and PostgreSQL: scoring, labels, export, evaluation."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.errors import NotFound
from ediplomacy.domain.posts import Actor, Post, Provenance
from ediplomacy.integrity import bots
from ediplomacy.security import audit
from ediplomacy.store import collections as collection_store
from ediplomacy.store.posts import upsert_actors, upsert_posts
from ediplomacy.store.schema import account_labels, account_scores
from ediplomacy.store.serialize import actor_row, post_row

T0 = datetime(2026, 11, 16, 6, 0, tzinfo=UTC)
SETTINGS = Settings()
VOCABULARY = (
    "rain", "ferry", "soup", "market", "school", "teacher", "coffee", "train", "visa", "cousin",
    "garden", "phone", "exam", "football", "song", "movie", "river", "bridge", "bakery", "lunch",
)  # fmt: skip


@pytest.fixture(autouse=True)
def no_scores_left(engine: Engine) -> Iterator[None]:
    """The PostgreSQL database lives for the session: start each test without scores."""
    with engine.begin() as connection:
        connection.execute(account_scores.delete())
        connection.execute(account_labels.delete())
    yield


def _post(external_id: str, author: str, at: datetime, text: str, **fields: object) -> Post:
    return Post(platform="x", external_id=external_id, text=text, author_external_id=author,
                author_handle=author, created_at=at, raw={"id": external_id},
                **fields)  # type: ignore[arg-type]  # fmt: skip


def store(engine: Engine, posts: list[Post], actors: list[Actor], now: datetime = T0) -> None:
    with engine.begin() as connection:
        collection_id = collection_store.start_collection(
            connection, name="t", kind="file", source="t.jsonl", fmt="x-v2", tool_version="0",
            now=now,
        )  # fmt: skip
        provenance = Provenance(collection_id, "t.jsonl:1", now, "0")
        upsert_posts(connection, [post_row(p, provenance, str.lower, now) for p in posts])
        upsert_actors(connection, [actor_row(a, now) for a in actors])


def scheduler(author: str, n: int = 30, period: int = 600) -> list[Post]:
    return [
        _post(f"{author}-{i}", author, T0 + timedelta(seconds=i * period + (i % 3)),
              f"Trending now: follow for live updates! {i}")
        for i in range(n)
    ]  # fmt: skip


def person(author: str, n: int = 12) -> list[Post]:
    words = VOCABULARY
    gaps = [3_700, 41, 19_000, 620, 88_000, 5, 9_100, 2_400, 47_000, 300, 15_000, 900]
    at, posts = T0, []
    for i in range(n):
        at += timedelta(seconds=gaps[i % len(gaps)] + 13 * i)
        text = " ".join(words[(i * 7 + k) % len(words)] for k in range(6))
        posts.append(_post(f"{author}-{i}", author, at, text))
    return posts


def people() -> list[Actor]:
    return [
        Actor("x", "bot", handle="Galih98959508", name="Galih", description="",
              created_at=T0 - timedelta(days=4), followers_count=3, following_count=700,
              posts_count=30_000),
        Actor("x", "sari", handle="sari_w", name="Sari Wulandari", description="Guru. Kopi.",
              created_at=T0 - timedelta(days=3_000), followers_count=900, following_count=300,
              posts_count=4_000, verified=False),
        Actor("x", "budi", handle="budi", name="Budi", description="Fotografer",
              created_at=T0 - timedelta(days=1_200), followers_count=120, following_count=200,
              posts_count=800),
    ]  # fmt: skip


def test_scores_rank_the_scheduler_first_with_reasons_and_are_idempotent(engine: Engine) -> None:
    store(engine, scheduler("bot") + person("sari") + person("budi", 3), people())
    summary = bots.score_accounts(engine, SETTINGS)
    assert (summary.accounts, summary.scored, summary.high) == (3, 3, 1)
    items, total = bots.list_scores(engine)
    assert total == 3
    top = items[0]
    assert top.external_id == "bot"
    assert top.score > 0.9 and top.handle == "Galih98959508"
    assert top.model_version == bots.MODEL_VERSION
    codes = [reason["code"] for reason in top.reasons if reason["contribution"]]
    assert {"regular_period", "copies", "digit_handle", "young_account"} <= set(codes)
    assert top.features["period_s"] == pytest.approx(600, abs=3)
    quiet = next(item for item in items if item.external_id == "budi")
    assert "timing_unknown" in [reason["code"] for reason in quiet.reasons]
    first = {(i.external_id, i.score) for i in items}
    again = bots.score_accounts(engine, SETTINGS)
    assert again.scored == 3
    items, total = bots.list_scores(engine)
    assert total == 3 and {(i.external_id, i.score) for i in items} == first
    with engine.connect() as connection:
        rows = connection.execute(sa.select(sa.func.count()).select_from(account_scores))
        assert rows.scalar_one() == 3


def test_since_rescores_only_accounts_with_new_posts(engine: Engine) -> None:
    store(engine, scheduler("bot") + person("sari"), people())
    bots.score_accounts(engine, SETTINGS)
    before = {item.external_id: item.computed_at for item in bots.list_scores(engine)[0]}
    later = T0 + timedelta(days=3)
    store(engine, [_post("sari-new", "sari", later, "one more about the ferry")], [], now=later)
    summary = bots.score_accounts(engine, SETTINGS, since=later - timedelta(minutes=1))
    assert (summary.accounts, summary.scored) == (1, 1)
    after = {item.external_id: item.computed_at for item in bots.list_scores(engine)[0]}
    assert after["bot"] == before["bot"] and after["sari"] > before["sari"]
    sari = bots.review(engine, "x", "sari").score
    assert sari is not None and sari.features["posts"] == 13


def test_filters_min_score_platform_and_search(engine: Engine) -> None:
    store(engine, scheduler("bot") + person("sari"), people())
    bots.score_accounts(engine, SETTINGS)
    assert [i.external_id for i in bots.list_scores(engine, min_score=0.5)[0]] == ["bot"]
    assert bots.list_scores(engine, platform="mastodon")[1] == 0
    assert [i.external_id for i in bots.list_scores(engine, search="WULAN")[0]] == ["sari"]
    assert [i.external_id for i in bots.list_scores(engine, search="galih")[0]] == ["bot"]
    assert bots.list_scores(engine, search="100%_")[1] == 0  # wildcards are plain characters


def test_labels_are_kept_audited_filtered_and_exported(engine: Engine, tmp_path: Path) -> None:
    store(engine, scheduler("bot") + person("sari"), people())
    bots.score_accounts(engine, SETTINGS)
    bots.add_label(engine, "x", "bot", "unsure", note="schedule, but a real person?",
                   actor="ana")  # fmt: skip
    latest = bots.add_label(engine, "x", "bot", "automated", note="posts every 10 min",
                            actor="budi", ip="10.0.0.9")  # fmt: skip
    assert latest.label == "automated" and latest.labeled_by == "budi"
    history = bots.review(engine, "x", "bot").labels
    assert [label.label for label in history] == ["automated", "unsure"]  # newest first
    [labelled], _ = bots.list_scores(engine, labelled=True)
    assert (labelled.external_id, labelled.label, labelled.label_note) == (
        "bot", "automated", "posts every 10 min",
    )  # fmt: skip
    assert [i.external_id for i in bots.list_scores(engine, labelled=False)[0]] == ["sari"]
    assert bots.list_scores(engine, label="unsure")[1] == 0  # the latest label counts
    entries, _ = audit.recent_entries(engine, limit=10)
    labelled_entries = [e for e in entries if e.action == bots.LABELED]
    assert len(labelled_entries) == 2
    assert labelled_entries[0].target == "x:bot" and labelled_entries[0].ip == "10.0.0.9"
    assert labelled_entries[0].detail["label"] == "automated"

    out = tmp_path / "labels.csv"
    assert bots.export_labels(engine, out) == 2
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(bots.LABEL_COLUMNS)
    assert [row["label"] for row in rows] == ["unsure", "automated"]
    assert rows[1]["handle"] == "Galih98959508" and float(rows[1]["score"]) > 0.9
    assert '"period_s"' in rows[1]["features"]
    assert bots.export_labels(engine, out, latest_only=True) == 1


def test_bad_labels_and_unknown_accounts_are_refused(engine: Engine) -> None:
    store(engine, person("sari"), people())
    with pytest.raises(bots.InvalidLabel, match="choose automated, human, unsure"):
        bots.add_label(engine, "x", "sari", "bot", actor="ana")
    with pytest.raises(bots.InvalidLabel, match="keep it under"):
        bots.add_label(engine, "x", "sari", "human", note="x" * 3_000, actor="ana")
    with pytest.raises(NotFound, match="No account x:nobody"):
        bots.add_label(engine, "x", "nobody", "human", actor="ana")
    with pytest.raises(NotFound):
        bots.review(engine, "x", "nobody")
    bots.add_label(engine, "x", "sari", "human", actor="ana")  # posts but no score yet: fine
    assert bots.review(engine, "x", "sari").score is None


def test_parse_account() -> None:
    assert bots.parse_account("x:123") == ("x", "123")
    assert bots.parse_account("mastodon:https://m.example/@a") == (
        "mastodon", "https://m.example/@a",
    )  # fmt: skip
    for bad in ("123", "twitter:123", "x:"):
        with pytest.raises(bots.InvalidLabel, match="write PLATFORM:ID"):
            bots.parse_account(bad)


def test_roc_auc_counts_ties_half() -> None:
    assert bots.roc_auc([0.9, 0.5], [0.5, 0.1]) == pytest.approx(0.875)
    assert bots.roc_auc([0.9], [0.1, 0.2]) == 1.0
    assert bots.roc_auc([0.1], [0.9]) == 0.0
    assert bots.roc_auc([], [0.3]) is None


def test_evaluate_against_known_accounts(engine: Engine) -> None:
    store(engine, scheduler("bot") + person("sari") + person("budi", 3), people())
    bots.score_accounts(engine, SETTINGS)
    result = bots.evaluate(engine, {("x", "bot")}, top=3)
    assert (result.k, result.precision_at_k, result.recall_at_k, result.roc_auc) == (
        1, 1.0, 1.0, 1.0,
    )  # fmt: skip
    assert result.top[0][:2] == ("x", "bot") and result.top[0][3] is True
    wrong = bots.evaluate(engine, {("x", "sari"), ("x", "missing")})
    assert wrong.positives == 2 and wrong.positives_scored == 1
    assert wrong.precision_at_k == 0.0 and wrong.recall_at_k == 0.0
    assert wrong.recall_at_threshold == 0.0
    against_labels = bots.evaluate(engine, {("x", "bot")}, {("x", "sari")})
    assert against_labels.scored == 2  # unlabelled accounts left out
