"""Small pieces the platform collectors share: JSON bodies, settings checks, stream pacing."""

from __future__ import annotations

import time
from typing import Any

import httpx
from pydantic import SecretStr

from ediplomacy.ingest.collectors.base import Document, MissingCredentials

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


def first_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
