"""The dashboard service's pure parts: time steps, bucket edges, drill-down parameters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from ediplomacy.listen.dashboard import (
    MAX_BUCKETS,
    bucket_list,
    bucket_window,
    choose_bucket,
    explorer_params,
    floor,
)
from ediplomacy.store.aggregates import Bucket
from ediplomacy.store.queries import PostFilters
from ediplomacy.web.routes.drilldown import DrillDown

START = datetime(2026, 11, 16, tzinfo=UTC)  # a Monday


def test_automatic_step_follows_the_range() -> None:
    assert choose_bucket(START, START + timedelta(days=2), None) == (Bucket.HOUR, False)
    assert choose_bucket(START, START + timedelta(days=7), None) == (Bucket.DAY, False)
    assert choose_bucket(START, START + timedelta(days=400), None) == (Bucket.WEEK, False)


def test_a_step_too_fine_for_the_range_is_coarsened() -> None:
    bucket, coarsened = choose_bucket(START, START + timedelta(days=30), Bucket.HOUR)
    assert (bucket, coarsened) == (Bucket.DAY, True)
    assert len(bucket_list(START, START + timedelta(days=30), bucket)) <= MAX_BUCKETS


def test_weeks_start_on_monday_and_windows_are_clipped() -> None:
    sunday = datetime(2026, 11, 22, 23, 59, tzinfo=UTC)
    assert floor(sunday, Bucket.WEEK) == START
    begin = START + timedelta(days=3)
    buckets = bucket_list(begin, begin + timedelta(days=8), Bucket.WEEK)
    assert buckets == [START, START + timedelta(days=7)]
    assert bucket_window(buckets[0], Bucket.WEEK, begin, begin + timedelta(days=8)) == {
        "start": "2026-11-19T00:00:00Z",
        "end": "2026-11-23T00:00:00Z",
    }


def test_explorer_parameters_read_back_into_the_same_filters() -> None:
    filters = PostFilters(
        platform="x",
        since=date(2026, 11, 16),
        sentiment="negative",
        author_country="MY",
        mentioned="ID",
        topic="disaster",
        stance_target="indonesia",
        stance="against",
        hashtag="natuna",
        domain="kemlu.go.id",
        url="https://kemlu.go.id/a",
        start=START,
        end=START + timedelta(hours=1),
    )
    params = explorer_params(filters)
    assert params["country"] == "MY" and params["start"] == "2026-11-16T00:00:00Z"
    drill = {name: value for name, value in params.items() if name not in ("platform", "since")}
    problems: list[str] = []
    back = PostFilters(
        platform="x", since=date(2026, 11, 16), **DrillDown(**drill).filters(problems)
    )
    assert back == filters and problems == []


def test_a_bad_time_is_reported_not_fatal() -> None:
    problems: list[str] = []
    assert DrillDown(start="yesterday", hashtag="x").filters(problems) == {"hashtag": "x"}
    assert problems == ["yesterday"]
