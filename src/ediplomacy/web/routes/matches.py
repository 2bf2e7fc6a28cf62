"""The claim-match review queue: /verify/matches, and /api/v1/claim-matches.

Everyone who may enter Verify sees the queue; analysts and admins confirm, reject or re-open a
match (audited, see ediplomacy.integrity.claim_review). A review from the page swaps its row in
place with htmx, and falls back to a redirect without JavaScript.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ediplomacy.domain.people import Role
from ediplomacy.integrity import claim_queue, factcheck
from ediplomacy.integrity.claim_review import review_match
from ediplomacy.security.access import Area
from ediplomacy.store.claim_matches import STATUSES, ClaimMatch
from ediplomacy.web.access import Visitor, require, require_area
from ediplomacy.web.rendering import redirect, render, safe_next
from ediplomacy.web.routes.signin import client_ip
from ediplomacy.web.state import web_state

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["verify"])
REVIEW_ROLES = (Role.ADMIN, Role.ANALYST)
PER_PAGE = 20
STATUS_FILTERS = (*STATUSES, "all")
Status = Literal["pending", "confirmed", "rejected"]


def _may_review(visitor: Visitor) -> bool:
    return visitor.user is not None and visitor.user.role in REVIEW_ROLES


def _whole(value: str, low: int, high: int) -> int | None:
    """A whole number from a query string within [low, high]; None when empty or not one."""
    try:
        number = int(value.strip())
    except ValueError:
        return None
    return number if low <= number <= high else None


def queue_url(status: str, fact_check: int | None, min_percent: int | None, page: int = 1) -> str:
    params: dict[str, str | int] = {"status": status}
    if fact_check is not None:
        params["fact_check"] = fact_check
    if min_percent:
        params["min"] = min_percent
    if page > 1:
        params["page"] = page
    return "/verify/matches?" + urlencode(params)


@router.get("/verify/matches")
def matches_page(
    request: Request,
    status: str = "pending",
    fact_check: Annotated[str, Query(max_length=20)] = "",
    min_text: Annotated[str, Query(alias="min", max_length=5)] = "",  # a percentage
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    visitor: Visitor = require_area(Area.VERIFY),
) -> Response:
    engine = web_state(request).engine
    chosen = status if status in STATUS_FILTERS else "pending"
    fact_check_id = _whole(fact_check, 1, 2**62)
    min_percent = _whole(min_text, 0, 100)
    items, total = claim_queue.queue(
        engine,
        status=None if chosen == "all" else chosen,
        fact_check_id=fact_check_id,
        min_score=min_percent / 100 if min_percent else None,
        limit=PER_PAGE,
        offset=(page - 1) * PER_PAGE,
    )
    counts = claim_queue.counts(engine, fact_check_id=fact_check_id)
    context = {
        "matches": items,
        "total": total,
        "counts": counts,
        "all_count": sum(counts.values()),
        "status": chosen,
        "filters": STATUS_FILTERS,
        "fact_check": factcheck.get(engine, fact_check_id) if fact_check_id else None,
        "fact_check_id": fact_check_id,
        "min_percent": min_percent,
        "page": page,
        "pages": max(1, -(-total // PER_PAGE)),
        "queue_url": queue_url,
        "may_review": _may_review(visitor),
    }
    return render(request, visitor, "matches.html", context)


@router.post("/verify/matches/{match_id}/review")
async def review_from_page(
    request: Request,
    match_id: int,
    status: Annotated[Status, Form()],
    note: Annotated[str, Form()] = "",  # cut at 2,000 characters by review_match
    next: Annotated[str, Form()] = "",
    visitor: Visitor = require(*REVIEW_ROLES),
) -> Response:
    match = await run_in_threadpool(
        review_match,
        web_state(request).engine,
        match_id,
        status=status,
        actor=visitor.user.username if visitor.user else "?",
        note=note,
        ip=client_ip(request),
    )
    if request.headers.get("hx-request") == "true":
        context = {"match": match, "may_review": True, "here": safe_next(next, "/verify/matches")}
        return render(request, visitor, "_match_row.html", context)
    target = safe_next(next, "/verify/matches")
    return redirect(request, target, "success", f"matches.flash.{match.status}", id=match.id)


# JSON API -----------------------------------------------------------------------------


class MatchList(BaseModel):
    items: list[ClaimMatch]
    total: int
    counts: dict[str, int]


class ReviewIn(BaseModel):
    status: Status = Field(description="confirmed, rejected, or pending to re-open")
    note: str | None = Field(default=None, max_length=2000)


@api.get("/claim-matches", summary="Claim matches, the most probable first")
def api_matches(
    request: Request,
    status: Status | None = None,
    fact_check_id: Annotated[int | None, Query(ge=1)] = None,
    post_id: Annotated[int | None, Query(ge=1)] = None,
    min_score: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    visitor: Visitor = require_area(Area.VERIFY),
) -> MatchList:
    engine = web_state(request).engine
    items, total = claim_queue.queue(
        engine,
        status=status,
        fact_check_id=fact_check_id,
        post_id=post_id,
        min_score=min_score,
        limit=limit,
        offset=offset,
    )
    counts = claim_queue.counts(engine, fact_check_id=fact_check_id)
    return MatchList(items=items, total=total, counts=counts)


@api.post("/claim-matches/{match_id}/review", summary="Confirm, reject or re-open a match")
def api_review(
    request: Request, match_id: int, review: ReviewIn, visitor: Visitor = require(*REVIEW_ROLES)
) -> ClaimMatch:
    return review_match(
        web_state(request).engine,
        match_id,
        status=review.status,
        actor=visitor.user.username if visitor.user else "?",
        note=review.note,
        ip=client_ip(request),
    )
