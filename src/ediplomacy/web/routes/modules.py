"""Areas not built yet, shown as honest empty states, and the API reference page."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from ediplomacy.domain.people import ALL_ROLES
from ediplomacy.security.access import Area
from ediplomacy.web.access import Visitor, require, require_area
from ediplomacy.web.rendering import render

router = APIRouter(include_in_schema=False)


def _empty(request: Request, visitor: Visitor, area: Area) -> Response:
    return render(request, visitor, "module_empty.html", {"area": area})


@router.get("/verify")
def verify_page(request: Request, visitor: Visitor = require_area(Area.VERIFY)) -> Response:
    """Verify opens on the fact-check base (routes/facts.py)."""
    return RedirectResponse("/verify/facts", status_code=303)


@router.get("/publish")
def publish_page(request: Request, visitor: Visitor = require_area(Area.PUBLISH)) -> Response:
    return _empty(request, visitor, Area.PUBLISH)


@router.get("/engage")
def engage_page(request: Request, visitor: Visitor = require_area(Area.ENGAGE)) -> Response:
    return _empty(request, visitor, Area.ENGAGE)


@router.get("/consular")
def consular_page(request: Request, visitor: Visitor = require_area(Area.CONSULAR)) -> Response:
    return _empty(request, visitor, Area.CONSULAR)


@router.get("/help/api")
def api_reference_page(request: Request, visitor: Visitor = require(*ALL_ROLES)) -> Response:
    """The JSON API's endpoints, read from the same OpenAPI document clients download."""
    document = request.app.openapi()
    operations = [
        {"method": method.upper(), "path": path, **operation}
        for path, methods in document.get("paths", {}).items()
        for method, operation in methods.items()
    ]
    return render(request, visitor, "api_reference.html", {"operations": operations})
