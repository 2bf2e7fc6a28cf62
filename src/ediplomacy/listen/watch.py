"""Watch services: manage rules, run checks and deliveries, read and acknowledge alerts.

The CLI and the web call these; each owns its transaction and writes the audit log for every
change a person makes (rule added, enabled, disabled, removed; alert acknowledged).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.errors import ConfigurationError, EdiplomacyError, NotFound
from ediplomacy.listen import alerts as checking
from ediplomacy.listen.alerts import RuleCheck, Targets
from ediplomacy.listen.bursts import BurstSettings
from ediplomacy.listen.delivery import (
    DeliveryReport,
    EmailNotifier,
    Notifier,
    WebhookNotifier,
    deliver_due,
    safe_target,
)
from ediplomacy.listen.rules import build, parse
from ediplomacy.security import audit
from ediplomacy.security.audit import Action
from ediplomacy.security.errors import Explained
from ediplomacy.store import watch as store
from ediplomacy.store.timeutil import utcnow
from ediplomacy.store.watch import Alert, Delivery, SqlConditions, WatchRule

EMAIL_RE = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
ALERT_STATUSES = ("open", "acknowledged")
RULE_ERROR_CODES = ("bad_name", "bad_webhook", "bad_email", "bad_settings", "name_taken")
PREVIEW_DAYS = 7
log = logging.getLogger(__name__)


class InvalidRule(Explained, EdiplomacyError):
    """A rule's name, targets or settings cannot be saved as given."""

    def __init__(self, message: str, key: str, **params: str | int) -> None:
        super().__init__(message)
        self.explain(key, **params)


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise InvalidRule(
            "A rule needs a name of 1 to 200 characters.", "rules.error.bad_name", limit=200
        )
    return name


def _check_webhook(url: str) -> str:
    url = url.strip()
    try:
        parts = urlsplit(url)
        valid = (
            parts.scheme in ("http", "https")
            and bool(parts.hostname)
            and not any(c.isspace() for c in url)
        )
        _ = parts.port  # a port out of range or not a number raises ValueError
        httpx.URL(url)  # what the sender will need: IPv6 brackets, host syntax
    except (ValueError, httpx.InvalidURL):
        valid = False
    if not valid:
        raise InvalidRule(
            f"Webhook address '{safe_target(url)}' is not an http(s) URL.",
            "rules.error.bad_webhook",
            url=safe_target(url),
        )
    return url


def _check_email(address: str) -> str:
    address = address.strip()
    if not EMAIL_RE.match(address):
        raise InvalidRule(
            f"'{address}' is not an e-mail address.", "rules.error.bad_email", address=address
        )
    return address


def _settings(values: Mapping[str, Any] | None) -> dict[str, Any]:
    try:
        BurstSettings.from_mapping(values)
    except EdiplomacyError as error:
        raise InvalidRule(str(error), "rules.error.bad_settings", problem=str(error)) from None
    return dict(values or {})


def add_rule(
    engine: Engine,
    name: str,
    query: str,
    *,
    webhooks: Sequence[str] = (),
    emails: Sequence[str] = (),
    settings: Mapping[str, Any] | None = None,
    actor: str | None = None,
    ip: str | None = None,
    exist_ok: bool = False,
) -> WatchRule:
    """Save a new rule after checking its query (QuerySyntaxError says where it is wrong).

    With `exist_ok`, saving the same name and query again returns the rule unchanged.
    """
    name = _check_name(name)
    query = query.strip()
    parse(query)
    notify = {
        "webhooks": [_check_webhook(url) for url in webhooks if url.strip()],
        "emails": [_check_email(address) for address in emails if address.strip()],
    }
    burst = _settings(settings)
    with engine.begin() as connection:
        if store.rule_name_taken(connection, name):
            existing = store.get_rule(connection, name=name)
            if exist_ok and existing.query == query:
                return existing
            raise InvalidRule(
                f"A watch rule named '{name}' exists already; choose another name.",
                "rules.error.name_taken",
                name=name,
            )
        rule = store.insert_rule(
            connection,
            name=name,
            query=query,
            settings=burst,
            notify=notify,
            created_by=actor,
            now=utcnow(),
        )
        audit.append(
            connection,
            Action.WATCH_RULE_ADDED,
            actor=actor,
            target=name,
            ip=ip,
            detail={
                "query": query,
                "settings": burst,
                "webhooks": [safe_target(url) for url in notify["webhooks"]],
                "emails": notify["emails"],
            },
        )
    return rule


def list_rules(engine: Engine) -> list[WatchRule]:
    with engine.connect() as connection:
        return store.list_rules(connection)


def get_rule(engine: Engine, rule_id: int | None = None, name: str | None = None) -> WatchRule:
    with engine.connect() as connection:
        return store.get_rule(connection, rule_id, name)


def set_enabled(
    engine: Engine,
    rule_id: int,
    enabled: bool,
    *,
    actor: str | None = None,
    ip: str | None = None,
) -> WatchRule:
    """Switch a rule on or off; a rule switched back on continues from where it stopped."""
    with engine.begin() as connection:
        rule = store.get_rule(connection, rule_id)
        store.update_rule(connection, rule.id, utcnow(), enabled=enabled)
        action = Action.WATCH_RULE_ENABLED if enabled else Action.WATCH_RULE_DISABLED
        audit.append(connection, action, actor=actor, target=rule.name, ip=ip)
        return store.get_rule(connection, rule.id)


def remove_rule(
    engine: Engine,
    rule_id: int | None = None,
    name: str | None = None,
    *,
    actor: str | None = None,
    ip: str | None = None,
) -> WatchRule:
    """Delete a rule with its alerts."""
    with engine.begin() as connection:
        rule = store.get_rule(connection, rule_id, name)
        store.delete_rule(connection, rule.id)
        audit.append(
            connection,
            Action.WATCH_RULE_REMOVED,
            actor=actor,
            target=rule.name,
            ip=ip,
            detail={"query": rule.query},
        )
    return rule


def remove_rule_if_there(
    engine: Engine, rule_id: int, *, actor: str | None = None, ip: str | None = None
) -> WatchRule | None:
    """Delete a rule; None when it is gone already."""
    try:
        return remove_rule(engine, rule_id, actor=actor, ip=ip)
    except NotFound:
        return None


def shown(rule: WatchRule) -> WatchRule:
    """A rule as others may see it: webhook addresses without credentials or query."""
    notify = {**rule.notify, "webhooks": [safe_target(u) for u in rule.notify.get("webhooks", [])]}
    return replace(rule, notify=notify)


@dataclass(frozen=True, slots=True)
class QueryPreview:
    """A checked query: its canonical form and how many posts it matched lately."""

    canonical: str
    matches: int
    days: int


def preview(engine: Engine, query: str, days: int = PREVIEW_DAYS) -> QueryPreview:
    """Check a query and count its matches over the newest `days` days of data."""
    from ediplomacy.listen.rules import describe

    node = parse(query)
    with engine.connect() as connection:
        _, newest = store.data_span(connection)
        since = newest - timedelta(days=days) if newest else None
        condition = build(node, SqlConditions(connection.dialect.name))
        count = store.count_matching(connection, condition, since)
    return QueryPreview(describe(node), count, days)


# Checking and delivering -------------------------------------------------------------


def notifiers_from(settings: Settings) -> dict[str, Notifier]:
    return {
        "webhook": WebhookNotifier(),
        "email": EmailNotifier(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            user=settings.smtp_user,
            password=settings.smtp_password.get_secret_value(),
            starttls=settings.smtp_starttls,
            public_url=settings.public_url,
        ),
    }


def global_targets(settings: Settings) -> Targets:
    """The global targets (EDIPLOMACY_ALERT_*), checked; ConfigurationError names the bad one."""
    targets = Targets.from_settings(settings.alert_webhook_url, settings.alert_email_to)
    for variable, values, check_one in (
        ("EDIPLOMACY_ALERT_WEBHOOK_URL", targets.webhooks, _check_webhook),
        ("EDIPLOMACY_ALERT_EMAIL_TO", targets.emails, _check_email),
    ):
        for value in values:
            try:
                check_one(value)
            except InvalidRule as error:
                raise ConfigurationError(f"{variable}: {error}") from None
    return targets


@dataclass(slots=True)
class CheckSummary:
    rules: list[RuleCheck] = field(default_factory=list)
    deliveries: DeliveryReport = field(default_factory=DeliveryReport)

    @property
    def new_alerts(self) -> list[int]:
        return [alert_id for rule in self.rules for alert_id in rule.new_alerts]


def check(
    engine: Engine,
    settings: Settings,
    *,
    until: datetime | None = None,
    since: datetime | None = None,
    names: Sequence[str] | None = None,
    notifiers: Mapping[str, Notifier] | None = None,
) -> CheckSummary:
    """Check the enabled rules up to `until` (now), then send every delivery that is due."""
    targets = global_targets(settings)
    reports = checking.check_rules(engine, until, since=since, targets=targets, names=names)
    chosen = notifiers if notifiers is not None else notifiers_from(settings)
    delivered = deliver_due(engine, chosen, public_url=settings.public_url)
    return CheckSummary(reports, delivered)


# Alerts -----------------------------------------------------------------------------


def list_alerts(
    engine: Engine,
    *,
    status: str | None = None,
    rule_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Alert], int]:
    if status is not None and status not in ALERT_STATUSES:
        status = None
    with engine.connect() as connection:
        return store.list_alerts(
            connection, status=status, rule_id=rule_id, limit=limit, offset=offset
        )


def get_alert(engine: Engine, alert_id: int) -> Alert:
    with engine.connect() as connection:
        return store.get_alert(connection, alert_id)


def deliveries(engine: Engine, alert_ids: Sequence[int]) -> dict[int, list[Delivery]]:
    """The deliveries of these alerts, targets shown without secrets."""
    with engine.connect() as connection:
        found = store.alert_deliveries_of(connection, alert_ids)
    grouped: dict[int, list[Delivery]] = {alert_id: [] for alert_id in alert_ids}
    for item in found:
        shown = Delivery(item.id, item.alert_id, item.channel, safe_target(item.target),
                         item.status, item.attempts, item.last_error, item.sent_at)  # fmt: skip
        grouped.setdefault(item.alert_id, []).append(shown)
    return grouped


def acknowledge(
    engine: Engine, alert_id: int, *, actor: str | None = None, ip: str | None = None
) -> Alert:
    """Mark an alert as handled (once; acknowledging again changes nothing)."""
    with engine.begin() as connection:
        alert = store.get_alert(connection, alert_id)
        if store.acknowledge(connection, alert.id, actor, utcnow()):
            audit.append(
                connection,
                Action.ALERT_ACKNOWLEDGED,
                actor=actor,
                target=str(alert.id),
                ip=ip,
                detail={"rule": alert.rule_name, "kind": alert.kind,
                        "window_start": alert.window_start.isoformat()},
            )  # fmt: skip
        return store.get_alert(connection, alert.id)


class PeriodicCheck:
    """Runs `check` every few minutes in a background thread (used by `ediplomacy serve`)."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        interval_s: float,
        prepare: Callable[[], object] | None = None,
    ) -> None:
        global_targets(settings)  # a wrong address stops `serve` at startup, not at each check
        self.engine = engine
        self.settings = settings
        self.interval_s = interval_s
        self.prepare = prepare  # run first, e.g. the pipeline over newly collected posts
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        self.last: CheckSummary | None = None

    def run_once(self) -> None:
        try:
            if self.prepare is not None:
                self.prepare()
            self.last = check(self.engine, self.settings)
        except Exception:  # a failing check must not end the loop; the next one may work
            log.exception("watch check failed")
            return
        for rule in self.last.rules:
            if rule.error:
                log.warning("watch rule %s: %s", rule.rule, rule.error)
        if self.last.new_alerts:
            log.info("watch check raised alerts %s", self.last.new_alerts)

    def _loop(self) -> None:
        while not self.stopping.is_set():
            self.run_once()
            self.stopping.wait(self.interval_s)

    def start(self) -> None:
        self.thread = threading.Thread(target=self._loop, name="watch-check", daemon=True)
        self.thread.start()

    def close(self, timeout_s: float = 30.0) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout_s)


def rule_match(engine: Engine, rule_id: str | int) -> Any:
    """The SQL condition of a rule's query, for the explorer's `rule` filter."""
    text = str(rule_id).strip()
    if not text.isdigit():
        raise NotFound(f"There is no watch rule '{text}'; the rules page lists them.")
    rule = get_rule(engine, int(text))
    return build(parse(rule.query), SqlConditions(engine.dialect.name))
