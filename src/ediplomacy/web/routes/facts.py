"""The fact-check base: /verify/facts (browse, add, edit) and GET /api/v1/fact-checks.

Everyone who may enter Verify reads the base; analysts and admins add and edit entries, and
every change is written to the audit log (see ediplomacy.integrity.factcheck).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ediplomacy.domain.people import Role
from ediplomacy.integrity import claim_queue, factcheck
from ediplomacy.integrity.claimreview import KINDS, VERDICTS
from ediplomacy.integrity.factcheck import InvalidFactCheck
from ediplomacy.security.access import Area
from ediplomacy.store.factchecks import FactCheck
from ediplomacy.web.access import Visitor, require, require_area
from ediplomacy.web.rendering import redirect, render, translator
from ediplomacy.web.routes.signin import client_ip
from ediplomacy.web.state import web_state

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["verify"])
EDIT_ROLES = (Role.ADMIN, Role.ANALYST)
PER_PAGE = 25
FORM_FIELDS = (
    "kind", "claim_text", "verdict", "verdict_text", "language", "claimant", "claim_date",
    "review_date", "url", "title", "summary", "publisher", "sources", "languages",
)  # fmt: skip


def _may_edit(visitor: Visitor) -> bool:
    return visitor.user is not None and visitor.user.role in EDIT_ROLES


@router.get("/verify/facts")
def facts_page(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    verdict: str = "",
    kind: str = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    visitor: Visitor = require_area(Area.VERIFY),
) -> Response:
    chosen = verdict if verdict in VERDICTS else ""
    chosen_kind = kind if kind in KINDS else ""
    items, total = factcheck.search(
        web_state(request).engine,
        query=q.strip() or None,
        verdict=chosen or None,
        kind=chosen_kind or None,
        limit=PER_PAGE,
        offset=(page - 1) * PER_PAGE,
    )
    context = {
        "facts": items,
        "total": total,
        "q": q,
        "verdict": chosen,
        "kind": chosen_kind,
        "verdicts": VERDICTS,
        "kinds": KINDS,
        "page": page,
        "pages": max(1, -(-total // PER_PAGE)),
        "may_edit": _may_edit(visitor),
    }
    return render(request, visitor, "facts.html", context)


def _form_of(fact: FactCheck | None) -> dict[str, str]:
    if fact is None:
        return {name: "" for name in FORM_FIELDS} | {"kind": "fact_check", "verdict": ""}
    values = fact.content()
    form = {name: "" if values.get(name) is None else str(values[name]) for name in FORM_FIELDS}
    for name in ("claim_date", "review_date"):
        moment = values.get(name)
        form[name] = moment.date().isoformat() if moment else ""
    form["sources"] = "\n".join(fact.sources)
    form["languages"] = " ".join(fact.languages)
    return form


def _form_page(
    request: Request,
    visitor: Visitor,
    form: dict[str, str],
    fact_id: int | None,
    error: str | None = None,
) -> Response:
    context = {"form": form, "fact_id": fact_id, "verdicts": VERDICTS, "kinds": KINDS}
    if error is None:
        return render(request, visitor, "fact_form.html", context)
    return render(request, visitor, "fact_form.html", context, status_code=422,
                  messages=[("error", error)])  # fmt: skip


def _error_text(request: Request, visitor: Visitor, error: InvalidFactCheck) -> str:
    t = translator(request, visitor)
    if error.key == "facts.error.url_taken":
        return t("facts.error.url_taken", url=error.params.get("url", ""))
    return t("facts.error.invalid", reason=error.params.get("reason", str(error)))


async def _save(request: Request, visitor: Visitor, fact_id: int | None) -> Response:
    submitted = await request.form()
    form = {name: str(submitted.get(name) or "") for name in FORM_FIELDS}
    engine = web_state(request).engine
    actor = visitor.user.username if visitor.user else None
    try:
        record = factcheck.record_from_form(form)
        fact = await run_in_threadpool(
            factcheck.save, engine, record, fact_id=fact_id, actor=actor, ip=client_ip(request)
        )
    except InvalidFactCheck as error:
        return _form_page(request, visitor, form, fact_id, _error_text(request, visitor, error))
    if fact_id is None:
        return redirect(request, "/verify/facts", "success", "facts.flash.added", id=fact.id)
    return redirect(request, "/verify/facts", "success", "facts.flash.saved", id=fact.id)


@router.get("/verify/facts/new")
def new_fact_page(request: Request, visitor: Visitor = require(*EDIT_ROLES)) -> Response:
    return _form_page(request, visitor, _form_of(None), None)


@router.post("/verify/facts/new")
async def create_fact(request: Request, visitor: Visitor = require(*EDIT_ROLES)) -> Response:
    return await _save(request, visitor, None)


@router.get("/verify/facts/{fact_id}")
def fact_page(
    request: Request, fact_id: int, visitor: Visitor = require_area(Area.VERIFY)
) -> Response:
    """One entry, with how many posts were matched to it (docs/claims.md)."""
    engine = web_state(request).engine
    context = {
        "fact": factcheck.get(engine, fact_id),
        "match_counts": claim_queue.counts(engine, fact_check_id=fact_id),
        "may_edit": _may_edit(visitor),
    }
    return render(request, visitor, "fact.html", context)


@router.get("/verify/facts/{fact_id}/edit")
def edit_fact_page(
    request: Request, fact_id: int, visitor: Visitor = require(*EDIT_ROLES)
) -> Response:
    fact = factcheck.get(web_state(request).engine, fact_id)
    return _form_page(request, visitor, _form_of(fact), fact.id)


@router.post("/verify/facts/{fact_id}/edit")
async def update_fact(
    request: Request, fact_id: int, visitor: Visitor = require(*EDIT_ROLES)
) -> Response:
    await run_in_threadpool(factcheck.get, web_state(request).engine, fact_id)  # 404 first
    return await _save(request, visitor, fact_id)


@api.get("/fact-checks", summary="The fact-check base")
def facts_api(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    verdict: str = "",
    kind: str = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    visitor: Visitor = require_area(Area.VERIFY),
) -> Response:
    """Fact-checks, verified facts and official positions, newest review first."""
    items, total = factcheck.search(
        web_state(request).engine,
        query=q.strip() or None,
        verdict=verdict or None,
        kind=kind or None,
        limit=limit,
        offset=offset,
    )
    body: dict[str, Any] = {"items": [asdict(item) for item in items], "total": total}
    return JSONResponse(jsonable_encoder(body))
