"""Alerts and watch rules: pages under /listen and the JSON API under /api/v1.

Every staff role that reads Listen sees alerts and rules; analysts and admins manage rules;
everyone but viewers may acknowledge an alert (the press officer on duty, whatever the role).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, Response
from pydantic import BaseModel, Field

from ediplomacy.domain.people import Role
from ediplomacy.listen import watch
from ediplomacy.listen.rules import QuerySyntaxError
from ediplomacy.listen.watch import ALERT_STATUSES, InvalidRule
from ediplomacy.security.access import Area, roles_for
from ediplomacy.store.watch import Alert, WatchRule
from ediplomacy.web.access import Visitor, require, require_area
from ediplomacy.web.rendering import redirect, render, safe_next, translator
from ediplomacy.web.routes.signin import client_ip
from ediplomacy.web.state import web_state

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["alerts"])
RULE_ROLES = (Role.ADMIN, Role.ANALYST)
ACK_ROLES = tuple(sorted(roles_for(Area.LISTEN) - {Role.VIEWER}))
PER_PAGE = 20
STATUS_FILTERS = ("open", "acknowledged", "all")


def _actor(visitor: Visitor) -> str | None:
    return visitor.user.username if visitor.user else None


def _may(visitor: Visitor, roles: tuple[Role, ...]) -> bool:
    return visitor.user is not None and visitor.user.role in roles


def explorer_url(alert: Alert) -> str:
    """The explorer listing the posts behind an alert: the rule's matches in its window."""
    params = {"rule": alert.rule_id, "start": alert.window_start.isoformat(),
              "end": alert.window_end.isoformat(), "sort": "oldest"}  # fmt: skip
    if alert.kind == "negative":
        params["sentiment"] = "negative"
    return "/listen?" + urlencode(params)


def _alert_context(visitor: Visitor) -> dict[str, Any]:
    return {
        "explorer_url": explorer_url,
        "may_ack": _may(visitor, ACK_ROLES),
    }


@router.get("/listen/alerts")
def alerts_page(
    request: Request,
    status: str = "open",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    visitor: Visitor = require_area(Area.LISTEN),
) -> Response:
    chosen = status if status in STATUS_FILTERS else "open"
    items, total = watch.list_alerts(
        web_state(request).engine,
        status=None if chosen == "all" else chosen,
        limit=PER_PAGE,
        offset=(page - 1) * PER_PAGE,
    )
    context = {
        **_alert_context(visitor),
        "alerts": items,
        "total": total,
        "status": chosen,
        "filters": STATUS_FILTERS,
        "page": page,
        "pages": max(1, -(-total // PER_PAGE)),
    }
    return render(request, visitor, "alerts.html", context)


@router.get("/listen/alerts/{alert_id}")
def alert_page(
    request: Request, alert_id: int, visitor: Visitor = require_area(Area.LISTEN)
) -> Response:
    engine = web_state(request).engine
    alert = watch.get_alert(engine, alert_id)
    may_see_deliveries = _may(visitor, RULE_ROLES)  # targets are the managers' business
    context = {
        **_alert_context(visitor),
        "alert": alert,
        "show_deliveries": may_see_deliveries,
        "deliveries": watch.deliveries(engine, [alert.id])[alert.id] if may_see_deliveries else [],
    }
    return render(request, visitor, "alert.html", context)


@router.post("/listen/alerts/{alert_id}/ack")
def acknowledge_alert(
    request: Request,
    alert_id: int,
    next: Annotated[str, Form()] = "",
    visitor: Visitor = require(*ACK_ROLES),
) -> Response:
    alert = watch.acknowledge(
        web_state(request).engine, alert_id, actor=_actor(visitor), ip=client_ip(request)
    )
    target = safe_next(next, "/listen/alerts")
    return redirect(request, target, "success", "alerts.flash.acknowledged", id=alert.id)


# Rules --------------------------------------------------------------------------------


def _rules_page(
    request: Request,
    visitor: Visitor,
    form: dict[str, str] | None = None,
    error: str | None = None,
) -> Response:
    context = {
        "rules": watch.list_rules(web_state(request).engine),
        "may_manage": _may(visitor, RULE_ROLES),
        "form": form or {"name": "", "query": "", "webhook": "", "email": ""},
    }
    if error is None:
        return render(request, visitor, "rules.html", context)
    return render(request, visitor, "rules.html", context, status_code=422,
                  messages=[("error", error)])  # fmt: skip


@router.get("/listen/rules")
def rules_page(request: Request, visitor: Visitor = require_area(Area.LISTEN)) -> Response:
    return _rules_page(request, visitor)


def _error_text(request: Request, visitor: Visitor, error: QuerySyntaxError | InvalidRule) -> str:
    return translator(request, visitor)(error.key, **error.params)


@router.get("/listen/rules/check")
def check_query(
    request: Request, query: str = "", visitor: Visitor = require(*RULE_ROLES)
) -> Response:
    """The live syntax check of the rule form (an htmx fragment)."""
    context: dict[str, Any] = {"query": query, "error": None, "preview": None}
    if query.strip():
        try:
            context["preview"] = watch.preview(web_state(request).engine, query)
        except QuerySyntaxError as error:
            context["error"] = _error_text(request, visitor, error)
            context["column"] = error.column
    return render(request, visitor, "_rule_check.html", context)


def _split(values: str) -> list[str]:
    return [item.strip() for item in values.replace("\n", ",").split(",") if item.strip()]


@router.post("/listen/rules")
def create_rule(
    request: Request,
    name: Annotated[str, Form()] = "",
    query: Annotated[str, Form()] = "",
    webhook: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    visitor: Visitor = require(*RULE_ROLES),
) -> Response:
    try:
        rule = watch.add_rule(
            web_state(request).engine,
            name,
            query,
            webhooks=_split(webhook),
            emails=_split(email),
            actor=_actor(visitor),
            ip=client_ip(request),
            exist_ok=True,
        )
    except (QuerySyntaxError, InvalidRule) as error:
        # The form again, straight from the POST: a redirect would put the webhook URL, and
        # the secret in it, into the address bar, the history and the access logs.
        form = {"name": name, "query": query, "webhook": webhook, "email": email}
        return _rules_page(request, visitor, form, _error_text(request, visitor, error))
    return redirect(request, "/listen/rules", "success", "rules.flash.added", name=rule.name)


@router.post("/listen/rules/{rule_id}/enable")
def enable_rule(
    request: Request, rule_id: int, visitor: Visitor = require(*RULE_ROLES)
) -> Response:
    rule = watch.set_enabled(
        web_state(request).engine, rule_id, True, actor=_actor(visitor), ip=client_ip(request)
    )
    return redirect(request, "/listen/rules", "success", "rules.flash.enabled", name=rule.name)


@router.post("/listen/rules/{rule_id}/disable")
def disable_rule(
    request: Request, rule_id: int, visitor: Visitor = require(*RULE_ROLES)
) -> Response:
    rule = watch.set_enabled(
        web_state(request).engine, rule_id, False, actor=_actor(visitor), ip=client_ip(request)
    )
    return redirect(request, "/listen/rules", "success", "rules.flash.disabled", name=rule.name)


@router.post("/listen/rules/{rule_id}/delete")
def delete_rule(
    request: Request, rule_id: int, visitor: Visitor = require(*RULE_ROLES)
) -> Response:
    removed = watch.remove_rule_if_there(
        web_state(request).engine, rule_id, actor=_actor(visitor), ip=client_ip(request)
    )
    if removed is None:  # deleted already (a second click, another tab)
        return redirect(request, "/listen/rules", "info", "rules.flash.gone")
    return redirect(request, "/listen/rules", "success", "rules.flash.deleted", name=removed.name)


# JSON API -----------------------------------------------------------------------------


class AlertList(BaseModel):
    items: list[Alert]
    total: int


class RuleIn(BaseModel):
    name: str = Field(description="unique name")
    query: str = Field(description="the query (docs/alerts.md)")
    webhooks: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    settings: dict[str, Any] = Field(default_factory=dict, description="burst settings")


@api.get("/alerts", summary="Alerts, the latest burst first")
def api_alerts(
    request: Request,
    status: Annotated[str | None, Query(description="open | acknowledged")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    visitor: Visitor = require_area(Area.LISTEN),
) -> AlertList:
    chosen = status if status in ALERT_STATUSES else None
    items, total = watch.list_alerts(
        web_state(request).engine, status=chosen, limit=limit, offset=offset
    )
    return AlertList(items=items, total=total)


@api.post("/alerts/{alert_id}/ack", summary="Acknowledge an alert")
def api_acknowledge(
    request: Request, alert_id: int, visitor: Visitor = require(*ACK_ROLES)
) -> Alert:
    return watch.acknowledge(
        web_state(request).engine, alert_id, actor=_actor(visitor), ip=client_ip(request)
    )


@api.get("/watch-rules", summary="Watch rules")
def api_rules(request: Request, visitor: Visitor = require_area(Area.LISTEN)) -> list[WatchRule]:
    return [watch.shown(rule) for rule in watch.list_rules(web_state(request).engine)]


@api.post("/watch-rules", summary="Add a watch rule (the same name and query again: no change)")
def api_add_rule(
    request: Request, rule: RuleIn, visitor: Visitor = require(*RULE_ROLES)
) -> WatchRule:
    saved = watch.add_rule(
        web_state(request).engine,
        rule.name,
        rule.query,
        webhooks=rule.webhooks,
        emails=rule.emails,
        settings=rule.settings,
        actor=_actor(visitor),
        ip=client_ip(request),
        exist_ok=True,
    )
    return watch.shown(saved)
