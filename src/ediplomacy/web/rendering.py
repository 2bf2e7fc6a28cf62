"""Render pages with the translator, navigation and CSRF token; flash messages; cookies."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from itsdangerous import BadSignature

from ediplomacy.security.access import areas_for
from ediplomacy.web.access import ANON_CSRF_COOKIE, Visitor
from ediplomacy.web.i18n import Translator, negotiate
from ediplomacy.web.state import web_state

LOCALE_COOKIE = "ediplomacy_locale"
FLASH_COOKIE = "ediplomacy_flash"
FLASH_SECONDS = 120
YEAR = 365 * 24 * 3600

FlashKind = Literal["success", "info", "error"]


def locale_of(request: Request, visitor: Visitor | None) -> str:
    """The signed-in user's language, else the language cookie, else the configured default."""
    default = web_state(request).settings.default_locale
    user_locale = visitor.user.locale if visitor and visitor.user else None
    return negotiate(user_locale, request.cookies.get(LOCALE_COOKIE), default=default)


def translator(request: Request, visitor: Visitor | None) -> Translator:
    return web_state(request).catalogs.translator(locale_of(request, visitor))


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to; anything else (other sites, '//host') becomes `default`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=web_state(request).settings.cookie_secure,
    )


def redirect(
    request: Request, url: str, kind: FlashKind | None = None, key: str = "", **params: object
) -> RedirectResponse:
    """A 303 to `url`, carrying a one-shot message that the next page shows."""
    response = RedirectResponse(url, status_code=303)
    if kind:
        token = web_state(request).signer.dumps({"kind": kind, "key": key, "params": params})
        set_cookie(request, response, FLASH_COOKIE, token, FLASH_SECONDS)
    return response


def _pop_flash(request: Request) -> dict[str, Any] | None:
    token = request.cookies.get(FLASH_COOKIE)
    if not token:
        return None
    try:
        flash: dict[str, Any] = web_state(request).signer.loads(token, max_age=FLASH_SECONDS)
    except BadSignature:
        return None
    return flash


def render(
    request: Request,
    visitor: Visitor,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    messages: list[tuple[FlashKind, str]] | None = None,
) -> HTMLResponse:
    """A page (or an htmx fragment) with everything the base layout needs."""
    state = web_state(request)
    t = translator(request, visitor)
    shown: list[tuple[FlashKind, str]] = list(messages or [])
    flash = _pop_flash(request)
    if flash:
        shown.insert(0, (flash["kind"], t(flash["key"], **flash.get("params", {}))))
    user = visitor.user
    page_context = {
        "t": t,
        "locale": t.locale,
        "user": user,
        "areas": areas_for(user.role) if user else [],
        "csrf_token": visitor.csrf_token,
        "messages": shown,
        "path": request.url.path,
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        **(context or {}),
    }
    response = state.templates.TemplateResponse(
        request, template, page_context, status_code=status_code
    )
    if visitor.new_anon_token:
        set_cookie(request, response, ANON_CSRF_COOKIE, visitor.csrf_token, YEAR)
    if flash or request.cookies.get(FLASH_COOKIE):
        response.delete_cookie(FLASH_COOKIE, path="/")
    response.headers["Cache-Control"] = "no-store"
    return response
