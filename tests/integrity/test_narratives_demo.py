"""Narratives on the demo scenario: the planted false claims are found across languages.

A small demo (2,500 posts) is generated, imported and embedded in the fast space (the accurate
space would take minutes on 2 cores; docs/narratives.md gives the figures of both on the full
demo, from bench/narratives.py). The ministry's fact-check base of the demo is imported, and the
claim matcher is stood in for by a partial one: a pending match for every third planted post of
each claim, from the ground truth, to the claim's English fact-check. The builder must find most
of the other planted posts, in every language, and nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.demo import generate
from ediplomacy.ingest.importer import Importer
from ediplomacy.integrity import factcheck, narratives, responses
from ediplomacy.integrity.narrative_build import BuildSummary, build_narratives
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stages import build_stages
from ediplomacy.store import narratives as store
from ediplomacy.store.migrate import open_database
from ediplomacy.store.schema import alerts, claim_matches, fact_checks, posts
from ediplomacy.store.timeutil import utcnow

FACT_FOR_CLAIM = {"claim-evac-fee": "fee-en", "claim-embassy-fled": "fled-en"}
MATCHED_EVERY = 3


@dataclass
class Demo:
    engine: Engine
    truth: dict[str, Any]
    ids: dict[tuple[str, str], int]
    facts: dict[str, int]  # claim -> fact-check id
    first: BuildSummary
    second: BuildSummary

    def planted(self, claim: str) -> set[int]:
        return {self.ids[(p["platform"], p["external_id"])]
                for p in self.truth["posts"]["false_claim"] if p["claim"] == claim}  # fmt: skip

    def narrative_of(self, claim: str) -> store.NarrativeRow:
        with self.engine.connect() as connection:
            rows = store.all_narratives(connection)
        return next(row for row in rows if row.fact_check_id == self.facts[claim])

    def members(self, narrative_id: int) -> set[int]:
        with self.engine.connect() as connection:
            return set(store.members_of(connection, narrative_id))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    root = tmp_path_factory.mktemp("narratives-demo")
    manifest = generate(root / "demo", posts=2_500)
    truth = json.loads((root / "demo" / "ground_truth.json").read_text(encoding="utf-8"))
    settings = Settings(data_dir=root)
    engine = open_database(settings.resolved_database_url())
    files = [item.path for item in manifest.files if item.format != "ground-truth"]
    Importer(engine, data_dir=root).run(files, collection="demo")
    InProcessRunner(engine).run(build_stages(settings, ["language", "embed_fast"]))
    assert manifest.fact_checks is not None
    factcheck.import_files(engine, [manifest.fact_checks], rejects_path=root / "rejects.jsonl")
    now = utcnow()
    with engine.begin() as connection:
        ids = {(row.platform, row.external_id): row.id for row in connection.execute(
            sa.select(posts.c.id, posts.c.platform, posts.c.external_id))}  # fmt: skip
        by_external = dict(connection.execute(sa.select(fact_checks.c.external_id,
                                                        fact_checks.c.id)).all())  # fmt: skip
        facts = {claim: by_external[external] for claim, external in FACT_FOR_CLAIM.items()}
        planted = truth["posts"]["false_claim"]
        connection.execute(claim_matches.insert(), [
            {"post_id": ids[(p["platform"], p["external_id"])], "fact_check_id": facts[p["claim"]],
             "score": 0.9, "similarity": 0.9, "rank": 1, "model": "test", "model_version": "1",
             "status": "pending", "matched_at": now}
            for index, p in enumerate(planted) if index % MATCHED_EVERY == 0
        ])  # fmt: skip
    first = build_narratives(engine, settings)
    second = build_narratives(engine, settings)
    yield Demo(engine, truth, ids, facts, first, second)
    engine.dispose()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("claim", "min_precision", "min_recall", "every_language"),
    [("claim-evac-fee", 0.95, 0.85, True), ("claim-embassy-fled", 0.9, 0.6, False)],
)
def test_each_planted_claim_is_one_narrative_across_languages(
    demo: Demo, claim: str, min_precision: float, min_recall: float, every_language: bool
) -> None:
    row = demo.narrative_of(claim)
    members, planted = demo.members(row.id), demo.planted(claim)
    hit = len(members & planted)
    assert hit / len(members) >= min_precision
    assert hit / len(planted) >= min_recall  # matches alone give a third
    assert hit / len(planted) > 1.5 / MATCHED_EVERY
    languages = {code for code in row.details["languages"] if code != "und"}
    planted_languages = {
        p["lang"] for p in demo.truth["posts"]["false_claim"] if p["claim"] == claim
    }
    # The fee claim in all seven languages; the small demo's 17 consulate posts are too few
    # for its Arabic ones to reach the anchors (the full demo finds them, docs/narratives.md).
    assert languages == planted_languages if every_language else languages <= planted_languages
    assert row.details["variants"] and row.details["variant_count"] >= len(languages)


@pytest.mark.slow
def test_the_claims_growth_is_alerted_when_it_starts_and_a_second_run_changes_nothing(
    demo: Demo,
) -> None:
    row = demo.narrative_of("claim-evac-fee")
    with demo.engine.connect() as connection:
        found = connection.execute(
            sa.select(alerts.c.window_start, alerts.c.details)
            .where(alerts.c.kind == "narrative_growth")
            .order_by(alerts.c.window_start)
        ).all()
    mine = [r.window_start for r in found if json.loads(r.details)["narrative_id"] == row.id]
    assert mine, "no growth alert for the evacuation-fee narrative"
    start = at(demo.truth["timeline"]["claims"]["claim-evac-fee"]["first_post_at"])
    hour = start.replace(minute=0, second=0, microsecond=0)
    first = mine[0].replace(tzinfo=start.tzinfo)
    assert hour <= first <= hour + timedelta(hours=2)
    again = demo.second
    changes = (again.created, again.discovered, again.matched_added, again.near_added,
               again.reposts_added, again.refreshed, again.alerts)  # fmt: skip
    assert changes == ([], [], 0, 0, 0, 0, [])


@pytest.mark.slow
def test_a_response_to_the_fee_claim_quotes_the_ministry_in_its_main_languages(
    demo: Demo,
) -> None:
    row = demo.narrative_of("claim-evac-fee")
    view = narratives.get(demo.engine, row.id)
    assert view.fact_check is not None and view.fact_check.verdict == "false"
    draft = responses.prepare_response(demo.engine, row.id, actor="test")
    expected = responses.main_languages(row.details["languages"])
    assert sorted(draft.texts) == sorted(expected) and "id" in expected and "en" in expected
    # The fee claim's Indonesian debunk joins the narrative once matched; without matches it is
    # left alone, and the English one speaks for it (marked for translation in Indonesian).
    assert draft.sources[0]["fact_check_id"] == demo.facts["claim-evac-fee"]
    official = [s for s in draft.sources if s["kind"] == "official_position"]
    assert official, "the ministry's position on evacuation flights is not quoted"
    for language, text in draft.texts.items():
        assert "/en/fact-check/evacuation-fee" in text, language
        assert text.count("[translate]") >= (0 if language == "en" else 1), language
