"""HTTP for collectors: waits out rate limits, backs off on server errors, never shows a secret.

Platforms say how long to wait in different headers: `Retry-After` (seconds or an HTTP date),
X's `x-rate-limit-reset` (Unix seconds), Mastodon's `X-RateLimit-Reset` (an ISO time) and the
IETF draft's `RateLimit-Reset` (seconds from now). All four are read; the wait is announced on
the progress line, and a wait longer than the run's time left ends the run with its cursor saved.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any
from urllib.parse import urlsplit

import httpx

from ediplomacy import __version__
from ediplomacy.ingest.collectors.base import (
    Budget,
    CollectorError,
    CollectProgress,
    StopCollecting,
    redact,
)
from ediplomacy.ingest.timeparse import parse_iso

USER_AGENT = f"ediplomacy/{__version__} (+https://github.com/ediplomacy)"
MAX_TRIES = 5  # server errors and network failures before giving up
MAX_RATE_LIMIT_WAITS = 20
BACKOFF_CAP_S = 60.0
DEFAULT_RATE_WAIT_S = 60.0  # a 429 that names no reset time


def rate_limit_wait(headers: httpx.Headers, now: float) -> float | None:
    """Seconds to wait before the next request, from whichever reset header the platform sent."""
    retry_after = headers.get("retry-after")
    if retry_after:
        value = retry_after.strip()
        if value.replace(".", "", 1).isdigit():
            return max(0.0, float(value))
        try:
            return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - now)
        except (TypeError, ValueError, IndexError):
            pass
    for name in ("x-rate-limit-reset", "x-ratelimit-reset", "ratelimit-reset"):
        value = (headers.get(name) or "").strip()
        if not value:
            continue
        if value.replace(".", "", 1).isdigit():
            number = float(value)
            # Unix seconds (X) or seconds from now (the IETF draft): told apart by size.
            return max(0.0, number - now) if number > 1_000_000_000 else number
        moment = parse_iso(value)
        if moment is not None:
            return max(0.0, moment.timestamp() - now)
    return None


class HttpClient:
    """One run's HTTP client; requests go through the rate-limit and retry rules above."""

    def __init__(
        self,
        budget: Budget,
        progress: CollectProgress,
        *,
        secrets: tuple[str, ...] = (),
        timeout: float = 30.0,
    ) -> None:
        self.budget = budget
        self.progress = progress
        self.secrets = tuple(secret for secret in secrets if secret)
        self._client = httpx.Client(
            timeout=timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=True
        )
        self._not_before = 0.0  # a platform said no requests are left until this time

    def close(self) -> None:
        self._client.close()

    def redact(self, text: str) -> str:
        return redact(text, self.secrets)

    def wait(self, seconds: float, reason: str) -> None:
        self.progress.waiting(seconds, reason)
        if not self.budget.sleep(seconds):
            if self.budget.stop.is_set():
                raise StopCollecting("stopped while waiting")
            raise StopCollecting(f"{reason}; the wait is longer than the time left")

    def _pause_if_spent(self, host: str) -> None:
        left = self._not_before - time.time()
        if left > 0:
            self.wait(left, f"{host}: no requests left in this rate-limit window")

    def _remember_window(self, response: httpx.Response) -> None:
        remaining = response.headers.get("x-rate-limit-remaining") or response.headers.get(
            "x-ratelimit-remaining"
        )
        if remaining is not None and remaining.strip() == "0":
            wait = rate_limit_wait(response.headers, time.time())
            if wait:
                self._not_before = time.time() + wait

    def _send(self, method: str, url: str, stream: bool, **options: Any) -> httpx.Response:
        host = urlsplit(url).netloc
        failures = 0
        rate_waits = 0
        while True:
            self._pause_if_spent(host)
            if self.budget.stop.is_set():
                raise StopCollecting("stopped")
            try:
                request = self._client.build_request(method, url, **options)
                response = self._client.send(request, stream=stream)
            except httpx.TransportError as exc:
                failures += 1
                reason = f"{host} cannot be reached ({type(exc).__name__})"
                if failures >= MAX_TRIES:
                    raise CollectorError(
                        f"{reason} after {failures} tries; check the address setting and the "
                        "network, then run the command again (the cursor is saved)"
                    ) from None
                self.wait(min(BACKOFF_CAP_S, 2.0 ** (failures - 1)), reason)
                continue
            status = response.status_code
            if status == 429:
                rate_waits += 1
                wait = rate_limit_wait(response.headers, time.time())
                response.close()
                if rate_waits > MAX_RATE_LIMIT_WAITS:
                    raise CollectorError(
                        f"{host} kept answering 'too many requests'; run again later "
                        "(the cursor is saved)"
                    )
                self.wait(
                    DEFAULT_RATE_WAIT_S if wait is None else wait,
                    f"{host} says too many requests (rate limit)",
                )
                continue
            if status >= 500:
                failures += 1
                response.close()
                if failures >= MAX_TRIES:
                    raise CollectorError(
                        f"{host} answered {status} (server error) {failures} times; run the "
                        "command again later (the cursor is saved)"
                    )
                self.wait(min(BACKOFF_CAP_S, 2.0 ** (failures - 1)), f"{host} answered {status}")
                continue
            self._remember_window(response)
            return response

    def get(
        self,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """A GET, retried through rate limits and server errors; other statuses are returned."""
        return self._send("GET", url, False, params=params, headers=headers)

    def post(
        self, url: str, *, json: Any = None, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return self._send("POST", url, False, json=json, headers=headers)

    @contextmanager
    def stream(
        self,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        read_timeout: float = 30.0,
    ) -> Iterator[httpx.Response]:
        """A streaming GET (SSE, NDJSON); the body is read by the caller, then closed here."""
        timeout = httpx.Timeout(10.0, read=read_timeout)
        response = self._send("GET", url, True, params=params, headers=headers, timeout=timeout)
        try:
            yield response
        finally:
            response.close()

    def refused(self, response: httpx.Response, what: str, hint: str = "") -> CollectorError:
        """The error for a 4xx answer: status, the platform's own message, what to do."""
        if response.is_stream_consumed is False:
            with suppress(httpx.HTTPError):
                response.read()
        message = _platform_message(response)
        text = (
            f"{what}: {urlsplit(str(response.request.url)).netloc} answered {response.status_code}"
        )
        if message:
            text += f" ({message})"
        if hint:
            text += f"; {hint}"
        return CollectorError(self.redact(text))


def _platform_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:200]
    found: Any = None
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            found = error.get("message")
        elif isinstance(error, str):
            found = body.get("error_description") or body.get("message") or error
        if found is None:
            found = body.get("detail") or body.get("title") or body.get("message")
        errors = body.get("errors")
        if found is None and isinstance(errors, list) and errors and isinstance(errors[0], dict):
            found = errors[0].get("message") or errors[0].get("detail")
    return str(found)[:200] if found else ""
