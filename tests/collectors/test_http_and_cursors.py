"""Rate-limit headers of every platform, and the cursor table on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import httpx
from sqlalchemy.engine import Engine

from ediplomacy.ingest.collectors.http import rate_limit_wait
from ediplomacy.store import cursors as cursor_store

NOW = 1_700_000_000.0


def test_retry_after_seconds_and_http_date() -> None:
    assert rate_limit_wait(httpx.Headers({"Retry-After": "7"}), NOW) == 7.0
    date = "Tue, 14 Nov 2023 22:13:40 GMT"  # NOW + 20 s
    assert rate_limit_wait(httpx.Headers({"Retry-After": date}), NOW) == 20.0


def test_x_unix_reset_mastodon_iso_reset_and_ietf_delta() -> None:
    assert rate_limit_wait(httpx.Headers({"x-rate-limit-reset": str(int(NOW) + 30)}), NOW) == 30.0
    iso = datetime.fromtimestamp(NOW + 45, UTC).isoformat().replace("+00:00", "Z")
    assert rate_limit_wait(httpx.Headers({"X-RateLimit-Reset": iso}), NOW) == 45.0
    assert rate_limit_wait(httpx.Headers({"RateLimit-Reset": "12"}), NOW) == 12.0
    assert rate_limit_wait(httpx.Headers({"x-rate-limit-reset": str(int(NOW) - 5)}), NOW) == 0.0
    assert rate_limit_wait(httpx.Headers({}), NOW) is None


def test_cursor_saved_replaced_listed_and_deleted(engine: Engine) -> None:
    now = datetime.now(UTC)
    with engine.begin() as conn:
        assert cursor_store.load_cursor(conn, "x", "q") is None
        cursor_store.save_cursor(conn, "x", "q", state={"cursor": "a", "floor": None},
                                 cursor="a", collection_id=None, now=now)  # fmt: skip
        cursor_store.save_cursor(conn, "x", "q", state={"cursor": "b", "floor": "9"},
                                 cursor="b", collection_id=None, now=now)  # fmt: skip
    with engine.connect() as conn:
        saved = cursor_store.load_cursor(conn, "x", "q")
        assert saved is not None and saved.cursor == "b" and saved.state["floor"] == "9"
        assert saved.updated_at is not None and abs(saved.updated_at.timestamp() - time.time()) < 60
        assert [(row.source, row.key) for row in cursor_store.list_cursors(conn)] == [("x", "q")]
    with engine.begin() as conn:
        assert cursor_store.delete_cursor(conn, "x", "q")
        assert cursor_store.load_cursor(conn, "x", "q") is None
