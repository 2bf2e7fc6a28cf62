"""Delivering alerts: a JSON webhook POST and an e-mail, retried until they get through.

Each (alert, channel, target) is one row in alert_deliveries. A check sends every row that is
not yet sent and has attempts left; a failure records the error and the row is tried again at
the next check. Sending is at-least-once: a receiver may see an alert twice after a crash, and
can tell by `alert.id`. Secrets (passwords, tokens in webhook URLs) are never written to the
delivery rows or to logs: targets are shown without their query string and credentials.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from email.message import EmailMessage
from html import escape
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
from sqlalchemy.engine import Engine

from ediplomacy import __version__
from ediplomacy.store import watch as store
from ediplomacy.store.timeutil import utcnow
from ediplomacy.store.watch import Alert

log = logging.getLogger(__name__)
PAYLOAD_SCHEMA = "ediplomacy.alert/1"
MAX_ATTEMPTS = 12
KIND_TITLES = {"volume": "Volume burst", "negative": "Negative-sentiment burst"}


class DeliveryFailed(Exception):
    """One attempt to deliver an alert did not get through; the message is safe to store."""


class Notifier(Protocol):
    """Sends one alert to one target of its channel, or raises DeliveryFailed."""

    channel: str

    def send(self, target: str, alert: Alert, payload: Mapping[str, Any]) -> None: ...


def safe_target(target: str) -> str:
    """A target as it may be logged: a URL without credentials, query or fragment."""
    if "://" not in target:
        return target
    parts = urlsplit(target)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def alert_path(alert_id: int) -> str:
    return f"/listen/alerts/{alert_id}"


def payload(alert: Alert, public_url: str = "") -> dict[str, Any]:
    """The JSON body of the webhook (documented in docs/alerts.md)."""
    details = alert.details
    link = public_url.rstrip("/") + alert_path(alert.id) if public_url else alert_path(alert.id)
    return {
        "schema": PAYLOAD_SCHEMA,
        "alert": {
            "id": alert.id,
            "kind": alert.kind,
            "status": alert.status,
            "rule": {"id": alert.rule_id, "name": alert.rule_name, "query": alert.rule_query},
            "window_start": alert.window_start.isoformat(),
            "window_end": alert.window_end.isoformat(),
            "observed": alert.observed,
            "expected": alert.expected,
            "ratio": details.get("ratio"),
            "score": alert.score,
            "languages": details.get("languages", []),
            "countries": details.get("countries", []),
            "countries_mentioned": details.get("countries_mentioned", []),
            "samples": details.get("samples", []),
            "url": link,
            "created_at": alert.created_at.isoformat(),
        },
        "sender": f"ediplomacy {__version__}",
    }


def subject(alert: Alert) -> str:
    """'[ediplomacy] Volume burst: Qadira - 163 posts (6.5x usual), Wed 18 Nov 11:00 UTC'."""
    ratio = alert.details.get("ratio")
    size = f"{alert.observed:g} posts" + (f" ({ratio:g}x usual)" if ratio else "")
    when = alert.window_start.astimezone(UTC).strftime("%a %d %b %Y %H:%M UTC")
    title = KIND_TITLES.get(alert.kind, alert.kind)
    return f"[ediplomacy] {title}: {alert.rule_name} - {size}, {when}"


def _pairs(items: Any) -> str:
    return ", ".join(f"{label} ({count})" for label, count in items or []) or "-"


def email_bodies(alert: Alert, link: str) -> tuple[str, str]:
    """The plain-text and HTML bodies of the alert e-mail."""
    details = alert.details
    window = f"{alert.window_start:%Y-%m-%d %H:%M} - {alert.window_end:%Y-%m-%d %H:%M} UTC"
    lines = [
        subject(alert).removeprefix("[ediplomacy] "),
        "",
        f"Rule: {alert.rule_name}  ({alert.rule_query})",
        f"Window: {window}",
        f"Posts: {alert.observed:g}, usual for that time: {alert.expected:g}",
        f"Languages: {_pairs(details.get('languages'))}",
        f"Author countries: {_pairs(details.get('countries'))}",
        f"Countries talked about: {_pairs(details.get('countries_mentioned'))}",
        "",
        "Sample posts:",
    ]
    for sample in details.get("samples", []):
        lines.append(f"- @{sample.get('author') or '?'} ({sample.get('platform')}): "
                     f"{sample.get('text')}")  # fmt: skip
    lines += ["", f"Open: {link}", "Acknowledge it there so colleagues know it is handled."]
    text = "\n".join(lines) + "\n"
    samples = "".join(
        f"<li><strong>@{escape(str(s.get('author') or '?'))}</strong> "
        f"({escape(str(s.get('platform')))}): {escape(str(s.get('text')))}</li>"
        for s in details.get("samples", [])
    )
    html = (
        f"<html><body><h2>{escape(subject(alert).removeprefix('[ediplomacy] '))}</h2>"
        f"<p><b>Rule:</b> {escape(str(alert.rule_name))} <code>{escape(str(alert.rule_query))}"
        f"</code><br><b>Window:</b> {escape(window)}<br><b>Posts:</b> {alert.observed:g} "
        f"(usual: {alert.expected:g})<br><b>Languages:</b> "
        f"{escape(_pairs(details.get('languages')))}<br><b>Author countries:</b> "
        f"{escape(_pairs(details.get('countries')))}<br><b>Countries talked about:</b> "
        f"{escape(_pairs(details.get('countries_mentioned')))}</p>"
        f'<ul>{samples}</ul><p><a href="{escape(link)}">Open the alert</a></p></body></html>'
    )
    return text, html


@dataclass
class WebhookNotifier:
    """POSTs the alert as JSON; a 2xx answer is success. Retries with a growing pause."""

    timeout_s: float = 10.0
    tries: int = 3
    backoff_s: float = 0.5
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    channel: str = field(default="webhook", init=False)

    def send(self, target: str, alert: Alert, payload: Mapping[str, Any]) -> None:
        if urlsplit(target).scheme not in ("http", "https"):
            raise DeliveryFailed("the webhook address must start with http:// or https://")
        problem = ""
        headers = {"User-Agent": f"ediplomacy/{__version__}", "X-Ediplomacy-Alert": str(alert.id)}
        with httpx.Client(timeout=self.timeout_s, transport=self.transport) as client:
            for attempt in range(self.tries):
                if attempt:
                    self.sleep(self.backoff_s * 2 ** (attempt - 1))
                try:
                    response = client.post(target, json=dict(payload), headers=headers)
                except httpx.HTTPError as error:  # the message names no URL parts
                    problem = f"{type(error).__name__}: {error}".replace(
                        target, safe_target(target)
                    )
                    continue
                if 200 <= response.status_code < 300:
                    return
                problem = f"HTTP {response.status_code} from {safe_target(target)}"
                if response.status_code < 500 and response.status_code != 429:
                    break  # the receiver refuses this request; repeating it now will not help
        raise DeliveryFailed(problem)


@dataclass
class EmailNotifier:
    """Sends the alert through SMTP: STARTTLS and login when configured."""

    host: str
    port: int
    sender: str
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = False
    public_url: str = ""
    timeout_s: float = 20.0
    channel: str = field(default="email", init=False)

    def message(self, target: str, alert: Alert) -> EmailMessage:
        link = payload(alert, self.public_url)["alert"]["url"]
        text, html = email_bodies(alert, link)
        message = EmailMessage()
        message["Subject"] = subject(alert)
        message["From"] = self.sender
        message["To"] = target
        message["X-Ediplomacy-Alert"] = str(alert.id)
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        return message

    def send(self, target: str, alert: Alert, payload: Mapping[str, Any]) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(self.message(target, alert))
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(
                f"{type(error).__name__} from {self.host}:{self.port}: {error}"
            ) from None


@dataclass(slots=True)
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def deliver_due(
    engine: Engine,
    notifiers: Mapping[str, Notifier],
    *,
    public_url: str = "",
    max_attempts: int = MAX_ATTEMPTS,
) -> DeliveryReport:
    """Send every delivery that is due; each result is written as soon as it is known."""
    report = DeliveryReport()
    with engine.connect() as connection:
        due = store.deliveries_due(connection, max_attempts)
    alerts: dict[int, Alert] = {}
    for delivery in due:
        notifier = notifiers.get(delivery.channel)
        if notifier is None:
            continue
        if delivery.alert_id not in alerts:
            with engine.connect() as connection:
                alerts[delivery.alert_id] = store.get_alert(connection, delivery.alert_id)
        alert = alerts[delivery.alert_id]
        error: str | None = None
        try:
            notifier.send(delivery.target, alert, payload(alert, public_url))
        except DeliveryFailed as failure:
            error = str(failure) or "failed"
        with engine.begin() as connection:
            store.record_attempt(connection, delivery.id, error=error, now=utcnow())
        where = f"{delivery.channel} {safe_target(delivery.target)}"
        if error is None:
            report.sent += 1
            log.info("alert %s delivered by %s", alert.id, where)
        else:
            report.failed += 1
            report.errors.append(f"alert {alert.id} by {where}: {error}")
            log.warning("alert %s not delivered by %s: %s", alert.id, where, error)
    return report
