"""Sign in, sign out, the language switch and the health check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from ediplomacy.domain.people import ALL_ROLES
from ediplomacy.security import accounts, sessions
from ediplomacy.security.errors import AccountDisabled, AccountLocked, LoginFailed
from ediplomacy.web.access import SESSION_COOKIE, Visitor, public, require
from ediplomacy.web.errors import status_of
from ediplomacy.web.i18n import LOCALES
from ediplomacy.web.rendering import (
    LOCALE_COOKIE,
    YEAR,
    redirect,
    render,
    safe_next,
    set_cookie,
    translator,
)
from ediplomacy.web.state import web_state

router = APIRouter(include_in_schema=False)


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


@router.get("/login")
def login_page(
    request: Request,
    next_url: Annotated[str, Query(alias="next")] = "/",
    visitor: Visitor = public(),
) -> Response:
    if visitor.user is not None:
        return RedirectResponse(safe_next(next_url), status_code=303)
    return render(request, visitor, "login.html", {"next": safe_next(next_url), "username": ""})


@router.post("/login")
def login_submit(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next_url: Annotated[str, Form(alias="next")] = "/",
    visitor: Visitor = public(),
) -> Response:
    state = web_state(request)
    try:
        session = sessions.login(
            state.engine, state.settings, username, password, ip=client_ip(request)
        )
    except (LoginFailed, AccountLocked, AccountDisabled) as error:
        t = translator(request, visitor)
        context = {"next": safe_next(next_url), "username": username}
        page = render(
            request,
            visitor,
            "login.html",
            context,
            status_code=status_of(error),
            messages=[("error", t(error.key, **error.params))],
        )
        if isinstance(error, AccountLocked):
            page.headers["Retry-After"] = str(error.minutes * 60)
        return page
    chosen = request.cookies.get(LOCALE_COOKIE)
    if chosen in LOCALES and chosen != session.user.locale:
        accounts.set_locale(state.engine, session.user.id, chosen)
    response = redirect(
        request, safe_next(next_url), "success", "login.welcome", name=session.user.display_name
    )
    set_cookie(
        request, response, SESSION_COOKIE, session.token, state.settings.session_hours * 3600
    )
    return response


@router.post("/logout")
def logout(request: Request, visitor: Visitor = require(*ALL_ROLES)) -> Response:
    sessions.logout(
        web_state(request).engine, request.cookies.get(SESSION_COOKIE), ip=client_ip(request)
    )
    response = redirect(request, "/login", "info", "logout.done")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language")
def switch_language(
    request: Request,
    locale: Annotated[str, Form()] = "en",
    next_url: Annotated[str, Form(alias="next")] = "/",
    visitor: Visitor = public(),
) -> Response:
    chosen = locale if locale in LOCALES else "en"
    if visitor.user is not None:
        accounts.set_locale(web_state(request).engine, visitor.user.id, chosen)
    response = redirect(request, safe_next(next_url))
    set_cookie(request, response, LOCALE_COOKIE, chosen, YEAR)
    return response


@router.get("/healthz")
def health(visitor: Visitor = public()) -> dict[str, str]:
    """For load balancers and monitoring: the app answers."""
    return {"status": "ok"}
