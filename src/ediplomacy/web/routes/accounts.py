"""Bot-likeness: /verify/accounts (ranked), one account's page, labels, and the JSON API.

Everyone who may enter Verify reads scores and labels; analysts and admins label accounts, and
every label is written to the audit log (see ediplomacy.integrity.bots). The pages say what the
score is: evidence for review, never a verdict on its own.
"""

from __future__ import annotations

import io
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ediplomacy.domain.people import Role
from ediplomacy.domain.posts import PLATFORMS
from ediplomacy.integrity import bots
from ediplomacy.integrity.bot_reasons import describe
from ediplomacy.integrity.bots import InvalidLabel
from ediplomacy.security.access import Area
from ediplomacy.store.accounts_review import AccountScore
from ediplomacy.web.access import Visitor, require, require_area
from ediplomacy.web.rendering import redirect, render, translator
from ediplomacy.web.routes.signin import client_ip
from ediplomacy.web.state import web_state

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["verify"])
LABEL_ROLES = (Role.ADMIN, Role.ANALYST)
PER_PAGE = 50
LABELLED = {"yes": True, "no": False}
SHOWN_REASONS = 3
CHART_POINTS = 2_000


def account_url(platform: str, external_id: str) -> str:
    """The account's page; ids with slashes (Mastodon account URLs) are escaped whole."""
    return f"/verify/accounts/{quote(platform, safe='')}/{quote(external_id, safe='')}"


def _may_label(visitor: Visitor) -> bool:
    return visitor.user is not None and visitor.user.role in LABEL_ROLES


def _row(item: AccountScore, locale: str) -> dict[str, Any]:
    raising = [r for r in item.reasons if r.get("contribution", 0) > 0]
    return {
        "item": item,
        "url": account_url(item.platform, item.external_id),
        "reasons": [describe(reason, locale) for reason in raising[:SHOWN_REASONS]],
        "more": max(0, len(raising) - SHOWN_REASONS),
    }


@router.get("/verify/accounts")
def accounts_page(
    request: Request,
    min_score: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
    labelled: str = "",
    label: str = "",
    platform: str = "",
    q: Annotated[str, Query(max_length=300)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    visitor: Visitor = require_area(Area.VERIFY),
) -> Response:
    t = translator(request, visitor)
    chosen_labelled = labelled if labelled in LABELLED else ""
    chosen_label = label if label in bots.LABELS else ""
    chosen_platform = platform if platform in PLATFORMS else ""
    search = q.strip()
    filters: dict[str, Any] = {
        "min_score": min_score,
        "labelled": chosen_labelled,
        "label": chosen_label,
        "platform": chosen_platform,
        "q": search,
    }
    items, total = bots.list_scores(
        web_state(request).engine,
        min_score=min_score,
        labelled=LABELLED.get(chosen_labelled),
        label=chosen_label or None,
        platform=chosen_platform or None,
        search=search or None,
        limit=PER_PAGE,
        offset=(page - 1) * PER_PAGE,
    )
    query = urlencode({name: value for name, value in filters.items() if value})
    context = {
        "rows": [_row(item, t.locale) for item in items],
        "total": total,
        "filters": filters,
        "query": query,
        "labels": bots.LABELS,
        "platforms": PLATFORMS,
        "page": page,
        "pages": max(1, -(-total // PER_PAGE)),
    }
    return render(request, visitor, "accounts.html", context)


@router.get("/verify/accounts/labels.csv")
def labels_csv(request: Request, visitor: Visitor = require_area(Area.VERIFY)) -> Response:
    """Every label, with each account's current score and measures, as CSV."""
    body = io.StringIO()
    bots.write_labels(web_state(request).engine, body)
    return Response(
        body.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="account-labels.csv"'},
    )


@router.get("/verify/accounts/{platform}/{external_id:path}")
def account_page(
    request: Request, platform: str, external_id: str, visitor: Visitor = require_area(Area.VERIFY)
) -> Response:
    t = translator(request, visitor)
    review = bots.review(web_state(request).engine, platform, external_id)
    reasons = []
    if review.score is not None:
        for reason in review.score.reasons:
            reasons.append({"text": describe(reason, t.locale),
                            "contribution": float(reason.get("contribution") or 0.0),
                            "code": reason.get("code")})  # fmt: skip
    context = {
        "review": review,
        "reasons": reasons,
        "account_url": account_url(platform, external_id),
        "times": [round(value, 3) for value in review.times[-CHART_POINTS:]],
        "labels": bots.LABELS,
        "may_label": _may_label(visitor),
    }
    return render(request, visitor, "account.html", context)


@router.post("/verify/accounts/label")
async def label_account(request: Request, visitor: Visitor = require(*LABEL_ROLES)) -> Response:
    form = await request.form()
    platform = str(form.get("platform") or "")
    external_id = str(form.get("external_id") or "")
    label = str(form.get("label") or "")
    note = str(form.get("note") or "")
    actor = visitor.user.username if visitor.user else "web"
    back = account_url(platform, external_id)
    try:
        await run_in_threadpool(
            bots.add_label, web_state(request).engine, platform, external_id, label,
            note=note, actor=actor, ip=client_ip(request),
        )  # fmt: skip
    except InvalidLabel:
        return redirect(request, back, "error", "accounts.error.label")
    return redirect(request, back, "success", "accounts.flash.labelled")


# -- JSON API -------------------------------------------------------------------------------


class LabelIn(BaseModel):
    platform: str = Field(description="x, bluesky, mastodon, ...")
    external_id: str = Field(description="the account's id on the platform")
    label: str = Field(description="automated | human | unsure")
    note: str | None = Field(default=None, description="what the analyst checked")


@api.get("/accounts/scores", summary="Bot-likeness scores, highest first (evidence for review)")
def scores_api(
    request: Request,
    min_score: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
    labelled: Annotated[str, Query(description="yes | no")] = "",
    label: Annotated[str, Query(description="automated | human | unsure")] = "",
    platform: str = "",
    q: Annotated[str, Query(max_length=300)] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    visitor: Visitor = require_area(Area.VERIFY),
) -> Response:
    """Each account's score with its reasons (in en and id), measures and latest label."""
    items, total = bots.list_scores(
        web_state(request).engine,
        min_score=min_score,
        labelled=LABELLED.get(labelled),
        label=label or None,
        platform=platform or None,
        search=q.strip() or None,
        limit=limit,
        offset=offset,
    )
    body = {"items": [bots.score_json(item) for item in items], "total": total,
            "notice": bots.NOTICE}  # fmt: skip
    return JSONResponse(body)


@api.get("/accounts/labels", summary="Analysts' labels of accounts, every one kept")
def labels_api(
    request: Request,
    latest: Annotated[bool, Query(description="only each account's latest label")] = False,
    platform: str = "",
    external_id: str = "",
    visitor: Visitor = require_area(Area.VERIFY),
) -> Response:
    """Every label (oldest first), or one account's when platform and external_id are given."""
    engine = web_state(request).engine
    if platform and external_id:
        labels = list(reversed(bots.review(engine, platform, external_id, posts=0).labels))
        labels = labels[-1:] if latest else labels
    else:
        labels = bots.all_labels(engine, latest_only=latest)
    return JSONResponse({"items": [bots.label_json(label) for label in labels]})


@api.post("/accounts/labels", summary="Label an account automated, human or unsure")
def label_api(
    request: Request, body: LabelIn, visitor: Visitor = require(*LABEL_ROLES)
) -> Response:
    saved = bots.add_label(
        web_state(request).engine, body.platform, body.external_id, body.label, note=body.note,
        actor=visitor.user.username if visitor.user else "api", ip=client_ip(request),
    )  # fmt: skip
    return JSONResponse(bots.label_json(saved))
