"""Prepare a response: counter-narrative drafts in the narrative's main languages, with sources."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.errors import NotFound
from ediplomacy.integrity import responses
from ediplomacy.integrity.narrative_build import build_narratives
from ediplomacy.integrity.response_frames import FRAMES, TRANSLATE
from ediplomacy.integrity.responses import InvalidDraft, main_languages
from ediplomacy.nlp.vectors import from_bytes
from ediplomacy.security import audit
from ediplomacy.store import narratives as store
from ediplomacy.store.schema import drafts
from tests.integrity.narrative_rows import T0, World, clean
from tests.integrity.test_narratives import ClaimWorld

HOUR = timedelta(hours=1)


def narrative_id(engine: Engine) -> int:
    with engine.connect() as connection:
        [row] = store.all_narratives(connection)
    return row.id


@pytest.fixture
def facts_world(engine: Engine) -> tuple[ClaimWorld, dict[str, int]]:
    """The claim world, plus a base with related and unrelated facts and their vectors."""
    clean(engine)
    claim = ClaimWorld(engine)
    world = claim.world
    position = world.near(claim.a, 0.8)
    ids = {
        "flights_free": world.fact(
            "Evacuation flights from Qadira are free of charge; the state pays every seat.",
            kind="verified_fact", verdict="true", url="https://kemlu.example/flights-free",
            sources=["https://gov.example/decree-12"], vector=world.near(claim.a, 0.8),
        ),
        "position_id": world.fact(
            "Pemerintah menanggung seluruh biaya evakuasi WNI dari Qadira.",
            kind="official_position", verdict="true", language="id",
            url="https://kemlu.example/sikap-evakuasi", vector=position,
        ),
        "unrelated": world.fact(
            "The republic supports a two-state solution.", kind="official_position",
            verdict="true", url="https://kemlu.example/two-states", vector=world.direction(),
        ),
    }  # fmt: skip
    build_narratives(engine, Settings())
    return claim, ids


def test_a_draft_in_the_main_languages_quotes_the_facts_with_their_sources(
    engine: Engine, facts_world: tuple[ClaimWorld, dict[str, int]]
) -> None:
    claim, ids = facts_world
    draft = responses.prepare_response(engine, narrative_id(engine), actor="rina", ip="10.0.0.1")
    assert (draft.kind, draft.status, draft.created_by) == ("counter_narrative", "draft", "rina")
    assert draft.narrative_id == narrative_id(engine) and draft.title.startswith("Counter-narr")
    assert sorted(draft.texts) == ["en", "id"]  # en 8 posts, id 4: together over 80%
    chosen = [source["fact_check_id"] for source in draft.sources]
    assert chosen == [claim.fact, ids["flights_free"], ids["position_id"]]
    assert [source["method"] for source in draft.sources] == ["linked", "vectors", "vectors"]
    english, indonesian = draft.texts["en"], draft.texts["id"]
    assert english.startswith(FRAMES["en"]["heading"]) and FRAMES["en"]["verdict.false"] in english
    assert "- Evacuation flights are free. (https://check.example/fee)" in english
    assert "Evacuation flights from Qadira are free of charge" in english
    # The position exists only in Indonesian: quoted as it is, marked for translation.
    assert f"{TRANSLATE} (id) Pemerintah menanggung seluruh biaya" in english
    assert indonesian.startswith(FRAMES["id"]["heading"])
    assert FRAMES["id"]["verdict.false"] in indonesian
    assert "- Pemerintah menanggung seluruh biaya evakuasi WNI dari Qadira." in indonesian
    assert f"{TRANSLATE} (en) Evacuation flights are free." in indonesian
    # The claim is quoted from the Indonesian posts, without their tags, in Indonesian.
    assert "> Kemlu minta bayaran 2000 dolar untuk pesawat evakuasi" in indonesian
    for text in (english, indonesian):
        for url in ("https://check.example/fee", "https://kemlu.example/free",
                    "https://kemlu.example/flights-free", "https://gov.example/decree-12",
                    "https://kemlu.example/sikap-evakuasi"):  # fmt: skip
            assert f"- {url}" in text
        assert "two-state" not in text and "two-states" not in text
    entries, _ = audit.recent_entries(engine, limit=5)
    created = next(entry for entry in entries if entry.action == responses.CREATED)
    assert created.target == str(draft.id) and created.actor == "rina"
    assert created.detail["languages"] == ["en", "id"] and created.ip == "10.0.0.1"


def test_the_same_fact_in_the_draft_language_replaces_the_translation_marker(
    engine: Engine, facts_world: tuple[ClaimWorld, dict[str, int]]
) -> None:
    claim, ids = facts_world
    with engine.connect() as connection:
        vectors = dict(store.fact_vectors(connection)[1])
    position = from_bytes(vectors[ids["position_id"]])
    position /= np.linalg.norm(position)
    claim.world.fact("The government pays for the whole evacuation from Qadira.",
                     kind="official_position", verdict="true", language="en",
                     url="https://kemlu.example/position-evacuation",
                     vector=claim.world.near(position, 0.97))  # fmt: skip
    draft = responses.prepare_response(engine, narrative_id(engine))
    assert "- The government pays for the whole evacuation from Qadira." in draft.texts["en"]
    assert f"{TRANSLATE} (id)" not in draft.texts["en"]


def test_without_fact_vectors_shared_words_choose_the_facts(engine: Engine) -> None:
    clean(engine)
    claim = ClaimWorld(engine)
    related = claim.world.fact(
        "Seats on the evacuation flights cost nothing: the ministry pays.",
        kind="verified_fact", verdict="true", url="https://kemlu.example/seats",
    )  # fmt: skip
    claim.world.fact("The republic supports a two-state solution.", kind="official_position",
                     verdict="true", url="https://kemlu.example/two-states")  # fmt: skip
    build_narratives(engine, Settings())
    draft = responses.prepare_response(engine, narrative_id(engine))
    assert [s["fact_check_id"] for s in draft.sources] == [claim.fact, related]
    assert draft.sources[1]["method"] == "words"
    assert "Seats on the evacuation flights cost nothing" in draft.texts["en"]


def test_an_unlinked_narrative_asks_for_the_facts_and_other_languages_get_the_english_frame(
    engine: Engine,
) -> None:
    clean(engine)
    world = World(engine, seed=5)
    message = world.direction()
    for start in (T0 + HOUR, T0 + 9 * HOUR):
        for offset, account in enumerate(("g1", "g2", "g3", "g4")):
            world.post(f"Die Regierung lässt die Arbeiter im Stich {offset}",
                       start + offset * timedelta(seconds=15), author=account, language="de",
                       vector=world.near(message, 0.97))  # fmt: skip
    world.post("Die Regierung lässt alle im Stich", T0 + 2 * HOUR, author="g9", language="de",
               vector=world.near(message, 0.97))  # fmt: skip
    for account in ("g5", "g6"):
        world.post("RT @g1: Die Regierung", T0 + HOUR + timedelta(minutes=1), author=account,
                   repost_of=1)  # fmt: skip
    summary = build_narratives(engine, Settings())
    assert len(summary.discovered) == 1
    draft = responses.prepare_response(engine, summary.discovered[0])
    assert list(draft.texts) == ["de"] and draft.sources == []
    text = draft.texts["de"]
    assert text.startswith(f"{TRANSLATE} (en → de)\n{FRAMES['en']['heading']}")
    assert FRAMES["en"]["empty"] in text and "\n> Die Regierung lässt " in text


def test_editing_a_text_is_saved_and_audited_and_bad_input_is_refused(
    engine: Engine, facts_world: tuple[ClaimWorld, dict[str, int]]
) -> None:
    draft = responses.prepare_response(engine, narrative_id(engine))
    edited = responses.save_text(engine, draft.id, "id", "Evakuasi gratis.\r\nCek kanal resmi.",
                                 actor="editor")  # fmt: skip
    assert edited.texts["id"] == "Evakuasi gratis.\nCek kanal resmi."
    assert edited.texts["en"] == draft.texts["en"] and edited.updated_at >= draft.updated_at
    again = responses.save_text(engine, draft.id, "id", "Evakuasi gratis.\nCek kanal resmi.")
    assert again.updated_at == edited.updated_at  # nothing changed, nothing written
    entries, _ = audit.recent_entries(engine, limit=10)
    assert [e.action for e in entries].count(responses.EDITED) == 1
    added = responses.save_text(engine, draft.id, "ms", "Pemindahan adalah percuma.")
    assert sorted(added.texts) == ["en", "id", "ms"]
    with pytest.raises(InvalidDraft) as bad:
        responses.save_text(engine, draft.id, "not a language", "text")
    assert bad.value.key == "drafts.error.language"
    with pytest.raises(InvalidDraft) as empty:
        responses.save_text(engine, draft.id, "id", "   \n")
    assert empty.value.key == "drafts.error.empty"
    with pytest.raises(InvalidDraft):
        responses.save_text(engine, draft.id, "id", "x" * (responses.MAX_BODY + 1))
    with pytest.raises(NotFound):
        responses.save_text(engine, 999_999, "id", "text")
    with pytest.raises(NotFound):
        responses.prepare_response(engine, 999_999)
    listed, total = responses.list_drafts(engine)
    assert total == 1 and listed[0].languages == ["en", "id", "ms"] and listed[0].texts == {}
    with engine.connect() as connection:
        assert connection.execute(sa.select(drafts.c.status)).scalar_one() == "draft"


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"id": 35, "en": 18, "ms": 14, "ar": 12, "zh": 7, "es": 7, "fr": 7},
         ["id", "en", "ms", "ar", "es"]),  # a tie: the code decides
        ({"en": 90, "id": 10}, ["en"]),
        ({"und": 50, "es": 30, "fr": 20}, ["es", "fr"]),
        ({"und": 5}, ["en"]),
        ({}, ["en"]),
    ],
)  # fmt: skip
def test_main_languages_cover_most_posts(counts: dict[str, int], expected: list[str]) -> None:
    assert main_languages(counts) == expected


def test_one_claim_debunked_in_two_languages_is_one_narrative_quoted_in_each(
    engine: Engine, facts_world: tuple[ClaimWorld, dict[str, int]]
) -> None:
    claim, _ = facts_world
    world = claim.world
    debunk_id = world.fact(
        "Kemlu memungut USD 2.000 untuk kursi pesawat evakuasi.", language="id",
        url="https://cekfakta.example/biaya", summary="Penerbangan evakuasi gratis.",
    )  # fmt: skip
    for post_id in [*claim.matched[:3], *claim.close]:  # mostly the same posts as the first
        world.match(post_id, debunk_id)
    summary = build_narratives(engine, Settings())
    assert summary.created == [] and summary.matched_added == 0
    with engine.connect() as connection:
        [row] = store.all_narratives(connection)
    assert row.fact_check_id == claim.fact and row.details["fact_check_ids"] == [debunk_id]
    draft = responses.prepare_response(engine, row.id)
    assert "- Penerbangan evakuasi gratis. (https://cekfakta.example/biaya)" in draft.texts["id"]
    assert f"{TRANSLATE} (en) Evacuation flights are free." not in draft.texts["id"]
    assert "> Kemlu memungut USD 2.000 untuk kursi pesawat evakuasi." in draft.texts["id"]
    assert "- Evacuation flights are free. (https://check.example/fee)" in draft.texts["en"]
    assert "Penerbangan evakuasi gratis" not in draft.texts["en"]
    # Rejecting a post for one version keeps it while the other still matches it.
    world.set_match_status(claim.matched[1], debunk_id, "rejected")
    assert build_narratives(engine, Settings()).removed == 0
    world.set_match_status(claim.matched[0], debunk_id, "rejected")
    world.set_match_status(claim.matched[0], claim.fact, "rejected")
    assert build_narratives(engine, Settings()).removed == 1
