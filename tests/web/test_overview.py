"""The overview's figures come from the rows in the database, and nothing else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient

from ediplomacy.domain.people import Role
from tests.web.conftest import NOW, Rows


def figure(html: str, testid: str) -> str:
    marker = f'data-testid="{testid}" data-value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_empty_database_says_what_to_do(
    client: TestClient, signed_in: Callable[[Role], str]
) -> None:
    signed_in(Role.VIEWER)
    html = client.get("/").text
    assert figure(html, "total-posts") == "0"
    assert 'data-testid="overview-empty"' in html
    assert "chart-posts-per-day" not in html  # no empty chart pretending to be data
    stats = client.get("/api/v1/stats/overview").json()
    assert stats["per_day"] == [] and stats["platforms"] == []


def test_figures_and_chart_data(
    client: TestClient, signed_in: Callable[[Role], str], rows: Rows
) -> None:
    old = rows.collection(name="first import", started_at=NOW - timedelta(days=2))
    new = rows.collection(name="second import", status="failed", rejected_count=7, error="bad line")
    rows.post(old, platform="x", language="en", created_at=NOW - timedelta(days=3))
    rows.post(old, platform="x", language="en", detected_language="id", created_at=NOW)
    rows.post(old, platform="bluesky", language=None, created_at=NOW)
    rows.post(new, platform="mastodon", language="id", created_at=NOW - timedelta(hours=1))
    rows.actor(external_id="a1", handle="kemlu_ri")
    signed_in(Role.VIEWER)

    html = client.get("/").text
    assert (figure(html, "total-posts"), figure(html, "total-actors")) == ("4", "1")
    assert figure(html, "total-collections") == "2"
    for chart in ("chart-posts-per-day", "chart-platforms", "chart-languages"):
        assert f'id="{chart}"' in html
    assert "/static/vendor/chartjs/chart.umd.min.js" in html

    stats = client.get("/api/v1/stats/overview").json()
    assert (stats["posts"], stats["actors"], stats["collections"]) == (4, 1, 2)
    day = NOW.date()
    assert stats["per_day"] == [
        {"day": str(day - timedelta(days=3)), "count": 1},
        {"day": str(day - timedelta(days=2)), "count": 0},
        {"day": str(day - timedelta(days=1)), "count": 0},
        {"day": str(day), "count": 3},
    ]
    assert {p["label"]: p["count"] for p in stats["platforms"]} == {
        "x": 2,
        "bluesky": 1,
        "mastodon": 1,
    }
    # detected language first, the platform's declared one otherwise, 'und' when neither
    assert {p["label"]: p["count"] for p in stats["languages"]} == {"id": 2, "en": 1, "und": 1}
    latest = stats["latest_collections"]
    assert [c["name"] for c in latest] == ["second import", "first import"]
    assert (latest[0]["status"], latest[0]["rejected_count"], latest[0]["error"]) == (
        "failed",
        7,
        "bad line",
    )
    assert 'data-testid="collection-rejected">7<' in html
    assert "bad line" in html and "Failed" in html


def test_per_day_covers_the_last_90_days_of_data(
    client: TestClient, signed_in: Callable[[Role], str], rows: Rows
) -> None:
    collection = rows.collection()
    rows.post(collection, created_at=NOW - timedelta(days=200))
    rows.post(collection, created_at=NOW - timedelta(days=89))
    rows.post(collection, created_at=NOW)
    signed_in(Role.ANALYST)
    per_day = client.get("/api/v1/stats/overview").json()["per_day"]
    assert len(per_day) == 90
    assert sum(day["count"] for day in per_day) == 2
