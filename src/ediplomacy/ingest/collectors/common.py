"""Small pieces the platform collectors share: JSON bodies, settings checks, stream pacing."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

import httpx
from pydantic import SecretStr

from ediplomacy.ingest.collectors.base import Document, MissingCredentials, RunContext

# Streams are written in pages: after this many events or this many seconds, whichever first.
STREAM_PAGE_EVENTS = 200
STREAM_PAGE_SECONDS = 1.0


def json_document(response: httpx.Response) -> Document:
    """The response body as a Document, or a Document saying why it is not JSON."""
    where = str(response.request.url)
    try:
        return Document(where, response.json())
    except ValueError as exc:
        return Document(where, response.text[:10_000], f"the answer is not valid JSON: {exc}")


def secret(value: SecretStr, variable: str, what: str) -> str:
    """A required secret's value; MissingCredentials naming the variable when it is empty."""
    text = value.get_secret_value().strip()
    if not text:
        raise MissingCredentials(f"{what} needs a credential: set {variable}")
    return text


def base_url(value: str, variable: str) -> str:
    """An API base URL without its trailing slash; an error naming the setting when it is odd."""
    url = value.strip().rstrip("/")
    if not url.startswith(("http://", "https://", "ws://", "wss://")):
        raise MissingCredentials(f"{variable} must be an http(s):// or ws(s):// URL, not {url!r}")
    return url


class Pacer:
    """Decides when a stream's pending events become a page."""

    def __init__(self) -> None:
        self.since = time.monotonic()

    def due(self, pending: int) -> bool:
        if pending >= STREAM_PAGE_EVENTS:
            return True
        return time.monotonic() - self.since >= STREAM_PAGE_SECONDS

    def reset(self) -> None:
        self.since = time.monotonic()


def stream_read_timeout(run: RunContext, longest: float) -> float:
    """How long a stream may stay quiet before reconnecting: `longest`, or the time left."""
    left = run.budget.remaining()
    return longest if left is None else max(0.2, min(longest, left))


def stream_pages(items: Iterable[Document | None], run: RunContext) -> Iterator[list[Document]]:
    """A stream's documents in pages (see Pacer), read until the run's time is up.

    `items` gives a Document per event, or None for a line that is none (a heartbeat), so the
    pacing and the time limit are checked on every line. When the stream breaks off or goes
    quiet, the documents read so far are yielded before the TransportError goes on to the
    caller, which reconnects (a stream cannot replay them).
    """
    pending: list[Document] = []
    pacer = Pacer()
    try:
        for item in items:
            if item is not None:
                pending.append(item)
            if pending and (pacer.due(len(pending)) or run.budget.expired()):
                yield pending
                pending = []
                pacer.reset()
            if run.budget.expired():
                break
    except httpx.TransportError:
        if pending:
            yield pending
        raise
    if pending:
        yield pending
