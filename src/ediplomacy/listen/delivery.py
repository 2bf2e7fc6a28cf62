"""Delivering alerts: a JSON webhook POST and an e-mail, retried until they get through.

Each (alert, channel, target) is one row in alert_deliveries. A check sends every row that is
not yet sent and has attempts left; a failure records the error and the row is tried again at
the next check. Sending is at-least-once: a receiver may see an alert twice after a crash, and
can tell by `alert.id`. Secrets (passwords, tokens in a webhook URL's path or query) are never
shown, logged or written to an error: a webhook is shown as its scheme and host plus a short
fingerprint of the whole URL (`https://hooks.slack.com/… #1a2b3c4d`).
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar
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
KIND_TITLES = {
    "volume": "Volume burst",
    "negative": "Negative-sentiment burst",
    "claim_spike": "Spike of a false claim",
    "coordinated_cluster": "New coordinated cluster",
    "narrative_growth": "Fast-growing narrative",
}


class DeliveryFailed(Exception):
    """One attempt to deliver an alert did not get through; the message is safe to store."""


class Notifier(Protocol):
    """Sends one alert to one target of its channel, or raises DeliveryFailed."""

    channel: str

    def send(self, target: str, alert: Alert, payload: Mapping[str, Any]) -> None: ...


def safe_target(target: str) -> str:
    """A target as it may be shown or logged; never raises.

    An e-mail address is shown as is. A URL keeps only its scheme, host and port: Slack, Discord
    and Teams put the secret in the path, others in the query or the user part. The fingerprint
    (8 hex digits of the URL's SHA-256) tells two webhooks on one host apart.
    """
    if "://" not in target and "/" not in target:
        return target
    fingerprint = hashlib.sha256(target.encode()).hexdigest()[:8]
    try:
        parts = urlsplit(target)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return f"(not a valid URL) #{fingerprint}"
    if ":" in host:
        host = f"[{host}]"
    rest = "/…" if parts.path.strip("/") or parts.query or parts.fragment else "/"
    return f"{parts.scheme}://{host}{port}{rest} #{fingerprint}"


def scrub(text: str, target: str) -> str:
    """`text` (an error message) with every secret-bearing part of `target` masked."""
    shown = safe_target(target)
    text = text.replace(target, shown)
    try:
        parts = urlsplit(target)
        normalized = str(httpx.URL(target))
    except (ValueError, httpx.InvalidURL):
        tail = target.split("://", 1)[-1]
        return text.replace(tail, "…") if len(tail) > 1 else text
    text = text.replace(normalized, shown)
    pieces = [parts.path + (f"?{parts.query}" if parts.query else ""), parts.path, parts.query,
              parts.fragment, parts.password or "", parts.username or ""]  # fmt: skip
    for piece in sorted({p for p in pieces if len(p.strip("/")) > 1}, key=len, reverse=True):
        text = text.replace(piece, "…")
    return text


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
            "title": details.get("title"),  # integrity alerts: what it is about
            "evidence": details.get("link"),
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
    about = alert.details.get("title") or alert.rule_name
    return f"[ediplomacy] {title}: {about} - {size}, {when}"


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


_SENDING_TO: ContextVar[str | None] = ContextVar("ediplomacy_webhook_target", default=None)


class _MaskWebhookUrl(logging.Filter):
    """httpx logs every request's full URL at INFO; while a webhook is sent, it is masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        target = _SENDING_TO.get()
        if target:
            record.msg, record.args = scrub(record.getMessage(), target), ()
        return True


def _mask_httpx_log() -> None:
    httpx_log = logging.getLogger("httpx")
    if not any(isinstance(f, _MaskWebhookUrl) for f in httpx_log.filters):
        httpx_log.addFilter(_MaskWebhookUrl())


@dataclass
class WebhookNotifier:
    """POSTs the alert as JSON; a 2xx answer is success. Retries with a growing pause."""

    timeout_s: float = 10.0
    tries: int = 3
    backoff_s: float = 0.5
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    channel: str = field(default="webhook", init=False)

    def __post_init__(self) -> None:
        _mask_httpx_log()

    def send(self, target: str, alert: Alert, payload: Mapping[str, Any]) -> None:
        token = _SENDING_TO.set(target)
        try:
            self._send(target, alert, payload)
        finally:
            _SENDING_TO.reset(token)

    def _send(self, target: str, alert: Alert, payload: Mapping[str, Any]) -> None:
        try:
            scheme = urlsplit(target).scheme
            httpx.URL(target)
        except (ValueError, httpx.InvalidURL) as error:
            raise DeliveryFailed(
                f"the webhook address {safe_target(target)} is not a valid URL "
                f"({scrub(str(error), target)}); fix it on the rule or in "
                "EDIPLOMACY_ALERT_WEBHOOK_URL"
            ) from None
        if scheme not in ("http", "https"):
            raise DeliveryFailed("the webhook address must start with http:// or https://")
        problem = ""
        headers = {"User-Agent": f"ediplomacy/{__version__}", "X-Ediplomacy-Alert": str(alert.id)}
        with httpx.Client(timeout=self.timeout_s, transport=self.transport) as client:
            for attempt in range(self.tries):
                if attempt:
                    self.sleep(self.backoff_s * 2 ** (attempt - 1))
                try:
                    response = client.post(target, json=dict(payload), headers=headers)
                except httpx.HTTPError as error:
                    problem = scrub(f"{type(error).__name__}: {error}", target)
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
        except Exception as failure:  # one bad target must not block the deliveries after it
            error = scrub(f"{type(failure).__name__}: {failure}", delivery.target)
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
