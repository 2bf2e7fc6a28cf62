"""Listen: semantic search across languages (page and GET /api/v1/search)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from ediplomacy.domain.posts import PLATFORMS
from ediplomacy.listen.semantic import MAX_RESULTS, NoVectors, SearchResult, SemanticSearch
from ediplomacy.nlp.embedders import Embedder, space_embedder
from ediplomacy.security.access import Area
from ediplomacy.store.queries import PostFilters
from ediplomacy.web.access import Visitor, require_area
from ediplomacy.web.forms import form_date
from ediplomacy.web.rendering import FlashKind, render, translator
from ediplomacy.web.state import web_state

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1", tags=["api"])
PER_PAGE = 20
MAX_QUERY = 500


def semantic_search(request: Request) -> SemanticSearch:
    """The app's search service (one per app: its in-memory indexes live as long as the app)."""
    app_state = request.app.state
    service: SemanticSearch | None = getattr(app_state, "semantic_search", None)
    if service is None:
        state = web_state(request)
        settings = state.settings

        def embedder_for(space: str) -> Embedder:
            return space_embedder(settings, space)

        service = SemanticSearch(state.engine, embedder_for)
        app_state.semantic_search = service
    return service


@router.get("/listen/search")
def search_page(
    request: Request,
    q: str = "",
    language: str = "",
    platform: str = "",
    since: str = "",
    until: str = "",
    visitor: Visitor = require_area(Area.LISTEN),
) -> Response:
    problems: list[str] = []
    filters = PostFilters(
        platform=platform if platform in PLATFORMS else None,
        language=language.strip().lower() or None,
        since=form_date(since, problems),
        until=form_date(until, problems),
    )
    t = translator(request, visitor)
    messages: list[tuple[FlashKind, str]] = [
        ("error", t("explorer.bad_date", value=value)) for value in problems
    ]
    service = semantic_search(request)
    try:
        result = service.search(q.strip()[:MAX_QUERY], filters, limit=PER_PAGE)
    except NoVectors:
        result = service.status()
        messages.append(("error", t("search.no_vectors")))
    state = web_state(request)
    context = {
        "form": {
            "q": q,
            "language": language,
            "platform": platform,
            "since": since,
            "until": until,
        },
        "result": result,
        "platforms": PLATFORMS,
        "languages": state.settings.languages,
    }
    return render(request, visitor, "search.html", context, messages=messages)


@api_router.get("/search", summary="Semantic search across languages")
def search_api(
    request: Request,
    q: Annotated[
        str, Query(max_length=MAX_QUERY, description="what to look for, any language")
    ] = "",
    language: Annotated[str | None, Query(description="detected, else declared; 'und'")] = None,
    platform: str | None = None,
    since: Annotated[date | None, Query(description="first UTC day, inclusive")] = None,
    until: Annotated[date | None, Query(description="last UTC day, inclusive")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_RESULTS)] = PER_PAGE,
    visitor: Visitor = require_area(Area.LISTEN),
) -> SearchResult:
    """The posts nearest in meaning to `q`; without `q`, only the index's space and size."""
    filters = PostFilters(platform=platform, language=language, since=since, until=until)
    return semantic_search(request).search(q.strip(), filters, limit=limit)
