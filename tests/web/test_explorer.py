"""The posts explorer and GET /api/v1/posts: filters, search, sort and pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from ediplomacy.domain.people import Role
from tests.web.conftest import NOW, Rows


@pytest.fixture
def sample(rows: Rows, client: TestClient, signed_in: Callable[[Role], str]) -> dict[str, int]:
    collection = rows.collection()
    ids = {
        "natuna": rows.post(
            collection,
            text="Kapal nelayan asing terlihat di perairan Natuna",
            language="in",
            detected_language="id",
            author_handle="Kemlu_RI",
            like_count=50,
            repost_count=5,
            created_at=NOW - timedelta(days=2),
        ),
        "reply": rows.post(
            collection,
            text="Natuna is Indonesian waters",
            language="en",
            author_handle="jakartapost",
            reply_to_external_id="ext-1",
            like_count=10,
            repost_count=40,
            created_at=NOW - timedelta(days=1),
        ),
        "repost": rows.post(
            collection,
            platform="bluesky",
            text="RT fishing boats seen near Natuna",
            language="en",
            author_handle="citizen",
            repost_of_external_id="ext-1",
            like_count=None,
            created_at=NOW,
        ),
        "unknown": rows.post(
            collection, text='A post "quoted" with OR and NEAR( words', language=None
        ),
    }
    signed_in(Role.ANALYST)
    return ids


def found(client: TestClient, **params: str | int) -> list[int]:
    response = client.get("/api/v1/posts", params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_filters(client: TestClient, sample: dict[str, int]) -> None:
    assert set(found(client, platform="bluesky")) == {sample["repost"]}
    assert set(found(client, language="id")) == {sample["natuna"]}  # detected beats declared
    assert set(found(client, language="und")) == {sample["unknown"]}
    assert set(found(client, author="@kemlu_ri")) == {sample["natuna"]}
    assert set(found(client, replies="only")) == {sample["reply"]}
    assert sample["reply"] not in found(client, replies="none")
    assert set(found(client, reposts="only")) == {sample["repost"]}
    day = NOW.date()
    assert set(found(client, since=str(day - timedelta(days=1)), until=str(day))) == {
        sample["reply"],
        sample["repost"],
        sample["unknown"],
    }
    assert set(found(client, until=str(day - timedelta(days=2)))) == {sample["natuna"]}


def test_search_quotes_the_users_words(client: TestClient, sample: dict[str, int]) -> None:
    assert set(found(client, q="natuna")) == {sample["natuna"], sample["reply"], sample["repost"]}
    assert set(found(client, q="Natuna nelayan")) == {sample["natuna"]}  # every word
    assert set(found(client, q="natuna", platform="x")) == {sample["natuna"], sample["reply"]}
    # FTS syntax in the box is taken as words, never as operators or an error.
    for query in ('"quoted', "OR", "NEAR(", "natuna OR", "*", "a AND"):
        assert client.get("/api/v1/posts", params={"q": query}).status_code == 200
    assert set(found(client, q='"quoted" OR')) == {sample["unknown"]}


def test_sort(client: TestClient, sample: dict[str, int]) -> None:
    assert found(client, sort="most_liked")[:2] == [sample["natuna"], sample["reply"]]
    assert found(client, sort="most_liked")[-1] in (sample["repost"], sample["unknown"])
    assert found(client, sort="most_reposted")[0] == sample["reply"]
    assert found(client, sort="oldest")[0] == sample["natuna"]
    assert found(client, sort="newest")[0] in (sample["repost"], sample["unknown"])


def test_pages(client: TestClient, rows: Rows, signed_in: Callable[[Role], str]) -> None:
    collection = rows.collection()
    ids = [rows.post(collection, created_at=NOW - timedelta(minutes=n)) for n in range(30)]
    signed_in(Role.VIEWER)
    first = client.get("/api/v1/posts", params={"per_page": 25}).json()
    assert (first["total"], first["pages"], len(first["items"])) == (30, 2, 25)
    second = client.get("/api/v1/posts", params={"per_page": 25, "page": 2}).json()
    assert [item["id"] for item in second["items"]] == ids[25:]
    html = client.get("/listen").text
    assert 'data-total="30"' in html and html.count('data-testid="post-row"') == 25
    assert 'data-testid="page-next"' in html and 'href="/listen?sort=newest&amp;page=2"' in html
    page_two = client.get("/listen?page=2").text
    assert page_two.count('data-testid="post-row"') == 5 and 'data-testid="page-prev"' in page_two


def test_explorer_page_and_htmx_partial(client: TestClient, sample: dict[str, int]) -> None:
    html = client.get("/listen", params={"q": "natuna", "sort": "most_liked"}).text
    assert "<html" in html and 'id="post-filters"' in html
    assert 'data-total="3"' in html
    assert html.index(f'data-post-id="{sample["natuna"]}"') < html.index(
        f'data-post-id="{sample["reply"]}"'
    )
    partial = client.get(
        "/listen",
        params={"platform": "bluesky"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    ).text
    assert "<html" not in partial and 'data-total="1"' in partial
    assert 'hx-target="#results"' in html


def test_a_mistyped_date_is_explained_not_refused(
    client: TestClient, sample: dict[str, int]
) -> None:
    response = client.get("/listen", params={"since": "31/12/2026"})
    assert response.status_code == 200
    assert "&#39;31/12/2026&#39; is not a date" in response.text
    assert 'data-total="4"' in response.text
    assert client.get("/api/v1/posts", params={"since": "31/12/2026"}).status_code == 422


def test_nothing_found_says_what_to_try(client: TestClient, sample: dict[str, int]) -> None:
    html = client.get("/listen", params={"q": "zzzz"}).text
    assert 'data-testid="no-results"' in html and "Remove a filter" in html
