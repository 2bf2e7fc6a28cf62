"""Echo chambers: /verify/network and GET /api/v1/network/polarization.

The page computes the network of the chosen window on request (communities, figures, the
laid-out view); the charts over time read the snapshots `compute_polarization` stored. See
docs/polarization.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ediplomacy.domain.posts import PLATFORMS
from ediplomacy.integrity import polarization
from ediplomacy.integrity.network_view import DEFAULT_TOP, MAX_TOP, network_view
from ediplomacy.integrity.polarization_snapshots import SeriesPoint, snapshot_series
from ediplomacy.security.access import Area
from ediplomacy.store.aggregates import Bucket
from ediplomacy.store.interactions import KINDS
from ediplomacy.web.access import Visitor, require_area
from ediplomacy.web.forms import form_date
from ediplomacy.web.rendering import FlashKind, render, translator
from ediplomacy.web.state import web_state

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["verify"])
TOP_CHOICES = (100, DEFAULT_TOP, 1_000, MAX_TOP)
HEAT_STEPS = 6  # classes heat-0 .. heat-5 of the exposure table


def _kinds(chosen: Sequence[str], default: Sequence[str]) -> list[str]:
    picked = [kind for kind in chosen if kind in KINDS]
    return picked or list(default)


def series_data(points: list[SeriesPoint]) -> list[dict[str, Any]]:
    return [
        {
            "start": point.start.isoformat(),
            "end": point.end.isoformat(),
            "modularity": point.modularity,
            "ei_index": point.ei_index,
            "reach_share": point.reach_share,
            "accounts": point.accounts,
            "interactions": point.interactions,
            "communities": point.communities,
        }
        for point in points
    ]


def heat(share: float | None) -> int:
    """The exposure table's shade for a share (0 for none)."""
    if not share:
        return 0
    return min(HEAT_STEPS - 1, 1 + int(share * (HEAT_STEPS - 1)))


@router.get("/verify/network")
async def network_page(
    request: Request,
    since: str = "",
    until: str = "",
    platform: str = "",
    narrative: Annotated[int | None, Query(ge=1)] = None,
    top: Annotated[int, Query(ge=10, le=MAX_TOP)] = DEFAULT_TOP,
    bucket: str = Bucket.DAY.value,
    interactions: Annotated[list[str] | None, Query()] = None,
    visitor: Visitor = require_area(Area.VERIFY),
) -> Response:
    """Dates come as plain text so that a mistyped one is explained instead of refused."""
    state = web_state(request)
    t = translator(request, visitor)
    problems: list[str] = []
    first_day, last_day = form_date(since, problems), form_date(until, problems)
    chosen_platform = platform if platform in PLATFORMS else None
    chosen_bucket = Bucket(bucket) if bucket in tuple(Bucket) else Bucket.DAY
    kinds = _kinds(interactions or [], state.settings.polarization_interactions)
    engine = state.engine
    start, end = polarization.page_window(engine, first_day, last_day)
    chosen_narrative = (
        polarization.require_narrative(engine, narrative) if narrative is not None else None
    )

    def compute() -> dict[str, Any]:
        analysis = polarization.analyze(
            engine,
            state.settings,
            since=start,
            until=end,
            narrative_id=narrative,
            platform=chosen_platform,
            kinds=kinds,
            with_narratives=True,
        )
        return {
            "analysis": analysis,
            "view": network_view(analysis, top=top),
            "series": snapshot_series(
                engine, narrative_id=narrative, bucket=chosen_bucket, since=start, until=end
            ),
            "narratives": analysis.narratives,
            "narrative_names": polarization.narrative_choices(engine),
        }

    found = await run_in_threadpool(compute)
    report = found["analysis"].report
    form: dict[str, Any] = {
        "since": start.date().isoformat(),
        "until": (end.date() - timedelta(days=1)).isoformat(),
        "platform": chosen_platform or "",
        "narrative": narrative or "",
        "top": top,
        "bucket": chosen_bucket.value,
        "interactions": kinds,
    }

    def link(**changes: object) -> str:
        query = {k: v for k, v in form.items() if k != "interactions" and v not in ("", None)}
        query |= {k: v for k, v in changes.items() if v is not None}
        pairs = [*query.items(), *(("interactions", kind) for kind in kinds)]
        return "/verify/network?" + urlencode([(k, str(v)) for k, v in pairs if v != ""])

    messages: list[tuple[FlashKind, str]] = [
        ("error", t("explorer.bad_date", value=value)) for value in problems
    ]
    context = {
        "report": report,
        "view": found["view"],
        "series": found["series"],
        "narratives": found["narratives"],
        "narrative_names": found["narrative_names"],
        "narrative": chosen_narrative,
        "form": form,
        "link": link,
        "platforms": PLATFORMS,
        "kinds": KINDS,
        "buckets": list(Bucket),
        "top_choices": TOP_CHOICES,
        "heat": heat,
        "chart_data": {"series": series_data(found["series"])},
        "last_day": end.date() - timedelta(days=1),
    }
    return render(request, visitor, "network.html", context, messages=messages)


@api.get("/network/polarization", summary="Communities, modularity, E-I index, reach")
async def polarization_api(
    request: Request,
    since: Annotated[date | None, Query(description="first UTC day, inclusive")] = None,
    until: Annotated[date | None, Query(description="last UTC day, inclusive")] = None,
    platform: Annotated[str | None, Query(description="one platform's accounts only")] = None,
    narrative: Annotated[int | None, Query(ge=1, description="one narrative's only")] = None,
    interactions: Annotated[
        list[str] | None, Query(description="repost, reply, quote, mention (repeatable)")
    ] = None,
    bucket: Annotated[Bucket, Query(description="window length of the series")] = Bucket.DAY,
    top: Annotated[
        int, Query(ge=0, le=MAX_TOP, description="lay out the N busiest accounts (0: none)")
    ] = 0,
    visitor: Visitor = require_area(Area.VERIFY),
) -> Response:
    """The figures of the window (default: the last 7 days of data), the stored series over
    time and, without `narrative`, each narrative's figures."""
    state = web_state(request)
    engine = state.engine
    if platform is not None and platform not in PLATFORMS:
        raise polarization.PolarizationError(
            f"platform {platform!r}: choose one of {', '.join(PLATFORMS)}"
        )
    kinds = polarization.interaction_kinds(state.settings, interactions or None)
    start, end = polarization.page_window(engine, since, until)
    if narrative is not None:
        polarization.require_narrative(engine, narrative)

    def compute() -> dict[str, Any]:
        analysis = polarization.analyze(
            engine,
            state.settings,
            since=start,
            until=end,
            narrative_id=narrative,
            platform=platform,
            kinds=kinds,
            with_narratives=True,
        )
        body: dict[str, Any] = {
            "report": analysis.report.figures(),
            "series": series_data(
                snapshot_series(
                    engine, narrative_id=narrative, bucket=bucket, since=start, until=end
                )
            ),
        }
        if narrative is None:
            body["narratives"] = [
                {"id": name.id, "label": name.label, "report": report.figures()}
                for name, report in analysis.narratives
            ]
        if top:
            view = network_view(analysis, top=top)
            body["network"] = {
                "width": view.width,
                "height": view.height,
                "shown": view.shown,
                "total": view.total,
                "colours": view.colours,
                "nodes": [asdict(node) for node in view.nodes],
                "edges": [asdict(edge) for edge in view.edges],
            }
        return body

    return JSONResponse(jsonable_encoder(await run_in_threadpool(compute)))
