"""Listen: the overview of what was collected, the posts explorer and the post page."""

from __future__ import annotations

from typing import Annotated, get_args
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response

from ediplomacy.domain.posts import PLATFORMS
from ediplomacy.integrity import claim_queue
from ediplomacy.listen import watch
from ediplomacy.security.access import Area
from ediplomacy.store import queries
from ediplomacy.store.queries import PostFilters, Presence, Sort
from ediplomacy.web.access import Visitor, require_area
from ediplomacy.web.forms import form_date
from ediplomacy.web.rendering import FlashKind, render, translator
from ediplomacy.web.routes.drilldown import DrillDown
from ediplomacy.web.state import web_state

router = APIRouter(include_in_schema=False)
PRESENCES: tuple[str, ...] = get_args(Presence)
PER_PAGE = 25


@router.get("/")
def overview_page(request: Request, visitor: Visitor = require_area(Area.OVERVIEW)) -> Response:
    figures = queries.overview(web_state(request).engine)
    return render(request, visitor, "overview.html", {"overview": figures})


def _choice(value: str, allowed: tuple[str, ...], default: str) -> str:
    return value if value in allowed else default


def _page_url(form: dict[str, str], number: int) -> str:
    """The explorer's address for another page of the same results."""
    kept = {name: value for name, value in form.items() if value and value != "any"}
    return "/listen?" + urlencode({**kept, "page": number})


@router.get("/listen")
def explorer_page(
    request: Request,
    q: str = "",
    platform: str = "",
    language: str = "",
    since: str = "",
    until: str = "",
    author: str = "",
    replies: str = "any",
    reposts: str = "any",
    sort: str = Sort.NEWEST.value,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    drill: DrillDown = Depends(),
    visitor: Visitor = require_area(Area.LISTEN),
) -> Response:
    """Filters come as plain text so a mistyped date is explained instead of refused."""
    problems: list[str] = []
    state = web_state(request)
    drilled = drill.filters(problems)
    if "rule_match" in drilled:  # posts a watch rule matches (the alerts link here)
        drilled["rule_match"] = watch.rule_match(state.engine, drilled["rule_match"])
    filters = PostFilters(
        platform=platform if platform in PLATFORMS else None,
        language=language.strip().lower() or None,
        since=form_date(since, problems),
        until=form_date(until, problems),
        author=author.strip() or None,
        replies=_choice(replies, PRESENCES, "any"),  # type: ignore[arg-type]
        reposts=_choice(reposts, PRESENCES, "any"),  # type: ignore[arg-type]
        q=q.strip() or None,
        **drilled,
    )
    order = Sort(_choice(sort, tuple(Sort), Sort.NEWEST.value))
    results = queries.search_posts(state.engine, filters, sort=order, page=page, per_page=PER_PAGE)
    t = translator(request, visitor)
    messages: list[tuple[FlashKind, str]] = [
        ("error", t("explorer.bad_date", value=value)) for value in problems
    ]
    form = {
        "q": q,
        "platform": platform,
        "language": language,
        "since": since,
        "until": until,
        "author": author,
        "replies": filters.replies,
        "reposts": filters.reposts,
        "sort": order.value,
        **drill.form(),
    }
    # htmx asks for the results table only; a normal visit gets the whole page.
    partial = (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-target") == "results"
    )
    context = {
        "form": form,
        "page_url": lambda number: _page_url(form, number),
        "partial": partial,
        "results": results,
        "platforms": PLATFORMS,
        "languages": state.settings.languages,
        "presences": PRESENCES,
        "sorts": list(Sort),
        "drill": drill.chips(form),
    }
    template = "_post_results.html" if partial else "explorer.html"
    return render(request, visitor, template, context, messages=messages)


@router.get("/listen/posts/{post_id}")
def post_page(
    request: Request, post_id: int, visitor: Visitor = require_area(Area.LISTEN)
) -> Response:
    engine = web_state(request).engine
    detail = queries.get_post(engine, post_id)
    context = {"detail": detail, "claim_matches": claim_queue.of_post(engine, post_id)}
    return render(request, visitor, "post.html", context)
