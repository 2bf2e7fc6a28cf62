"""The dashboard page and GET /api/v1/dashboard: figures, text alternatives, drill-down links
that open the explorer on exactly the posts a chart counted, and the empty database."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from ediplomacy.domain.people import Role
from ediplomacy.store.schema import post_facets
from tests.web.conftest import Rows

T0 = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)  # a Monday
DATA = re.compile(r'<script type="application/json" id="dashboard-data">(.*?)</script>', re.S)
TOTAL = re.compile(r'data-testid="result-count" data-total="(\d+)"')


def facet(engine: Engine, post_id: int, name: str, value: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            post_facets.insert().values(post_id=post_id, facet=name, value=value, stage="test")
        )


@pytest.fixture
def seeded(rows: Rows, engine: Engine) -> list[int]:
    """Twelve posts over three days from three countries, with facets, tags and links."""
    c = rows.collection()
    ids = []
    plan = [
        # (hours after T0, country, sentiment, score, platform, hashtags, urls, likes)
        (0, "MY", "negative", -0.7, "x", ["Natuna"], ["https://news.example.my/a"], 5),
        (0, "MY", "negative", -0.5, "x", ["natuna"], [], 1),
        (1, "ID", "positive", 0.8, "bluesky", ["Natuna", "laut"], ["https://kemlu.go.id/x"], 50),
        (2, "ID", "neutral", 0.0, "x", [], ["https://kemlu.go.id/y"], 0),
        (5, None, None, None, "mastodon", ["laut"], [], 2),
        (26, "SG", "negative", -0.2, "x", [], ["https://news.example.my/a"], 3),
        (27, "MY", "positive", 0.4, "x", ["Natuna"], [], 8),
        (28, "ID", "positive", 0.9, "bluesky", [], [], 13),
        (49, "ID", "negative", -0.9, "x", ["evakuasi"], [], 21),
        (50, "MY", "neutral", 0.1, "x", [], [], 0),
        (51, None, "negative", -0.3, "mastodon", ["Natuna"], [], 1),
        (52, "SG", "positive", 0.5, "x", [], [], 4),
    ]
    for n, (hours, country, mood, score, platform, tags, urls, likes) in enumerate(plan):
        post_id = rows.post(
            c,
            created_at=T0 + timedelta(hours=hours),
            author_country=country,
            sentiment=mood,
            sentiment_score=score,
            platform=platform,
            hashtags=tags,
            canonical_urls=urls,
            like_count=likes,
            author_handle=f"author{n % 4}",
            detected_language="id" if n % 3 == 0 else "en",
        )
        ids.append(post_id)
    for post_id in ids[:4]:
        facet(engine, post_id, "topic", "citizen-protection")
    facet(engine, ids[5], "topic", "disaster")
    facet(engine, ids[0], "country_mentioned", "ID")
    facet(engine, ids[2], "country_mentioned", "ID")
    facet(engine, ids[2], "country_mentioned", "MY")
    facet(engine, ids[6], "country_mentioned", "SG")
    facet(engine, ids[0], "stance:indonesia", "against")
    facet(engine, ids[2], "stance:indonesia", "favour")
    facet(engine, ids[7], "stance:indonesia", "favour")
    return ids


def chart_data(page: str) -> dict[str, Any]:
    match = DATA.search(page)
    assert match, "the page has no dashboard data block"
    data: dict[str, Any] = json.loads(html.unescape(match.group(1)))
    return data


def explorer_total(client: TestClient, url: str) -> int:
    page = client.get(url)
    assert page.status_code == 200, url
    match = TOTAL.search(page.text)
    assert match, url
    return int(match.group(1))


def drill_url(data: dict[str, Any], *parts: dict[str, str]) -> str:
    merged = dict(data["filters"])
    for part in parts:
        merged |= part
    return "/listen?" + urlencode(merged)


def test_empty_database_says_what_to_do(
    client: TestClient, signed_in: Callable[[Role], str]
) -> None:
    signed_in(Role.VIEWER)
    page = client.get("/listen/dashboard")
    assert page.status_code == 200
    assert 'data-testid="dashboard-empty"' in page.text
    assert "ediplomacy import" in page.text and "ediplomacy analyze" in page.text
    api = client.get("/api/v1/dashboard").json()
    assert api["posts_in_database"] == 0 and api["coverage"]["posts"] == 0


def test_page_shows_charts_and_tables(
    client: TestClient, signed_in: Callable[[Role], str], seeded: list[int]
) -> None:
    signed_in(Role.ANALYST)
    page = client.get("/listen/dashboard", params={"bucket": "day"})
    assert page.status_code == 200
    for chart in ("chart-volume", "chart-sentiment", "chart-voice", "chart-map"):
        assert f'id="{chart}"' in page.text and 'role="img"' in page.text
    for table in ("table-volume", "table-sentiment", "table-voice", "table-map", "top-hashtags"):
        assert f'id="{table}"' in page.text
    assert 'data-posts="12"' in page.text
    data = chart_data(page.text)
    assert data["bucket"] == "day"
    assert data["filters"] == {"since": "2026-03-09", "until": "2026-03-11"}
    assert len(data["bucket_labels"]) == 3
    volume = {s["key"]: s["counts"] for s in data["volume"]["series"]}
    assert volume == {"MY": [2, 1, 1], "ID": [2, 1, 1], "SG": [0, 1, 1], "und": [1, 0, 1]}
    sentiment = {s["key"]: s["counts"] for s in data["sentiment"]["series"]}
    assert sentiment == {"negative": [2, 1, 2], "neutral": [1, 0, 1], "positive": [1, 2, 1]}
    voice = {s["key"]: s["counts"] for s in data["share_of_voice"]["series"]}
    assert voice["ID"] == [2, 0, 0] and voice["MY"] == [1, 0, 0] and voice["SG"] == [0, 1, 0]
    assert [s["target"] for s in data["stance"]] == ["indonesia", "foreign-policy"]
    stance = {s["key"]: s["counts"] for s in data["stance"][0]["chart"]["series"]}
    assert stance == {"favour": [1, 1, 0], "against": [1, 0, 0], "neutral": [0, 0, 0]}
    by_code = {m["code"]: m for m in data["map"]}
    assert by_code["ID"]["numeric"] == "360" and by_code["ID"]["posts"] == 4
    assert by_code["MY"]["sentiment"] == pytest.approx(-0.175)


def test_every_chart_element_drills_down_to_its_posts(
    client: TestClient, signed_in: Callable[[Role], str], seeded: list[int]
) -> None:
    signed_in(Role.VIEWER)
    page = client.get("/listen/dashboard", params={"bucket": "hour", "platform": "x"})
    data = chart_data(page.text)
    assert data["filters"]["platform"] == "x"
    charts = [data["volume"], data["sentiment"], data["share_of_voice"]]
    charts += [stance["chart"] for stance in data["stance"]]
    checked = 0
    for chart in charts:
        for series in chart["series"]:
            for index, count in enumerate(series["counts"]):
                if count:
                    url = drill_url(data, series["params"], data["windows"][index])
                    assert explorer_total(client, url) == count, url
                    checked += 1
            assert explorer_total(client, drill_url(data, series["params"])) == series["total"]
    for country in data["map"]:
        assert explorer_total(client, drill_url(data, country["params"])) == country["posts"]
    assert checked >= 15


def test_top_lists_link_to_their_posts(
    client: TestClient, signed_in: Callable[[Role], str], seeded: list[int]
) -> None:
    signed_in(Role.VIEWER)
    api = client.get("/api/v1/dashboard", params={"since": "2026-03-09"}).json()
    tags = {row["key"]: row["count"] for row in api["hashtags"]}
    assert tags == {"natuna": 5, "laut": 2, "evakuasi": 1}
    domains = {row["key"]: row["count"] for row in api["domains"]}
    assert domains == {"news.example.my": 2, "kemlu.go.id": 2}
    assert api["top_posts"][0]["engagement"] == 50
    assert api["top_posts"][0]["post"]["id"] == seeded[2]
    for name in ("hashtags", "domains", "urls", "top_actors"):
        assert api[name], name
        for row in api[name]:
            url = drill_url(api, row["params"])
            assert explorer_total(client, url) == row["count"], url
    # The page's rows are links to the same addresses.
    page = client.get("/listen/dashboard", params={"since": "2026-03-09"}).text
    assert 'href="/listen?since=2026-03-09&amp;until=2026-03-11&amp;hashtag=natuna"' in page


def test_filters_narrow_every_figure(
    client: TestClient, signed_in: Callable[[Role], str], seeded: list[int]
) -> None:
    signed_in(Role.VIEWER)
    api = client.get(
        "/api/v1/dashboard", params={"country": "my", "sentiment": "negative", "by": "platform"}
    ).json()
    assert api["coverage"]["posts"] == 2
    assert api["filters"]["country"] == "MY" and api["filters"]["sentiment"] == "negative"
    assert {s["key"]: s["total"] for s in api["volume"]["series"]} == {"x": 2}
    topic = client.get("/api/v1/dashboard", params={"topic": "citizen-protection"}).json()
    assert topic["coverage"]["posts"] == 4


def test_bad_input(client: TestClient, signed_in: Callable[[Role], str], seeded: list[int]) -> None:
    signed_in(Role.VIEWER)
    page = client.get("/listen/dashboard", params={"since": "9 March", "bucket": "fortnight"})
    assert page.status_code == 200
    assert "&#39;9 March&#39; is not a date" in page.text
    assert client.get("/api/v1/dashboard", params={"bucket": "fortnight"}).status_code == 422
    assert client.get("/api/v1/dashboard", params={"since": "9 March"}).status_code == 422


def test_hourly_steps_over_a_long_range_are_coarsened(
    client: TestClient, signed_in: Callable[[Role], str], seeded: list[int]
) -> None:
    signed_in(Role.VIEWER)
    api = client.get(
        "/api/v1/dashboard", params={"since": "2025-01-01", "until": "2026-03-11", "bucket": "hour"}
    ).json()
    assert api["bucket"] == "week" and api["bucket_coarsened"] is True
    assert len(api["buckets"]) <= 400


def test_anonymous_visitors_sign_in_first(client: TestClient) -> None:
    assert client.get("/listen/dashboard").headers["location"].startswith("/login")
    assert client.get("/api/v1/dashboard").status_code == 401
