"""Who may call a route: every route declares its roles with `require(...)` or `public()`.

The declaration is a FastAPI dependency holding a `Require` object, so `declared_roles(route)`
can read it back and a test can walk every route with every role. The same dependency checks
the anti-forgery (CSRF) token on every POST/PUT/PATCH/DELETE: the hidden `csrf_token` form
field, or the X-CSRF-Token header for JSON clients.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import fastapi.routing
from fastapi import Depends, FastAPI, Request
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from ediplomacy.domain.people import Role, StaffUser
from ediplomacy.security import sessions
from ediplomacy.security.access import Area, roles_for
from ediplomacy.security.errors import CsrfRejected, NotSignedIn, RoleNotAllowed
from ediplomacy.security.sessions import Session
from ediplomacy.web.state import web_state

SESSION_COOKIE = "ediplomacy_session"
ANON_CSRF_COOKIE = "ediplomacy_csrf"  # double-submit token for forms shown before sign-in
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True, slots=True)
class Visitor:
    """Whoever sent the request: a session when signed in, and the CSRF token for its forms."""

    session: Session | None
    csrf_token: str
    new_anon_token: bool = False  # the anonymous token must be set as a cookie

    @property
    def user(self) -> StaffUser | None:
        return self.session.user if self.session else None


def current_visitor(request: Request) -> Visitor:
    """Resolve the session cookie once per request (FastAPI caches dependencies per request)."""
    session = sessions.resolve(web_state(request).engine, request.cookies.get(SESSION_COOKIE))
    if session is not None:
        return Visitor(session, session.csrf_token)
    token = request.cookies.get(ANON_CSRF_COOKIE, "")
    if len(token) >= 32:
        return Visitor(None, token)
    return Visitor(None, secrets.token_urlsafe(32), new_anon_token=True)


async def submitted_csrf(request: Request) -> str | None:
    """The token the client sent with an unsafe request, from the header or the form."""
    if request.method not in UNSAFE_METHODS:
        return None
    if header := request.headers.get("x-csrf-token"):
        return header
    if request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get("csrf_token")
        return value if isinstance(value, str) else None
    return None


class Require:
    """The roles a route allows (empty and `public` for routes open to everyone)."""

    def __init__(self, roles: frozenset[Role], *, public: bool = False) -> None:
        self.roles = roles
        self.public = public

    def __call__(
        self,
        request: Request,
        visitor: Visitor = Depends(current_visitor),
        submitted: str | None = Depends(submitted_csrf),
    ) -> Visitor:
        if not self.public:
            if visitor.session is None:
                raise NotSignedIn()
            if visitor.session.user.role not in self.roles:
                raise RoleNotAllowed(visitor.session.user.role.value)
        if request.method in UNSAFE_METHODS and (
            visitor.new_anon_token
            or not submitted
            or not hmac.compare_digest(submitted.encode(), visitor.csrf_token.encode())
        ):
            raise CsrfRejected()
        return visitor

    def __repr__(self) -> str:
        return "public" if self.public else f"require({', '.join(sorted(self.roles))})"


def require(*roles: Role) -> Any:
    """Allow signed-in users with one of `roles`."""
    return Depends(Require(frozenset(roles)))


def require_area(area: Area) -> Any:
    """Allow the roles that may enter `area` (see ediplomacy.security.access.AREA_ROLES)."""
    return Depends(Require(roles_for(area)))


def public() -> Any:
    """Allow everyone, signed in or not (sign-in page, language switch, health check)."""
    return Depends(Require(frozenset(), public=True))


def declared_access(route: APIRoute) -> Require:
    """The `Require` a route declared; raises LookupError when it declared none."""
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        if isinstance(dependency.call, Require):
            return dependency.call
        pending.extend(dependency.dependencies)
    raise LookupError(f"{route.path} declares no roles: add require(...) or public()")


def app_routes(app: FastAPI) -> Iterator[tuple[str, frozenset[str], BaseRoute]]:
    """Every route of the app as (full path, methods, route), routers' prefixes included."""
    iterate = getattr(fastapi.routing, "iter_route_contexts", None)
    if iterate is None:  # FastAPI before lazily included routers: app.routes is flat
        for route in app.routes:
            yield getattr(route, "path", ""), frozenset(getattr(route, "methods", ())), route
        return
    for context in iterate(app.routes):
        methods = frozenset(context.methods or ())
        yield context.path or "", methods, context.original_route
