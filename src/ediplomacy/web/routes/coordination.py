"""Coordinated behaviour: /verify/coordination (runs, clusters by score), a cluster's evidence,
the clusters' network for Gephi, and /api/v1/coordination/...

Everyone who may enter Verify reads them (the detector runs from `ediplomacy coordination
detect`, the demo and the server's periodic check; see docs/coordination.md).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from ediplomacy.integrity import coordination_views as views
from ediplomacy.integrity.coordination_clusters import WEIGHT_SCALE
from ediplomacy.integrity.coordination_export import MEDIA_TYPES, Format
from ediplomacy.security.access import Area
from ediplomacy.web.access import Visitor, require_area
from ediplomacy.web.rendering import render
from ediplomacy.web.state import web_state

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["verify"])
TOP_ITEMS = 3


def _download(content: str, fmt: Format, name: str) -> Response:
    return Response(
        content,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt.value}"'},
    )


@router.get("/verify/coordination")
def coordination_page(
    request: Request,
    run: Annotated[int | None, Query(ge=1)] = None,
    visitor: Visitor = require_area(Area.VERIFY),
) -> Response:
    engine = web_state(request).engine
    chosen, clusters = views.run_with_clusters(engine, run)
    context: dict[str, Any] = {
        "runs": views.runs(engine),
        "run": chosen,
        "clusters": clusters,
        "top_items": TOP_ITEMS,
        "formats": list(Format),
    }
    return render(request, visitor, "coordination.html", context)


@router.get("/verify/coordination/clusters/{cluster_id}")
def cluster_page(
    request: Request, cluster_id: int, visitor: Visitor = require_area(Area.VERIFY)
) -> Response:
    row = views.cluster(web_state(request).engine, cluster_id)
    histogram = views.histogram_rows(row)
    context = {
        "c": row,
        "e": row.evidence,
        "items": views.cluster_items(row),
        "histogram": histogram,
        "chart": {
            "labels": [label for label, _ in histogram],
            "counts": [count for _, count in histogram],
        },
        "formats": list(Format),
        "weight_scale": WEIGHT_SCALE,
    }
    return render(request, visitor, "coordination_cluster.html", context)


@router.get("/verify/coordination/clusters/{cluster_id}/network")
def cluster_network(
    request: Request,
    cluster_id: int,
    format: Format = Format.GEXF,
    visitor: Visitor = require_area(Area.VERIFY),
) -> Response:
    """The cluster's members and links as a file for Gephi (or CSV)."""
    row = views.cluster(web_state(request).engine, cluster_id)
    content = views.network_file([row], format, f"coordinated cluster {cluster_id}")
    return _download(content, format, f"coordination-cluster-{cluster_id}")


@router.get("/verify/coordination/runs/{run_id}/network")
def run_network(
    request: Request,
    run_id: int,
    format: Format = Format.GEXF,
    visitor: Visitor = require_area(Area.VERIFY),
) -> Response:
    """Every cluster of a run, members linked, each with its cluster and score."""
    _, clusters = views.run_with_clusters(web_state(request).engine, run_id)
    content = views.network_file(clusters, format, f"coordinated clusters, run {run_id}")
    return _download(content, format, f"coordination-run-{run_id}")


@api.get("/coordination/runs", summary="Coordination detector runs")
def runs_api(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    visitor: Visitor = require_area(Area.VERIFY),
) -> Response:
    """The latest runs, newest first, with their number of clusters and of new ones."""
    found = views.runs(web_state(request).engine, limit=limit)
    return JSONResponse(jsonable_encoder({"items": [views.run_json(run) for run in found]}))


@api.get("/coordination/runs/{run_id}", summary="One run and its clusters")
def run_api(
    request: Request, run_id: int, visitor: Visitor = require_area(Area.VERIFY)
) -> Response:
    """A run and its clusters, highest score first (members and evidence included)."""
    run, clusters = views.run_with_clusters(web_state(request).engine, run_id)
    assert run is not None  # an id was given: NotFound otherwise
    body = {"run": views.run_json(run), "clusters": [views.cluster_json(c) for c in clusters]}
    return JSONResponse(jsonable_encoder(body))


@api.get("/coordination/clusters/{cluster_id}", summary="One coordinated cluster")
def cluster_api(
    request: Request, cluster_id: int, visitor: Visitor = require_area(Area.VERIFY)
) -> Response:
    """Members, score and its parts, shared items, seconds between actions, links."""
    row = views.cluster(web_state(request).engine, cluster_id)
    return JSONResponse(jsonable_encoder(views.cluster_json(row)))
