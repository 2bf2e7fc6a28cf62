"""Listen: the global-opinion dashboard page and GET /api/v1/dashboard."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from ediplomacy.domain.posts import PLATFORMS
from ediplomacy.listen.dashboard import (
    SENTIMENTS,
    STANCES,
    Dashboard,
    DashboardQuery,
    build_dashboard,
)
from ediplomacy.listen.topic_runs import latest_run
from ediplomacy.nlp.profile import ListenProfile, load_profile
from ediplomacy.security.access import Area
from ediplomacy.store.aggregates import Bucket, Dimension
from ediplomacy.web.access import Visitor, require_area
from ediplomacy.web.forms import form_date
from ediplomacy.web.i18n import Translator
from ediplomacy.web.rendering import FlashKind, render, translator
from ediplomacy.web.state import web_state

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1", tags=["api"])
DASHBOARD_TOPICS = 5  # emerging topics in the dashboard's panel (all: /listen/topics)


def profile_of(request: Request) -> ListenProfile:
    return load_profile(web_state(request).settings.resolved_listen_profile())


def labels(t: Translator) -> dict[str, str]:
    """Translated names of the fixed values the service shows."""
    found = {f"platform.{p}": t.get(f"platform.{p}", p) for p in PLATFORMS}
    found |= {f"sentiment.{s}": t(f"dashboard.sentiment.{s}") for s in (*SENTIMENTS, "und")}
    found |= {f"stance.{s}": t(f"dashboard.stance.{s}") for s in STANCES}
    found |= {"country.und": t("dashboard.country_unknown"), "language.und": t("language.und")}
    return found


def chart_data(dashboard: Dashboard) -> dict[str, Any]:
    """What static/js/dashboard.js draws: the time series, the map, the drill-down filters."""
    keep = ("bucket", "bucket_labels", "windows", "by", "filters", "volume", "sentiment")
    data: dict[str, Any] = {name: getattr(dashboard, name) for name in keep}
    data |= {"stance": dashboard.stance, "share_of_voice": dashboard.share_of_voice}
    data["map"] = dashboard.map
    encoded: dict[str, Any] = jsonable_encoder(data)
    return encoded


@router.get("/listen/dashboard")
def dashboard_page(
    request: Request,
    since: str = "",
    until: str = "",
    bucket: str = "",
    by: str = Dimension.COUNTRY.value,
    platform: str = "",
    language: str = "",
    country: str = "",
    topic: str = "",
    sentiment: str = "",
    visitor: Visitor = require_area(Area.LISTEN),
) -> Response:
    """Filters come as plain text so that a mistyped date is explained instead of refused."""
    problems: list[str] = []
    query = DashboardQuery(
        since=form_date(since, problems),
        until=form_date(until, problems),
        bucket=Bucket(bucket) if bucket in tuple(Bucket) else None,
        by=Dimension(by) if by in tuple(Dimension) else Dimension.COUNTRY,
        platform=platform if platform in PLATFORMS else None,
        language=language.strip().lower() or None,
        country=country.strip().upper() or None,
        topic=topic.strip() or None,
        sentiment=sentiment if sentiment in (*SENTIMENTS, "und") else None,
    )
    state = web_state(request)
    t = translator(request, visitor)
    profile = profile_of(request)
    dashboard = build_dashboard(state.engine, profile, query, locale=t.locale, labels=labels(t))
    messages: list[tuple[FlashKind, str]] = [
        ("error", t("explorer.bad_date", value=value)) for value in problems
    ]
    form = {
        "since": dashboard.filters.get("since", ""),
        "until": dashboard.filters.get("until", ""),
        "bucket": bucket if query.bucket else "",
        "by": query.by.value,
        "platform": query.platform or "",
        "language": query.language or "",
        "country": query.country or "",
        "topic": query.topic or "",
        "sentiment": query.sentiment or "",
    }

    def explore(*params: dict[str, str]) -> str:
        """The explorer's address for the dashboard's filters narrowed by `params`."""
        merged = dict(dashboard.filters)
        for part in params:
            merged |= part
        return "/listen?" + urlencode(merged)

    context = {
        "dashboard": dashboard,
        "explore": explore,
        "last_day": dashboard.end.date() - timedelta(days=1),
        "chart_data": chart_data(dashboard),
        "form": form,
        "platforms": PLATFORMS,
        "languages": state.settings.languages,
        "topics": [(topic.id, topic.label(t.locale)) for topic in profile.topics],
        "buckets": list(Bucket),
        "dimensions": list(Dimension),
        "sentiments": SENTIMENTS,
        "profile": profile,
        "emerging": latest_run(state.engine, limit=DASHBOARD_TOPICS, samples=0),
    }
    return render(request, visitor, "dashboard.html", context, messages=messages)


@api_router.get("/dashboard", summary="The dashboard's aggregates", response_model=Dashboard)
def dashboard_api(
    request: Request,
    since: Annotated[date | None, Query(description="first UTC day, inclusive")] = None,
    until: Annotated[date | None, Query(description="last UTC day, inclusive")] = None,
    bucket: Annotated[
        Bucket | None, Query(description="hour, day or week; default: by range")
    ] = None,
    by: Annotated[
        Dimension, Query(description="what the volume is stacked by")
    ] = Dimension.COUNTRY,
    platform: str | None = None,
    language: Annotated[str | None, Query(description="detected, else declared; 'und'")] = None,
    country: Annotated[
        str | None, Query(description="author's country, ISO alpha-2; 'und'")
    ] = None,
    topic: Annotated[str | None, Query(description="a topic id of the listening profile")] = None,
    sentiment: Annotated[str | None, Query(description="positive, neutral, negative, und")] = None,
    visitor: Visitor = require_area(Area.LISTEN),
) -> Response:
    """Volume, sentiment, stance and share of voice per bucket, top lists and map figures."""
    query = DashboardQuery(
        since, until, bucket, by, platform, language, country and country.upper(), topic, sentiment
    )
    t = translator(request, visitor)
    dashboard = build_dashboard(
        web_state(request).engine, profile_of(request), query, locale=t.locale, labels=labels(t)
    )
    # Encoded directly: validating thousands of counts against the model took longer than
    # computing them (the model still documents the response in the OpenAPI document).
    return JSONResponse(jsonable_encoder(dashboard))
