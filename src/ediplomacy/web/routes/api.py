"""The JSON API under /api/v1: the same data as the pages, for scripts and other systems.

Signed-in sessions only for now (the browser's cookie); unsafe methods need X-CSRF-Token,
which GET /api/v1/me returns. Errors are problem+json (see ediplomacy.web.errors).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from ediplomacy.domain.people import ALL_ROLES
from ediplomacy.security import audit
from ediplomacy.security.access import Area, areas_for
from ediplomacy.security.audit import ChainReport
from ediplomacy.store import queries
from ediplomacy.store.queries import (
    CollectionSummary,
    Overview,
    PostDetail,
    PostFilters,
    PostSummary,
    Presence,
    Sort,
)
from ediplomacy.web.access import Visitor, require, require_area
from ediplomacy.web.state import web_state

router = APIRouter(prefix="/api/v1", tags=["api"])


class Me(BaseModel):
    username: str
    display_name: str
    role: str
    locale: str
    areas: list[str]
    csrf_token: str


class PostList(BaseModel):
    items: list[PostSummary]
    total: int
    page: int
    per_page: int
    pages: int


class CollectionList(BaseModel):
    items: list[CollectionSummary]
    total: int


@router.get("/me", summary="The signed-in user")
def me(visitor: Visitor = require(*ALL_ROLES)) -> Me:
    """Who is signed in, the areas their role opens, and the token for unsafe requests."""
    user = visitor.session.user  # type: ignore[union-attr]  # require() guarantees a session
    return Me(
        username=user.username,
        display_name=user.display_name,
        role=user.role.value,
        locale=user.locale,
        areas=[area.value for area in areas_for(user.role)],
        csrf_token=visitor.csrf_token,
    )


@router.get("/stats/overview", summary="Totals and chart data of the overview")
def stats_overview(request: Request, visitor: Visitor = require_area(Area.OVERVIEW)) -> Overview:
    """Totals; posts per UTC day over the last 90 days of data; posts by platform and language."""
    return queries.overview(web_state(request).engine)


@router.get("/posts", summary="Search and filter posts")
def list_posts(
    request: Request,
    q: Annotated[str | None, Query(description="words to search for, all must appear")] = None,
    platform: str | None = None,
    language: Annotated[str | None, Query(description="detected, else declared; 'und'")] = None,
    since: Annotated[date | None, Query(description="first UTC day, inclusive")] = None,
    until: Annotated[date | None, Query(description="last UTC day, inclusive")] = None,
    author: Annotated[str | None, Query(description="author handle, with or without @")] = None,
    replies: Presence = "any",
    reposts: Presence = "any",
    sort: Sort = Sort.NEWEST,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=queries.MAX_PER_PAGE)] = 25,
    visitor: Visitor = require_area(Area.LISTEN),
) -> PostList:
    filters = PostFilters(platform, language, since, until, author, replies, reposts, q)
    result = queries.search_posts(
        web_state(request).engine, filters, sort=sort, page=page, per_page=per_page
    )
    return PostList(
        items=result.items,
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        pages=result.pages,
    )


@router.get("/posts/{post_id}", summary="One post with payload and provenance")
def get_post(
    request: Request, post_id: int, visitor: Visitor = require_area(Area.LISTEN)
) -> PostDetail:
    return queries.get_post(web_state(request).engine, post_id)


@router.get("/collections", summary="Collections, newest first")
def list_collections(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    visitor: Visitor = require_area(Area.LISTEN),
) -> CollectionList:
    items, total = queries.list_collections(web_state(request).engine, limit=limit, offset=offset)
    return CollectionList(items=items, total=total)


@router.get("/audit/verify", summary="Check the audit log's hash chain")
def verify_audit(request: Request, visitor: Visitor = require_area(Area.ADMIN)) -> ChainReport:
    return audit.verify_chain(web_state(request).engine)


@router.get("/openapi.json", include_in_schema=False)
def openapi_document(request: Request, visitor: Visitor = require(*ALL_ROLES)) -> dict[str, Any]:
    document: dict[str, Any] = request.app.openapi()
    return document
