"""Narratives and counter-narrative drafts: /verify/narratives, /verify/drafts and their API.

Everyone who may enter Verify reads narratives and drafts; admins, analysts and editors prepare
a response from a narrative and edit the drafts' texts (both audited, see
ediplomacy.integrity.responses).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ediplomacy.domain.people import Role
from ediplomacy.integrity import narratives, responses
from ediplomacy.integrity.narratives import NarrativeItem
from ediplomacy.integrity.responses import InvalidDraft
from ediplomacy.security.access import Area
from ediplomacy.store.drafts import DraftRow
from ediplomacy.web.access import Visitor, require, require_area
from ediplomacy.web.rendering import redirect, render, translator
from ediplomacy.web.routes.signin import client_ip
from ediplomacy.web.state import web_state

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["verify"])
RESPOND_ROLES = (Role.ADMIN, Role.ANALYST, Role.EDITOR)
PER_PAGE = 25
SPARK_WIDTH, SPARK_HEIGHT = 112, 24


def _may_respond(visitor: Visitor) -> bool:
    return visitor.user is not None and visitor.user.role in RESPOND_ROLES


def spark_points(values: list[int]) -> str:
    """An SVG polyline's points for a small chart of the values (no script needed)."""
    if not values:
        return ""
    top = max(max(values), 1)
    step = SPARK_WIDTH / max(1, len(values) - 1)
    return " ".join(
        f"{index * step:.1f},{SPARK_HEIGHT - 2 - (value / top) * (SPARK_HEIGHT - 4):.1f}"
        for index, value in enumerate(values)
    )


def _row(item: NarrativeItem) -> dict[str, Any]:
    return {**item.as_dict(), "spark_points": spark_points(item.spark)}


@router.get("/verify/narratives")
def narratives_page(
    request: Request,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    visitor: Visitor = require_area(Area.VERIFY),
) -> Response:
    items, total = narratives.listing(
        web_state(request).engine, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
    )
    context = {
        "narratives": [_row(item) for item in items],
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PER_PAGE)),
    }
    return render(request, visitor, "narratives.html", context)


@router.get("/verify/narratives/{narrative_id}")
def narrative_page(
    request: Request, narrative_id: int, visitor: Visitor = require_area(Area.VERIFY)
) -> Response:
    engine = web_state(request).engine
    view = narratives.get(engine, narrative_id)
    drafts, _ = responses.list_drafts(engine, narrative_id=narrative_id, limit=20)
    data = view.as_dict()
    t = translator(request, visitor)
    timeline = data["timeline"]
    names = {s["key"]: t.language_name(s["key"]) for s in timeline["languages"]}
    names |= {s["key"]: t.get(f"platform.{s['key']}", s["key"]) for s in timeline["platforms"]}
    context = {
        "n": data,
        "chart": {"timeline": timeline, "names": names},
        "drafts": drafts,
        "may_respond": _may_respond(visitor),
        "spark_points": spark_points(view.item.spark),
    }
    return render(request, visitor, "narrative.html", context)


@router.post("/verify/narratives/{narrative_id}/respond")
async def respond(
    request: Request, narrative_id: int, visitor: Visitor = require(*RESPOND_ROLES)
) -> Response:
    """Prepare a response: a counter-narrative draft, then its page."""
    actor = visitor.user.username if visitor.user else None
    draft = await run_in_threadpool(
        responses.prepare_response,
        web_state(request).engine,
        narrative_id,
        actor=actor,
        ip=client_ip(request),
    )
    return redirect(request, f"/verify/drafts/{draft.id}", "success", "drafts.flash.created",
                    languages=", ".join(draft.languages))  # fmt: skip


@router.get("/verify/drafts")
def drafts_page(
    request: Request,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    visitor: Visitor = require_area(Area.VERIFY),
) -> Response:
    items, total = responses.list_drafts(
        web_state(request).engine, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
    )
    context = {
        "drafts": items,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PER_PAGE)),
    }
    return render(request, visitor, "drafts.html", context)


def _draft_page(
    request: Request, visitor: Visitor, draft: DraftRow, *, error: str | None = None,
    edited: tuple[str, str] | None = None,
) -> Response:  # fmt: skip
    texts = dict(draft.texts)
    if edited is not None:
        texts[edited[0]] = edited[1]
    context = {"draft": draft, "texts": texts, "may_edit": _may_respond(visitor)}
    if error is None:
        return render(request, visitor, "draft.html", context)
    return render(request, visitor, "draft.html", context, status_code=422,
                  messages=[("error", error)])  # fmt: skip


@router.get("/verify/drafts/{draft_id}")
def draft_page(
    request: Request, draft_id: int, visitor: Visitor = require_area(Area.VERIFY)
) -> Response:
    return _draft_page(request, visitor, responses.get_draft(web_state(request).engine, draft_id))


def _error_text(request: Request, visitor: Visitor, error: InvalidDraft) -> str:
    t = translator(request, visitor)
    messages = {
        "drafts.error.language": t("drafts.error.language"),
        "drafts.error.empty": t("drafts.error.empty"),
        "drafts.error.long": t("drafts.error.long", most=responses.MAX_BODY),
    }
    return messages.get(error.key, str(error))


@router.post("/verify/drafts/{draft_id}/texts")
async def save_draft_text(
    request: Request, draft_id: int, visitor: Visitor = require(*RESPOND_ROLES)
) -> Response:
    """Save one language's text of a draft."""
    form = await request.form()
    language = str(form.get("language") or "")
    body = str(form.get("body") or "")
    engine = web_state(request).engine
    actor = visitor.user.username if visitor.user else None
    try:
        await run_in_threadpool(
            responses.save_text, engine, draft_id, language, body, actor=actor,
            ip=client_ip(request),
        )  # fmt: skip
    except InvalidDraft as error:
        draft = await run_in_threadpool(responses.get_draft, engine, draft_id)
        message = _error_text(request, visitor, error)
        return _draft_page(request, visitor, draft, error=message, edited=(language, body))
    return redirect(request, f"/verify/drafts/{draft_id}#text-{language}", "success",
                    "drafts.flash.saved", language=language)  # fmt: skip


@api.get("/narratives", summary="Narratives")
def narratives_api(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    visitor: Visitor = require_area(Area.VERIFY),
) -> Response:
    """Narratives, the most recently active first, with volume, languages and growth."""
    items, total = narratives.listing(web_state(request).engine, limit=limit, offset=offset)
    body = {"items": [item.as_dict() for item in items], "total": total}
    return JSONResponse(jsonable_encoder(body))


@api.get("/narratives/{narrative_id}", summary="One narrative")
def narrative_api(
    request: Request, narrative_id: int, visitor: Visitor = require_area(Area.VERIFY)
) -> Response:
    """A narrative with its timeline, variants, accounts, countries and fact-check."""
    view = narratives.get(web_state(request).engine, narrative_id)
    return JSONResponse(jsonable_encoder(view.as_dict()))


@api.post("/narratives/{narrative_id}/respond", summary="Prepare a response")
def respond_api(
    request: Request, narrative_id: int, visitor: Visitor = require(*RESPOND_ROLES)
) -> Response:
    """Create a counter-narrative draft from the narrative and return it."""
    actor = visitor.user.username if visitor.user else None
    draft = responses.prepare_response(
        web_state(request).engine, narrative_id, actor=actor, ip=client_ip(request)
    )
    return JSONResponse(jsonable_encoder(asdict(draft)), status_code=200)


@api.get("/drafts", summary="Drafts")
def drafts_api(
    request: Request,
    narrative_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    visitor: Visitor = require_area(Area.VERIFY),
) -> Response:
    """Drafts for the publishing workflow, the most recently changed first."""
    items, total = responses.list_drafts(
        web_state(request).engine, narrative_id=narrative_id, limit=limit, offset=offset
    )
    body = {"items": [asdict(item) for item in items], "total": total}
    return JSONResponse(jsonable_encoder(body))


@api.get("/drafts/{draft_id}", summary="One draft")
def draft_api(
    request: Request, draft_id: int, visitor: Visitor = require_area(Area.VERIFY)
) -> Response:
    """A draft with its text per language and its sources."""
    draft = responses.get_draft(web_state(request).engine, draft_id)
    return JSONResponse(jsonable_encoder(asdict(draft)))
