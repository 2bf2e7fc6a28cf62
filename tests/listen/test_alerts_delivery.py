"""Delivering alerts to a real local HTTP server (webhook) and a real local SMTP server."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.listen import watch
from ediplomacy.listen.delivery import EmailNotifier, WebhookNotifier
from ediplomacy.store.migrate import open_database
from tests.listen.watch_fixtures import HOUR, T0, PostWriter, backdate_rule

BURST = [5] * 48 + [80]


@dataclass
class Hook:
    """A local webhook receiver: records bodies; answers `status` (a list pops per request)."""

    url: str
    statuses: list[int] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture
def hook() -> Iterator[Hook]:
    state = Hook(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(json.loads(body))
            state.headers.append(dict(self.headers))
            status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/alerts?token=SECRET123"
    yield state
    server.shutdown()
    server.server_close()


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = isinstance(data, LoginPassword) and data.password == b"smtp-pass"
        return AuthResult(success=ok)

    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticate,
                            auth_require_tls=False)  # fmt: skip
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_database(f"sqlite:///{tmp_path / 'delivery.db'}")
    yield engine
    engine.dispose()


def burst_rule(engine: Engine, **targets: Any) -> None:
    PostWriter(engine).hourly(BURST, text="Gempa di Qadira", language="id")
    rule = watch.add_rule(engine, "Quake", "qadira", **targets)
    backdate_rule(engine, rule.id, T0)  # saved before the burst, so its alert is sent


def test_webhook_gets_the_documented_json(engine: Engine, hook: Hook) -> None:
    burst_rule(engine, webhooks=[hook.url])
    notifiers = {"webhook": WebhookNotifier(sleep=lambda _: None)}
    summary = watch.check(engine, Settings(public_url="https://desk.example"),
                          until=T0 + 49 * HOUR, notifiers=notifiers)  # fmt: skip
    assert summary.deliveries.sent == 1 and summary.deliveries.failed == 0
    [body] = hook.received
    alert = body["alert"]
    assert body["schema"] == "ediplomacy.alert/1"
    assert alert["rule"]["name"] == "Quake" and alert["kind"] == "volume"
    assert alert["window_start"] == (T0 + 48 * HOUR).isoformat()
    assert alert["observed"] == 80 and alert["ratio"] > 10
    assert alert["languages"] == [["id", 80]] and alert["samples"]
    assert alert["url"] == f"https://desk.example/listen/alerts/{alert['id']}"
    assert hook.headers[0]["X-Ediplomacy-Alert"] == str(alert["id"])
    # sent once: the next check sends nothing more
    watch.check(engine, Settings(), until=T0 + 49 * HOUR, notifiers=notifiers)
    assert len(hook.received) == 1


def test_a_failing_webhook_is_retried_at_the_next_check_and_keeps_no_secret(
    engine: Engine, hook: Hook
) -> None:
    burst_rule(engine, webhooks=[hook.url])
    pauses: list[float] = []
    notifiers = {"webhook": WebhookNotifier(sleep=pauses.append)}
    hook.statuses = [500, 503, 502]  # three tries in the first check, all refused
    first = watch.check(engine, Settings(), until=T0 + 49 * HOUR, notifiers=notifiers)
    assert first.deliveries.failed == 1 and pauses == [0.5, 1.0]
    [alert_id] = first.new_alerts
    [delivery] = watch.deliveries(engine, [alert_id])[alert_id]
    assert delivery.status == "failed" and delivery.attempts == 1
    assert "HTTP 502" in (delivery.last_error or "")
    assert "SECRET123" not in (delivery.last_error or "") + delivery.target
    assert "SECRET123" not in " ".join(first.deliveries.errors)

    second = watch.check(engine, Settings(), until=T0 + 49 * HOUR, notifiers=notifiers)
    assert second.deliveries.sent == 1 and len(hook.received) == 4
    [delivery] = watch.deliveries(engine, [alert_id])[alert_id]
    assert delivery.status == "sent" and delivery.attempts == 2 and delivery.last_error is None


def test_an_unreachable_webhook_is_recorded(engine: Engine) -> None:
    url = f"http://127.0.0.1:{free_port()}/nobody-listens"
    burst_rule(engine, webhooks=[url])
    notifiers = {"webhook": WebhookNotifier(tries=1, timeout_s=2)}
    summary = watch.check(engine, Settings(), until=T0 + 49 * HOUR, notifiers=notifiers)
    [alert_id] = summary.new_alerts
    [delivery] = watch.deliveries(engine, [alert_id])[alert_id]
    assert delivery.status == "failed" and "ConnectError" in (delivery.last_error or "")


def test_email_through_smtp_with_login(engine: Engine, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    burst_rule(engine, emails=["duty@ministry.example"])
    config = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_user="desk",
                      smtp_password="smtp-pass", smtp_from="alerts@ministry.example",
                      alert_email_to="head@ministry.example")  # type: ignore[arg-type]  # fmt: skip
    summary = watch.check(engine, config, until=T0 + 49 * HOUR)
    assert summary.deliveries.sent == 2, summary.deliveries.errors
    assert sorted(to for _, tos in inbox.envelopes for to in tos) == [
        "duty@ministry.example",
        "head@ministry.example",
    ]
    message = inbox.messages[0]
    assert message["Subject"] == (
        "[ediplomacy] Volume burst: Quake - 80 posts (16x usual), Wed 04 Mar 2026 00:00 UTC"
    )
    assert message.is_multipart()
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    assert "Gempa di Qadira" in text.get_content() and "<ul>" in html.get_content()


def test_wrong_smtp_password_is_a_recorded_failure_without_the_password(
    engine: Engine, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    burst_rule(engine, emails=["duty@ministry.example"])
    notifier = EmailNotifier(host="127.0.0.1", port=port, sender="a@ministry.example",
                             user="desk", password="not-the-password", timeout_s=3)  # fmt: skip
    summary = watch.check(engine, Settings(), until=T0 + 49 * HOUR,
                          notifiers={"email": notifier})  # fmt: skip
    assert summary.deliveries.failed == 1 and not inbox.messages
    [error] = summary.deliveries.errors
    # smtplib tries PLAIN, then LOGIN, which aiosmtpd leaves hanging: either way it is refused
    assert f"from 127.0.0.1:{port}" in error and "not-the-password" not in error
    assert "not-the-password" not in repr(notifier)
