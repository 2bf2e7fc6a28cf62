"""Errors as problem+json (RFC 9457) under /api, and as pages that say what to do next.

An anonymous visitor of a page is sent to the sign-in page instead; an API caller gets 401.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ediplomacy.domain.errors import AccessDenied, EdiplomacyError, NotFound
from ediplomacy.security.errors import (
    AccountLocked,
    Explained,
    LoginFailed,
    NotSignedIn,
)
from ediplomacy.store.engine import OUT_OF_RANGE_ERRORS
from ediplomacy.web.access import current_visitor
from ediplomacy.web.rendering import render

PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/api/"
PAGE_KEYS = {404: "errors.not_found", 405: "errors.method", 422: "errors.invalid"}


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def status_of(error: EdiplomacyError) -> int:
    if isinstance(error, NotSignedIn | LoginFailed):
        return 401
    if isinstance(error, AccountLocked):
        return 429
    if isinstance(error, AccessDenied):
        return 403
    if isinstance(error, NotFound):
        return 404
    return 400


def problem(request: Request, status: int, detail: str, code: str, **extra: Any) -> JSONResponse:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "code": code,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def error_page(request: Request, status: int, key: str, **params: object) -> Response:
    visitor = current_visitor(request)
    context = {"status": status, "message_key": key, "message_params": params}
    return render(request, visitor, "error.html", context, status_code=status)


def handle_domain_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, EdiplomacyError)
    status = status_of(error)
    key = error.key if isinstance(error, Explained) else PAGE_KEYS.get(status, "errors.generic")
    params = error.params if isinstance(error, Explained) else {}
    if is_api(request):
        headers = (
            {"Retry-After": str(error.minutes * 60)} if isinstance(error, AccountLocked) else {}
        )
        response = problem(request, status, str(error), key)
        response.headers.update(headers)
        return response
    if isinstance(error, NotSignedIn):
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target = "/login" if request.method != "GET" else f"/login?next={quote(back)}"
        return RedirectResponse(target, status_code=303)
    return error_page(request, status, key, **params)


def handle_http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    status = error.status_code
    key = PAGE_KEYS.get(status, "errors.generic")
    if is_api(request):
        return problem(request, status, str(error.detail), key)
    return error_page(request, status, key)


def handle_validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    if is_api(request):
        errors = [
            {"loc": list(item.get("loc", ())), "msg": item.get("msg", "")}
            for item in error.errors()
        ]
        detail = "Some parameters are not valid; see `errors` for which and why."
        return problem(request, 422, detail, "errors.invalid", errors=errors)
    return error_page(request, 400, "errors.invalid")


def handle_out_of_range(request: Request, error: Exception) -> Response:
    if is_api(request):
        detail = "A value in the request is out of range (a number too large, a date past 9999)."
        return problem(request, 400, detail, "errors.invalid")
    return error_page(request, 400, "errors.invalid")


def install(app: FastAPI) -> None:
    for kind in OUT_OF_RANGE_ERRORS:
        app.add_exception_handler(kind, handle_out_of_range)
    app.add_exception_handler(EdiplomacyError, handle_domain_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
