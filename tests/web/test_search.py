"""Semantic search across languages, for real: posts embedded with the fast multilingual
embedder (Universal Sentence Encoder multilingual), an Indonesian query, and the Spanish,
Arabic, Chinese and English posts that mean the same found above unrelated ones."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from ediplomacy.domain.people import Role
from ediplomacy.listen.semantic import SemanticSearch, SpaceState, choose_space
from ediplomacy.nlp.embedders import Embedder, shared_embedder
from ediplomacy.nlp.vectors import to_bytes
from ediplomacy.store.queries import PostFilters
from ediplomacy.store.vectors import write_vectors
from tests.web.conftest import Rows

EVACUATION = {
    "es": "El gobierno pagará los costes de la evacuación de sus ciudadanos en el extranjero",
    "ar": "الحكومة ستتحمل تكاليف إجلاء مواطنيها العالقين في الخارج",
    "zh": "政府将承担撤离滞留海外公民的费用",
    "en": "Who pays for the evacuation flights? The state covers the cost for its citizens",
}
UNRELATED = {
    "es": "Receta de paella con mariscos para el domingo en familia",
    "ar": "فاز الفريق في مباراة كرة القدم أمس بثلاثة أهداف",
    "en": "The new smartphone has a much better camera and battery",
    "fr": "Le festival de jazz commence ce soir sur la plage",
    "zh": "今天的天气很好 我们去公园散步吧",
}
HIT = re.compile(r'data-testid="search-hit" data-post-id="(\d+)" data-language="([a-z]+)"')


@pytest.fixture(scope="module")
def fast() -> Embedder:
    return shared_embedder("use-multilingual", threads=2)


def add_posts(
    rows: Rows, engine: Engine, fast: Embedder, texts: dict[str, str], tag: str
) -> dict[int, str]:
    """Posts with their fast vectors stored, as the embedding stage stores them."""
    collection = rows.collection()
    ids = {
        rows.post(collection, text=text, detected_language=lang, external_id=f"{tag}-{lang}"): lang
        for lang, text in texts.items()
    }
    vectors = fast.embed([texts[lang] for lang in ids.values()])
    with engine.begin() as conn:
        write_vectors(
            conn,
            space="fast",
            model=fast.name,
            version=fast.version,
            vectors=[(pid, to_bytes(v), fast.dim) for pid, v in zip(ids, vectors, strict=True)],
        )
    return ids


@pytest.fixture
def corpus(rows: Rows, engine: Engine, fast: Embedder) -> tuple[dict[int, str], dict[int, str]]:
    return (
        add_posts(rows, engine, fast, EVACUATION, "evac"),
        add_posts(rows, engine, fast, UNRELATED, "other"),
    )


def test_indonesian_query_finds_the_same_meaning_in_other_languages(
    engine: Engine, fast: Embedder, corpus: tuple[dict[int, str], dict[int, str]]
) -> None:
    evacuation, unrelated = corpus
    service = SemanticSearch(engine, lambda space: fast)
    result = service.search("biaya evakuasi", limit=9)
    assert result.space == "fast" and result.model == fast.name
    assert result.indexed == 9 and result.posts == 9
    ranked = [hit.post.id for hit in result.hits]
    assert set(ranked[:4]) == set(evacuation), [
        (h.post.language, h.similarity) for h in result.hits
    ]
    worst_match = min(hit.similarity for hit in result.hits[:4])
    best_other = max(hit.similarity for hit in result.hits if hit.post.id in unrelated)
    assert worst_match > best_other + 0.05
    assert {result.hits[i].post.language for i in range(4)} == {"es", "ar", "zh", "en"}


def test_filters_and_new_vectors(
    rows: Rows, engine: Engine, fast: Embedder, corpus: tuple[dict[int, str], dict[int, str]]
) -> None:
    service = SemanticSearch(engine, lambda space: fast)
    spanish = service.search("biaya evakuasi", PostFilters(language="es"), limit=5)
    assert [hit.post.language for hit in spanish.hits] == ["es", "es"]
    assert spanish.hits[0].post.text == EVACUATION["es"]
    # Vectors written after the index was loaded are found by the next search.
    added = add_posts(
        rows, engine, fast, {"fr": "Qui paie l'évacuation des ressortissants ?"}, "new"
    )
    again = service.search("biaya evakuasi", PostFilters(language="fr"), limit=1)
    assert again.indexed == 10
    assert [hit.post.id for hit in again.hits] == list(added)


def test_space_choice() -> None:
    half = SpaceState(50, 50, (("e5", "1", 50),))
    few = SpaceState(10, 10, (("e5", "1", 10),))
    fast = SpaceState(100, 100, (("use", "1", 100),))
    assert choose_space(100, {"accurate": half, "fast": fast}) == "accurate"
    assert choose_space(100, {"accurate": few, "fast": fast}) == "fast"
    assert choose_space(100, {"accurate": few}) == "accurate"
    assert choose_space(100, {}) is None


def test_search_page_shows_language_similarity_and_links(
    client: TestClient,
    signed_in: Callable[[Role], str],
    settings: object,
    corpus: tuple[dict[int, str], dict[int, str]],
) -> None:
    evacuation, _ = corpus
    signed_in(Role.VIEWER)
    page = client.get("/listen/search", params={"q": "biaya evakuasi"})
    assert page.status_code == 200
    assert 'data-space="fast"' in page.text and 'data-indexed="9"' in page.text
    hits = HIT.findall(page.text)
    assert {int(pid) for pid, _ in hits[:4]} == set(evacuation)
    assert {lang for _, lang in hits[:4]} == {"es", "ar", "zh", "en"}
    assert f'href="/listen/posts/{hits[0][0]}"' in page.text
    assert "similarity" in page.text
    api = client.get("/api/v1/search", params={"q": "biaya evakuasi", "limit": 4}).json()
    assert {hit["post"]["id"] for hit in api["hits"]} == set(evacuation)
    assert api["space"] == "fast" and api["indexed"] == 9


def test_without_vectors_the_page_says_what_to_do(
    client: TestClient, signed_in: Callable[[Role], str], rows: Rows
) -> None:
    rows.post(rows.collection(), text="no vector yet")
    signed_in(Role.VIEWER)
    page = client.get("/listen/search", params={"q": "biaya evakuasi"})
    assert page.status_code == 200
    assert "ediplomacy analyze" in page.text and 'data-indexed="0"' in page.text
    empty = client.get("/api/v1/search").json()
    assert empty["indexed"] == 0 and empty["hits"] == [] and empty["posts"] == 1
    problem = client.get("/api/v1/search", params={"q": "biaya evakuasi"})
    assert problem.status_code == 400
    assert "ediplomacy analyze" in problem.json()["detail"]


def test_anonymous_visitors_sign_in_first(client: TestClient) -> None:
    assert client.get("/listen/search").headers["location"].startswith("/login")
    assert client.get("/api/v1/search", params={"q": "x"}).status_code == 401


def test_near_identical_copies_fold_into_one_hit(
    rows: Rows, engine: Engine, fast: Embedder
) -> None:
    """A copy-paste campaign shows once, with its count, so other languages reach the page."""
    base = (
        "Ada yang bisa konfirmasi soal biaya evakuasi 2.000 dolar ini? Kok beda dengan info resmi"
    )
    copies = {f"c{n}": f"{base}{suffix}" for n, suffix in enumerate(["", ".", " Mantap!", "!!"])}
    translation = {"es": "¿Alguien puede confirmar esta tarifa de evacuación de 2.000 dólares?"}
    folded = add_posts(rows, engine, fast, copies, "copy")
    spanish = add_posts(rows, engine, fast, translation, "tr")
    result = SemanticSearch(engine, lambda space: fast).search("biaya evakuasi 2.000 dolar")
    ids = [hit.post.id for hit in result.hits]
    assert len(set(ids) & set(folded)) == 1, "the four copies fold into one hit"
    assert result.hits[0].repeats == 3
    assert set(spanish) <= set(ids)
