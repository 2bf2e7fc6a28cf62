"""The polarization network read from the database (SQLite and PostgreSQL), and its snapshots."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.errors import NotFound
from ediplomacy.integrity import polarization
from ediplomacy.integrity.polarization import PolarizationError
from ediplomacy.integrity.polarization_snapshots import compute_polarization, snapshot_series
from ediplomacy.store import interactions as store
from ediplomacy.store import polarization as snapshots_store
from tests.integrity.polarization_rows import DAY1, DAY2, Rows, clean, two_communities

HOUR = timedelta(hours=1)


@pytest.fixture
def db(engine: Engine) -> Iterator[Engine]:
    clean(engine)
    yield engine
    clean(engine)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    profile = tmp_path / "listen.toml"
    profile.write_text('[officials]\naccounts = ["Kemlu_RI", "mastodon:other@host"]\n')
    return Settings(data_dir=tmp_path, listen_profile=profile)


def edges(reading: store.Reading) -> set[tuple[str, str, str]]:
    return {(row.kind, row.source, row.target) for row in reading.interactions}


def test_reposts_replies_quotes_and_mentions_become_interactions(db: Engine) -> None:
    rows = Rows(db)
    rows.actor("a1", "A1")
    rows.actor("k", "Kemlu_RI")
    statement, statement_ext = rows.post("k", DAY1, handle="Kemlu_RI", hashtags=["Qadira"])
    rows.post("a1", DAY1 + HOUR, repost_of_external_id=statement_ext, mentions=["Kemlu_RI"])
    reply, _ = rows.post(
        "a2", DAY1 + HOUR, reply_to_external_id=statement_ext, reply_to_author_external_id="k",
        mentions=["kemlu_ri"], language="id",
    )  # fmt: skip
    rows.post("b1", DAY1 + HOUR, quote_of_external_id=statement_ext)
    # A reply whose parent was never collected still names the parent's author.
    rows.post("a3", DAY1 + HOUR, reply_to_external_id="gone", reply_to_author_external_id="a1")
    # A repost of a post never collected has no known author: left out.
    rows.post("a4", DAY1 + HOUR, repost_of_external_id="nowhere")
    rows.post("b2", DAY1 + HOUR, mentions=["@a1", "unknown_handle"])
    rows.post("b3", DAY2 + HOUR, repost_of_external_id=statement_ext)  # outside the window
    with db.connect() as conn:
        reading = store.read_interactions(
            conn, kinds=("repost", "reply", "quote"), since=DAY1, until=DAY2
        )
        with_mentions = store.read_interactions(conn, kinds=store.KINDS, since=DAY1, until=DAY2)
        later = store.read_interactions(conn, kinds=("repost",), since=DAY2)
    assert edges(reading) == {
        ("repost", "a1", "k"),
        ("reply", "a2", "k"),
        ("quote", "b1", "k"),
        ("reply", "a3", "a1"),
    }
    # The reply's mention of its parent's author is not a second tie; a repost's mentions
    # are the original's; an unknown handle links nobody.
    assert edges(with_mentions) - edges(reading) == {("mention", "b2", "a1")}
    assert edges(later) == {("repost", "b3", "k")}
    by_kind = {row.kind: row for row in reading.interactions}
    assert by_kind["quote"].target_post_id == statement
    assert [row.target_post_id for row in reading.interactions if row.source == "a3"] == [None]
    assert reading.traits[statement].hashtags == ("Qadira",)
    assert reading.traits[reply].language == "id"
    assert reading.handles[("x", "k")] == "Kemlu_RI"
    with pytest.raises(ValueError, match="unknown interaction kinds"), db.connect() as conn:
        store.read_interactions(conn, kinds=("likes",))


def test_analysis_from_the_database_finds_the_groups_and_labels_them(
    db: Engine, settings: Settings
) -> None:
    rows = Rows(db)
    rows.actor("a0", "Kemlu_RI")
    originals = two_communities(rows)
    rows.facet(originals["b1"], "stance:indonesia", "against")
    rows.facet(originals["b2"], "stance:indonesia", "against")
    rows.facet(originals["a1"], "topic", "diplomacy")
    analysis = polarization.analyze(db, settings, since=DAY1, until=DAY2)
    report = analysis.report
    assert (report.accounts, report.community_count) == (12, 2)
    assert report.interactions == 2 * 30 + 1 and report.ties == 2 * 15 + 1
    assert report.ei_index == pytest.approx((1 - 30) / 31)
    assert report.modularity is not None and report.modularity > 0.45
    communities = {c.hashtags[0]: c for c in report.communities}
    a, b = communities["#kitabersatu"], communities["#hoax"]
    assert a.languages[0] == ("id", 1.0) and b.languages[0] == ("en", 1.0)
    assert a.officials == ("@Kemlu_RI",) and b.officials == ()
    assert a.top_accounts[0] == "@Kemlu_RI"  # the most acted on: its reposts and the reply
    assert "#kitabersatu" in a.label and "@Kemlu_RI" in a.label
    assert b.stance == {"indonesia": {"against": 2}} and a.topics == ("diplomacy",)
    assert report.reach.found == 1 and report.reach.received == 5 + 1
    assert report.reach.from_outside == 1  # b0's reply
    only_b = polarization.analyze(db, settings, since=DAY1, until=DAY2, kinds=["reply"])
    assert only_b.report.interactions == 1
    with pytest.raises(PolarizationError, match="choose from"):
        polarization.analyze(db, settings, kinds=["likes"])
    with pytest.raises(PolarizationError, match="before"):
        polarization.analyze(db, settings, since=DAY2, until=DAY1)


def test_snapshots_per_window_are_replaced_not_duplicated(db: Engine, settings: Settings) -> None:
    rows = Rows(db)
    originals = two_communities(rows)
    rows.post("a1", DAY2 + HOUR, repost_of_external_id="p1")  # a second day
    run = compute_polarization(db, settings, bucket="day")
    assert (run.windows, run.since, run.until) == (2, DAY1, DAY2 + timedelta(days=1))
    with db.connect() as conn:
        first = snapshots_store.list_snapshots(conn)
    assert [(s.window_start, s.window_end) for s in first] == [
        (DAY1, DAY2),
        (DAY2, DAY2 + (DAY2 - DAY1)),
    ]
    assert first[0].figures["bucket"] == "day" and first[0].figures["interactions"] == 61
    assert first[0].modularity == pytest.approx(run_modularity(db, settings))

    again = compute_polarization(db, settings, since=DAY1)
    assert again.windows == 2
    with db.connect() as conn:
        second = snapshots_store.list_snapshots(conn)
    assert len(second) == 2 and {s.id for s in second}.isdisjoint({s.id for s in first})
    assert [s.modularity for s in second] == [s.modularity for s in first]

    resumed = compute_polarization(db, settings)  # no since: from the newest stored window
    assert resumed.windows == 1 and resumed.since == DAY2

    hourly = compute_polarization(db, settings, since=DAY1, until=DAY1 + 4 * HOUR, bucket="hour")
    assert hourly.windows == 4
    assert len(snapshot_series(db, bucket="day")) == 2
    assert [p.start for p in snapshot_series(db, bucket="hour")] == [
        DAY1 + i * HOUR for i in range(4)
    ]
    assert originals  # the network was built


def run_modularity(db: Engine, settings: Settings) -> float | None:
    return polarization.analyze(db, settings, since=DAY1, until=DAY2).report.modularity


def test_narrative_snapshots_follow_the_narratives_posts(db: Engine, settings: Settings) -> None:
    rows = Rows(db)
    originals = two_communities(rows)
    narrative = rows.narrative("Hoax about fees", [originals["b0"], originals["b1"]])
    run = compute_polarization(db, settings)
    assert (run.windows, run.narrative_snapshots, run.narratives) == (1, 1, {narrative})
    with db.connect() as conn:
        stored = snapshots_store.list_snapshots(conn, narrative_id=narrative)
    assert len(stored) == 1
    figures = stored[0].figures
    assert figures["narrative_id"] == narrative
    assert figures["interactions"] == 10  # the reposts of b0's and b1's posts
    assert figures["community_count"] == 1 and stored[0].ei_index == -1.0
    analysis = polarization.analyze(db, settings, since=DAY1, until=DAY2, with_narratives=True)
    [(name, report)] = analysis.narratives
    assert (name.id, name.label, report.interactions) == (narrative, "Hoax about fees", 10)
    only = polarization.analyze(db, settings, narrative_id=narrative)
    assert only.report.accounts == 6

    rows.forget_narrative_posts(narrative)
    compute_polarization(db, settings, since=DAY1)
    with db.connect() as conn:
        assert snapshots_store.list_snapshots(conn, narrative_id=narrative) == []
    with pytest.raises(NotFound, match="/verify/narratives"):
        polarization.require_narrative(db, narrative + 100)


def test_an_empty_database_and_bad_buckets(db: Engine, settings: Settings) -> None:
    assert compute_polarization(db, settings).windows == 0
    with pytest.raises(PolarizationError, match="bucket"):
        compute_polarization(db, settings, bucket="month")
    report = polarization.analyze(db, settings).report
    assert (report.accounts, report.modularity, report.ei_index) == (0, None, None)
