"""Admin: staff accounts (add, change role, disable, enable) and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response

from ediplomacy.domain.people import Role
from ediplomacy.security import accounts, audit
from ediplomacy.security.access import Area, parse_role
from ediplomacy.security.errors import InvalidAccount
from ediplomacy.web.access import Visitor, require_area
from ediplomacy.web.rendering import redirect, render, translator
from ediplomacy.web.routes.signin import client_ip
from ediplomacy.web.state import web_state

router = APIRouter(include_in_schema=False)
AUDIT_PAGE = 50
AUDIT_FILTERS = ("", "login.", "logout", "user.")


def _actor(visitor: Visitor) -> str | None:
    return visitor.user.username if visitor.user else None


def _users_page(
    request: Request, visitor: Visitor, *, form: dict[str, str] | None = None, error: str = ""
) -> Response:
    context = {
        "accounts": accounts.list_accounts(web_state(request).engine),
        "roles": list(Role),
        "form": form or {"username": "", "display_name": "", "role": Role.VIEWER.value},
    }
    messages = [("error", error)] if error else []
    return render(
        request,
        visitor,
        "admin_users.html",
        context,
        status_code=400 if error else 200,
        messages=messages,  # type: ignore[arg-type]
    )


@router.get("/admin/users")
def users_page(request: Request, visitor: Visitor = require_area(Area.ADMIN)) -> Response:
    return _users_page(request, visitor)


@router.post("/admin/users")
def add_user(
    request: Request,
    username: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = Role.VIEWER.value,
    password: Annotated[str, Form()] = "",
    visitor: Visitor = require_area(Area.ADMIN),
) -> Response:
    try:
        user = accounts.add_user(
            web_state(request).engine,
            username,
            password,
            parse_role(role),
            display_name=display_name,
            actor=_actor(visitor),
            ip=client_ip(request),
        )
    except InvalidAccount as error:
        t = translator(request, visitor)
        form = {"username": username, "display_name": display_name, "role": role}
        return _users_page(request, visitor, form=form, error=t(error.key, **error.params))
    return redirect(request, "/admin/users", "success", "admin.flash.added", username=user.username)


@router.post("/admin/users/{username}/role")
def change_role(
    request: Request,
    username: str,
    role: Annotated[str, Form()] = "",
    visitor: Visitor = require_area(Area.ADMIN),
) -> Response:
    try:
        user = accounts.set_role(
            web_state(request).engine,
            username,
            parse_role(role),
            actor=_actor(visitor),
            ip=client_ip(request),
        )
    except InvalidAccount as error:
        return redirect(request, "/admin/users", "error", error.key, **error.params)
    role_name = translator(request, visitor)(f"role.{user.role.value}")
    return redirect(
        request,
        "/admin/users",
        "success",
        "admin.flash.role_changed",
        username=user.username,
        role=role_name,
    )


@router.post("/admin/users/{username}/disable")
def disable_user(
    request: Request, username: str, visitor: Visitor = require_area(Area.ADMIN)
) -> Response:
    try:
        user = accounts.disable(
            web_state(request).engine, username, actor=_actor(visitor), ip=client_ip(request)
        )
    except InvalidAccount as error:
        return redirect(request, "/admin/users", "error", error.key, **error.params)
    return redirect(
        request, "/admin/users", "success", "admin.flash.disabled", username=user.username
    )


@router.post("/admin/users/{username}/enable")
def enable_user(
    request: Request, username: str, visitor: Visitor = require_area(Area.ADMIN)
) -> Response:
    user = accounts.enable(
        web_state(request).engine, username, actor=_actor(visitor), ip=client_ip(request)
    )
    return redirect(
        request, "/admin/users", "success", "admin.flash.enabled", username=user.username
    )


@router.get("/admin/audit")
def audit_page(
    request: Request,
    action: str = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    visitor: Visitor = require_area(Area.ADMIN),
) -> Response:
    engine = web_state(request).engine
    prefix = action if action in AUDIT_FILTERS else ""
    entries, total = audit.recent_entries(
        engine, limit=AUDIT_PAGE, offset=(page - 1) * AUDIT_PAGE, action_prefix=prefix or None
    )
    context = {
        "entries": entries,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // AUDIT_PAGE)),
        "action": prefix,
        "filters": AUDIT_FILTERS,
        "chain": audit.verify_chain(engine),
    }
    return render(request, visitor, "admin_audit.html", context)
