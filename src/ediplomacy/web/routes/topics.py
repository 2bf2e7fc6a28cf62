"""Emerging topics: the page /listen/topics, its re-run button and GET /api/v1/topics.

Every role that reads Listen sees the topics; analysts and admins may run discovery again.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from ediplomacy.domain.people import Role
from ediplomacy.listen.emerging import DiscoveryError
from ediplomacy.listen.topic_runs import latest_run, rediscover
from ediplomacy.security.access import Area
from ediplomacy.web.access import Visitor, require, require_area
from ediplomacy.web.rendering import redirect, render
from ediplomacy.web.routes.signin import client_ip
from ediplomacy.web.state import web_state

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["topics"])
DISCOVER_ROLES = (Role.ADMIN, Role.ANALYST)


def explorer_url(topic_id: int) -> str:
    """The explorer listing every post of one cluster."""
    return f"/listen?cluster={topic_id}"


@router.get("/listen/topics")
def topics_page(request: Request, visitor: Visitor = require_area(Area.LISTEN)) -> Response:
    context = {
        "run": latest_run(web_state(request).engine),
        "explorer_url": explorer_url,
        "may_discover": visitor.user is not None and visitor.user.role in DISCOVER_ROLES,
    }
    return render(request, visitor, "topics.html", context)


@router.post("/listen/topics/discover")
def discover_topics(request: Request, visitor: Visitor = require(*DISCOVER_ROLES)) -> Response:
    """Runs discovery in the request (a few seconds for the newest 50,000 posts at most)."""
    actor = visitor.user.username if visitor.user else None
    try:
        run = rediscover(web_state(request).engine, actor=actor, ip=client_ip(request))
    except DiscoveryError:
        return redirect(request, "/listen/topics", "error", "topics.flash.nothing")
    return redirect(
        request,
        "/listen/topics",
        "success",
        "topics.flash.discovered",
        count=len(run.topics),
        emerging=run.emerging,
    )


@api.get("/topics", summary="The latest emerging topics")
def topics_api(request: Request, visitor: Visitor = require_area(Area.LISTEN)) -> Response:
    """The clusters of the last discovery, emerging ones first, with sample posts."""
    run = latest_run(web_state(request).engine)
    body: dict[str, Any] = {
        "computed_at": run.computed_at,
        "window_start": run.window_start,
        "window_end": run.window_end,
        "topics": [
            {**asdict(topic), "explorer_url": explorer_url(topic.id)} for topic in run.topics
        ],
    }
    return JSONResponse(jsonable_encoder(body))
