# ruff: noqa: RUF001  (Chinese is written with full-width punctuation)
"""Narratives from claim matches and vectors: grouping, stability, idempotency, discovery, alerts.

Every post's vector is chosen (tests/integrity/narrative_rows.py), so each test says exactly why a
post is in a narrative or not. The builder's own thresholds are used (fast space: centroid 0.68,
anchor 0.72, variant 0.72, duplicate 0.90).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.integrity import narratives
from ediplomacy.integrity.narrative_build import build_narratives, choose_space
from ediplomacy.integrity.narrative_discovery import has_words
from ediplomacy.integrity.narrative_rules import is_counter_speech
from ediplomacy.store import narratives as store
from ediplomacy.store.schema import alert_deliveries, alerts, narrative_posts
from tests.integrity.narrative_rows import T0, World, clean

HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)


def members(engine: Engine, narrative_id: int) -> set[int]:
    with engine.connect() as connection:
        return set(store.members_of(connection, narrative_id))


def all_narratives(engine: Engine) -> list[store.NarrativeRow]:
    with engine.connect() as connection:
        return store.all_narratives(connection)


class ClaimWorld:
    """One false claim told in English (two ways) and Indonesian, with its neighbours."""

    def __init__(self, engine: Engine) -> None:
        world = self.world = World(engine)
        a, b = world.direction(), world.direction()
        b = world.near(a, 0.5)  # the second English way of telling it: its own variant
        self.a, self.b = a, b
        self.fact = world.fact(
            "The ministry charges USD 2,000 for a seat on the evacuation flights",
            url="https://check.example/fee", summary="Evacuation flights are free.",
            sources=["https://kemlu.example/free"],
        )  # fmt: skip
        at = T0 + 10 * HOUR
        self.matched = [
            world.post(f"Ministry wants 2000 dollars per seat on evacuation flight {i}",
                       at + i * timedelta(minutes=7), vector=world.near(a, 0.97),
                       country="MY")
            for i in range(3)
        ] + [
            world.post(f"Workers must pay before boarding the evacuation plane {i}",
                       at + i * timedelta(minutes=9), vector=world.near(b, 0.97))
            for i in range(3)
        ]  # fmt: skip
        for post_id in self.matched:
            world.match(post_id, self.fact)
        self.close = [
            world.post(f"Kemlu minta bayaran 2000 dolar untuk pesawat evakuasi {i}",
                       at + (i + 1) * HOUR, vector=world.near(a, 0.9), language="id",
                       country="ID")
            for i in range(4)
        ]  # fmt: skip
        self.counter = [
            world.post("This is a hoax: evacuation flights are free.", at + 2 * HOUR,
                       vector=world.near(a, 0.9)),
            world.post("Benar tidak sih evakuasi harus bayar 2000 dolar?", at + 2 * HOUR,
                       vector=world.near(a, 0.9), language="id"),
        ]  # fmt: skip
        self.rejected = world.post("Paying for evacuation seats, a ministry scandal",
                                   at + 3 * HOUR, vector=world.near(a, 0.95))  # fmt: skip
        world.match(self.rejected, self.fact, status="rejected")
        self.no_words = world.post("🔥🔥 https://t.co/x", at + 3 * HOUR, vector=world.near(a, 0.99))
        self.reposts = [
            world.post(f"RT @user1: Ministry wants 2000 dollars {i}", at + 4 * HOUR,
                       repost_of=self.matched[0])
            for i in range(2)
        ]  # fmt: skip
        self.far = [world.post(f"Coffee and beaches, day {i}", at + i * HOUR,
                               vector=world.direction()) for i in range(10)]  # fmt: skip


@pytest.fixture
def claim_world(engine: Engine) -> ClaimWorld:
    clean(engine)
    return ClaimWorld(engine)


def test_matched_close_and_reposted_posts_form_one_narrative(
    engine: Engine, claim_world: ClaimWorld
) -> None:
    summary = build_narratives(engine, Settings())
    assert summary.space == "fast"
    [row] = all_narratives(engine)
    assert row.fact_check_id == claim_world.fact and summary.created == [row.id]
    assert row.label.startswith("The ministry charges USD 2,000")
    expected = {*claim_world.matched, *claim_world.close, *claim_world.reposts}
    assert members(engine, row.id) == expected
    assert (summary.matched_added, summary.near_added, summary.reposts_added) == (6, 4, 2)
    # Counter-speech, a rejected match, a text without words and unrelated posts stay out.
    assert not members(engine, row.id) & {*claim_world.counter, claim_world.rejected,
                                           claim_world.no_words, *claim_world.far}  # fmt: skip
    assert row.post_count == 12 and row.details["languages"] == {"en": 8, "id": 4}
    assert row.details["countries"] == {"ID": 4, "MY": 3}
    assert row.details["platforms"] == {"x": 12} and row.details["reposts"] == 2
    assert row.first_seen == T0 + 10 * HOUR and row.centroid is not None
    # Variants: two English ways of telling it, one Indonesian; reposts take their original's.
    variants = {(v["language"], v["count"]) for v in row.details["variants"]}
    assert variants == {("en", 5), ("en", 3), ("id", 4)}
    with engine.connect() as connection:
        given = dict(
            connection.execute(
                sa.select(narrative_posts.c.post_id, narrative_posts.c.variant).where(
                    narrative_posts.c.narrative_id == row.id
                )
            ).all()
        )
    assert given[claim_world.reposts[0]] == given[claim_world.matched[0]]
    assert len({given[p] for p in claim_world.matched[:3]}) == 1
    assert given[claim_world.matched[0]] != given[claim_world.matched[3]]


def test_a_second_run_changes_nothing_and_new_posts_join_the_same_narrative(
    engine: Engine, claim_world: ClaimWorld
) -> None:
    build_narratives(engine, Settings())
    [before] = all_narratives(engine)
    with engine.connect() as connection:
        variants_before = connection.execute(
            sa.select(narrative_posts.c.post_id, narrative_posts.c.variant)
        ).all()
    again = build_narratives(engine, Settings())
    changes = (again.created, again.discovered, again.matched_added, again.near_added,
               again.reposts_added, again.refreshed, again.alerts)  # fmt: skip
    assert changes == ([], [], 0, 0, 0, 0, [])
    [after] = all_narratives(engine)
    assert after == before  # same id, same figures, same updated_at
    world = claim_world.world
    late = world.post("Kemlu minta bayaran lagi", T0 + 30 * HOUR, vector=world.near(claim_world.a,
                      0.9), language="id")  # fmt: skip
    third = build_narratives(engine, Settings())
    assert third.near_added == 1 and third.created == []
    [grown] = all_narratives(engine)
    assert grown.id == before.id and late in members(engine, grown.id)
    assert grown.post_count == before.post_count + 1 and grown.last_seen == T0 + 30 * HOUR
    with engine.connect() as connection:
        kept = dict(
            connection.execute(
                sa.select(narrative_posts.c.post_id, narrative_posts.c.variant)
            ).all()
        )
    assert all(kept[post_id] == variant for post_id, variant in variants_before)  # stable


def test_rejecting_a_match_takes_the_post_out(engine: Engine, claim_world: ClaimWorld) -> None:
    build_narratives(engine, Settings())
    [row] = all_narratives(engine)
    claim_world.world.set_match_status(claim_world.matched[4], claim_world.fact, "rejected")
    summary = build_narratives(engine, Settings())
    assert summary.removed == 1
    assert claim_world.matched[4] not in members(engine, row.id)
    assert all_narratives(engine)[0].post_count == row.post_count - 1


def copied_message_world(engine: Engine) -> tuple[World, set[int], set[int]]:
    """A network copying one message in two bursts, and ordinary repetition that is not one."""
    world = World(engine, seed=11)
    message, prayer, news = world.direction(), world.direction(), world.direction()
    pushed: set[int] = set()
    for start, accounts in ((T0 + 10 * HOUR, ("g1", "g2", "g3")),
                            (T0 + 20 * HOUR, ("g1", "g2", "g3", "g5"))):  # fmt: skip
        for offset, account in enumerate(accounts):
            pushed.add(world.post(f"The ministry wastes money on photo ops abroad #{offset}",
                                  start + offset * timedelta(seconds=20), author=account,
                                  vector=world.near(message, 0.97)))  # fmt: skip
        first = min(pushed)
        reposter = "g4" if start == T0 + 10 * HOUR else "g6"
        pushed.add(world.post("RT @g1: The ministry wastes money", start + 90 * SECOND,
                              author=reposter, repost_of=first))  # fmt: skip
    ordinary: set[int] = set()
    for start, accounts in ((T0 + 12 * HOUR, ("p1", "p2", "p3")),
                            (T0 + 22 * HOUR, ("p4", "p5", "p6"))):  # fmt: skip
        for offset, account in enumerate(accounts):  # the same prayer, new people each time
            ordinary.add(world.post("Praying for everyone in Qadira", start + offset * 10 * SECOND,
                                    author=account, vector=world.near(prayer, 0.97)))  # fmt: skip
    original = world.post("Power cut in Qadira", T0 + 15 * HOUR, author="news",
                          vector=news)  # fmt: skip
    ordinary.add(original)
    for i in range(8):  # a repost wave of one post
        ordinary.add(world.post("RT @news: Power cut in Qadira", T0 + 15 * HOUR + i * 5 * SECOND,
                                author=f"r{i}", repost_of=original))  # fmt: skip
    for start in (T0 + 30 * HOUR, T0 + 40 * HOUR):  # one office mirrored on three platforms
        for platform in ("x", "bluesky", "mastodon"):
            ordinary.add(world.post("Consulate hotline is open", start, author="office",
                                    platform=platform, vector=world.near(news, 0.2)))  # fmt: skip
    return world, pushed, ordinary


def test_a_message_copied_in_bursts_by_returning_accounts_is_an_unlinked_narrative(
    engine: Engine,
) -> None:
    clean(engine)
    world, pushed, ordinary = copied_message_world(engine)
    summary = build_narratives(engine, Settings())
    [row] = all_narratives(engine)
    assert summary.discovered == [row.id] and row.fact_check_id is None
    assert row.details["origin"] == "copied_message" and row.details["bursts"] == 2
    assert members(engine, row.id) == pushed
    assert row.label.startswith("The ministry wastes money on photo ops abroad")
    assert not members(engine, row.id) & ordinary
    assert build_narratives(engine, Settings()).discovered == []  # found once
    # Later, the matcher links its posts to a fact-check: the narrative takes it, same id.
    fact = world.fact("The ministry spends more on photo ops than on workers", verdict="misleading")
    for post_id in sorted(pushed)[:4]:
        world.match(post_id, fact)
    linked = build_narratives(engine, Settings())
    assert linked.linked == [row.id] and linked.created == []
    [after] = all_narratives(engine)
    assert after.id == row.id and after.fact_check_id == fact
    assert after.label == "The ministry spends more on photo ops than on workers"


def test_growth_raises_one_alert_per_episode_sent_only_when_recent(engine: Engine) -> None:
    clean(engine)
    world = World(engine, seed=3)
    claim = world.direction()
    fact = world.fact("A claim that suddenly spreads")
    for hour in range(48):  # one matched post an hour: the usual level
        world.match(world.post(f"claim, hour {hour}", T0 + hour * HOUR,
                               vector=world.near(claim, 0.95)), fact)  # fmt: skip
    burst_hour = T0 + 50 * HOUR
    for i in range(30):
        world.post(f"claim spreading fast {i}", burst_hour + i * timedelta(minutes=1),
                   vector=world.near(claim, 0.95), language="id" if i % 2 else "en")  # fmt: skip
    settings = Settings(alert_webhook_url="https://hooks.example/narratives")
    summary = build_narratives(engine, settings, now=burst_hour + 2 * HOUR)
    [row] = all_narratives(engine)
    assert len(summary.alerts) == 1
    with engine.connect() as connection:
        alert = connection.execute(sa.select(alerts)).one()
        targets = connection.execute(sa.select(alert_deliveries.c.target)).scalars().all()
    assert alert.kind == "narrative_growth" and alert.rule_id is None
    assert (alert.observed, alert.expected) == (30.0, 1.0)
    assert alert.window_start.replace(tzinfo=None) == burst_hour.replace(tzinfo=None)
    details = narratives_details(alert.details)
    assert details["key"] == f"{row.id}:{burst_hour.isoformat()}"
    assert details["link"] == f"/verify/narratives/{row.id}" and details["title"] == row.label
    assert dict(details["languages"]) == {"en": 15, "id": 15} and details["samples"]
    assert targets == ["https://hooks.example/narratives"]
    # Run again, and again with more posts in the next hour: the same episode, no new alert.
    assert build_narratives(engine, settings, now=burst_hour + 2 * HOUR).alerts == []
    for i in range(30):
        world.post(f"still spreading {i}", burst_hour + HOUR + i * timedelta(minutes=1),
                   vector=world.near(claim, 0.95))  # fmt: skip
    assert build_narratives(engine, settings, now=burst_hour + 3 * HOUR).alerts == []


def test_old_growth_is_shown_but_not_sent(engine: Engine) -> None:
    clean(engine)
    world = World(engine, seed=4)
    claim = world.direction()
    fact = world.fact("An old claim")
    world.match(world.post("first", T0, vector=world.near(claim, 0.95)), fact)
    for i in range(20):
        world.post(f"old burst {i}", T0 + 30 * HOUR + i * timedelta(minutes=2),
                   vector=world.near(claim, 0.95))  # fmt: skip
    settings = Settings(alert_webhook_url="https://hooks.example/narratives")
    summary = build_narratives(engine, settings, now=T0 + 30 * 24 * HOUR)
    assert len(summary.alerts) == 1
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(alert_deliveries)
                                  ).scalar_one() == 0  # fmt: skip


def narratives_details(text: str) -> dict[str, object]:
    import orjson

    return dict(orjson.loads(text))


def test_listing_and_detail_read_back_what_was_built(
    engine: Engine, claim_world: ClaimWorld
) -> None:
    build_narratives(engine, Settings())
    items, total = narratives.listing(engine)
    assert total == 1
    [item] = items
    assert item.verdict == "false" and item.origin == "fact_check" and item.post_count == 12
    assert len(item.spark) == 14 and sum(item.spark) == 12  # all within the last 14 days
    assert item.growth is not None and item.growth["latest_24h"] == 12
    view = narratives.get(engine, item.id)
    assert view.fact_check is not None and view.fact_check.id == claim_world.fact
    assert view.timeline.bucket == "hour"
    by_language = {series["key"]: sum(series["counts"]) for series in view.timeline.languages}
    assert by_language == {"en": 8, "id": 4}
    assert sum(sum(series["counts"]) for series in view.timeline.platforms) == 12
    assert view.accounts[0]["posts"] >= 1 and len(view.accounts) == 12
    assert view.as_dict()["variant_count"] == 3


def test_nothing_to_build_on_an_empty_database(engine: Engine) -> None:
    clean(engine)
    summary = build_narratives(engine, Settings())
    assert summary.narratives == 0 and summary.space is None


def test_choose_space_prefers_accurate_once_it_covers_the_posts() -> None:
    assert choose_space({"accurate": 100, "fast": 100}) == "accurate"
    assert choose_space({"accurate": 30, "fast": 100}) == "fast"  # analysis under way
    assert choose_space({"fast": 5}) == "fast" and choose_space({}) is None


@pytest.mark.parametrize(
    ("text", "counter"),
    [
        ("This is false. The ministry confirmed evacuation flights are free. #FactCheck", True),
        ("Itu hoaks. Kemlu sudah klarifikasi, evakuasi gratis.", True),
        ("Benar tidak sih evakuasi dari Qadira harus bayar?", True),
        ("这是谣言，官方已经澄清撤离航班免费。", True),
        ("هذه شائعة. السفارة أكدت أن رحلات الإجلاء مجانية", True),
        ("C'est faux. L'ambassade a confirmé que les vols sont gratuits.", True),
        ("Es un bulo. La embajada confirmó que los vuelos son gratuitos.", True),
        ("Sebarkan! Evakuasi tidak gratis, tiap orang wajib bayar. Kemlu bohong!", False),
        ("The ministry is charging its own citizens $2,000 for a seat. Disgraceful.", False),
        ("¿Evacuación gratuita? A los trabajadores les exigen pagar.", False),
        ("Falsetto singers in Qadira", False),  # word boundaries
    ],
)
def test_counter_speech(text: str, counter: bool) -> None:
    assert is_counter_speech(text) is counter


def test_words_are_needed_to_be_compared() -> None:
    assert has_words("Kemlu bohong") and has_words("澄清事实")
    assert not has_words("") and not has_words("🔥 https://t.co/abc") and not has_words("RT @x: 12")


def test_a_matched_question_or_denial_stays_out_unless_an_analyst_confirmed_it(
    engine: Engine, claim_world: ClaimWorld
) -> None:
    world = claim_world.world
    asking = world.post("Is it true the ministry charges 2000 dollars? Please clarify.",
                        T0 + 12 * HOUR, vector=world.near(claim_world.a, 0.93))  # fmt: skip
    denying = world.post("Hoax! Evacuation flights are free, the ministry pays every seat.",
                         T0 + 12 * HOUR, vector=world.near(claim_world.a, 0.93))  # fmt: skip
    world.match(asking, claim_world.fact)
    world.match(denying, claim_world.fact, status="confirmed")
    summary = build_narratives(engine, Settings())
    [row] = all_narratives(engine)
    assert summary.matched_countering == 1 and summary.matched_added == 7
    assert asking not in members(engine, row.id) and denying in members(engine, row.id)


def test_only_claims_make_narratives_and_a_claim_rated_otherwise_is_another(
    engine: Engine, claim_world: ClaimWorld
) -> None:
    world = claim_world.world
    position = world.fact("Evacuation flights are free.", kind="official_position", verdict="true")
    mixed = world.fact("Some evacuation seats were paid for by employers", verdict="mixed")
    for post_id in claim_world.matched:
        world.match(post_id, position)  # the matcher finds what a post is about
    for post_id in claim_world.matched[:4]:
        world.match(post_id, mixed)
    summary = build_narratives(engine, Settings())
    rows = {row.fact_check_id: row for row in all_narratives(engine)}
    assert set(rows) == {claim_world.fact, mixed} and len(summary.created) == 2
    assert "fact_check_ids" not in rows[claim_world.fact].details
    assert members(engine, rows[mixed].id) == {*claim_world.matched[:4], *claim_world.reposts}
