"""A post's page: text, author, metrics, relations, links, payload, provenance, results."""

from __future__ import annotations

import html as html_lib
from collections.abc import Callable

from fastapi.testclient import TestClient

from ediplomacy.domain.people import Role
from tests.web.conftest import Rows


def test_post_page_shows_everything_known(
    client: TestClient, signed_in: Callable[[Role], str], rows: Rows
) -> None:
    collection = rows.collection(name="Natuna search", format="x-v2")
    original = rows.post(collection, external_id="100", text="The original")
    reply = rows.post(
        collection,
        external_id="200",
        author_external_id="u-7",
        author_handle="kemlu_ri",
        text="Indonesia's position is clear.\nSee the statement.",
        reply_to_external_id="100",
        quote_of_external_id="999",
        urls=["https://t.co/abc", "javascript:alert(1)"],
        canonical_urls=["https://kemlu.go.id/statement", "javascript:alert(1)"],
        hashtags=["Natuna"],
        mentions=["jakartapost"],
        metrics={"like_count": 12, "impression_count": 3400},
        like_count=12,
        raw={"data": {"id": "200", "text": "<script>alert(1)</script>"}, "__twarc": {"v": "2"}},
        source="natuna.jsonl:42",
        tool_version="0.1.0+test",
    )
    rows.actor(external_id="u-7", handle="kemlu_ri", name="Kemlu RI", followers_count=2_500_000)
    rows.enrichment(reply, "language", {"language": "en", "confidence": 0.97}, model="lingua")
    signed_in(Role.VIEWER)

    page = client.get(f"/listen/posts/{reply}")
    assert page.status_code == 200
    html = page.text
    text = html_lib.unescape(html)
    assert "Indonesia's position is clear.\nSee the statement." in text
    assert "Kemlu RI" in html and "2,500,000 followers" in html
    assert "3,400" in html  # a metric beyond likes/reposts/replies
    assert f'href="/listen/posts/{original}"' in html  # reply target is in the database
    assert "999" in html and "(not in the database)" in html
    assert 'href="https://kemlu.go.id/statement"' in html
    assert 'href="javascript:' not in html
    assert "#Natuna" in html and "@jakartapost" in html
    # the raw payload, pretty-printed and escaped
    assert 'id="post-raw"' in html
    assert '"__twarc": {\n    "v": "2"\n  }' in text
    assert "<script>alert(1)</script>" not in html
    # provenance
    assert "Natuna search" in html and "natuna.jsonl:42" in html and "0.1.0+test" in html
    assert "10 Mar 2026, 12:00 UTC" in html
    assert 'data-stage="language"' in html and "lingua" in html and "0.97" in html


def test_missing_post(client: TestClient, signed_in: Callable[[Role], str]) -> None:
    signed_in(Role.VIEWER)
    page = client.get("/listen/posts/12345")
    assert page.status_code == 404
    assert "does not exist" in page.text
    api = client.get("/api/v1/posts/12345")
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/problem+json"
    assert "search for it in Listen" in api.json()["detail"]
