"""Where each live collector stopped: one row per (source, key). Never commits."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ediplomacy.store.schema import collector_cursors
from ediplomacy.store.timeutil import as_utc

MAX_KEY = 500  # collector_cursors.key is String(500)


def storable_key(key: str) -> str:
    """The key as stored: as given when it fits, else its start and a SHA-1 of the whole key.

    X queries can be 1024 characters and Jetstream keyword lists longer still; the start keeps
    the stored key readable in `ediplomacy collect cursors`, the hash keeps keys apart.
    """
    if len(key) <= MAX_KEY:
        return key
    return f"{key[:440]}... sha1:{hashlib.sha1(key.encode()).hexdigest()}"


@dataclass(slots=True)
class SavedCursor:
    """A collector's saved position: the cursor text and the rest of its state."""

    source: str
    key: str
    cursor: str | None
    state: dict[str, Any] = field(default_factory=dict)
    collection_id: int | None = None
    updated_at: datetime | None = None


def _row_to_cursor(row: sa.Row[Any]) -> SavedCursor:
    try:
        state = orjson.loads(row.state) if row.state else {}
    except orjson.JSONDecodeError:
        state = {}
    return SavedCursor(
        source=row.source,
        key=row.key,
        cursor=row.cursor,
        state=state if isinstance(state, dict) else {},
        collection_id=row.collection_id,
        updated_at=as_utc(row.updated_at),
    )


def load_cursor(conn: Connection, source: str, key: str) -> SavedCursor | None:
    """The saved position of one collector, or None when it never ran."""
    key = storable_key(key)
    row = conn.execute(
        sa.select(collector_cursors).where(
            collector_cursors.c.source == source, collector_cursors.c.key == key
        )
    ).first()
    return _row_to_cursor(row) if row is not None else None


def save_cursor(
    conn: Connection,
    source: str,
    key: str,
    *,
    state: dict[str, Any],
    cursor: str | None,
    collection_id: int | None,
    now: datetime,
) -> None:
    """Insert or replace the saved position of one collector."""
    key = storable_key(key)
    values = {
        "source": source,
        "key": key,
        "cursor": cursor,
        "state": orjson.dumps(state).decode(),
        "collection_id": collection_id,
        "updated_at": now,
    }
    changes = {name: values[name] for name in ("cursor", "state", "collection_id", "updated_at")}
    if conn.dialect.name == "postgresql":
        pg = postgresql.insert(collector_cursors).values(values)
        conn.execute(pg.on_conflict_do_update(index_elements=["source", "key"], set_=changes))
    else:
        lite = sqlite.insert(collector_cursors).values(values)
        conn.execute(lite.on_conflict_do_update(index_elements=["source", "key"], set_=changes))


def delete_cursor(conn: Connection, source: str, key: str) -> bool:
    """Forget a collector's position, so its next run starts over; whether there was one."""
    key = storable_key(key)
    result = conn.execute(
        collector_cursors.delete().where(
            collector_cursors.c.source == source, collector_cursors.c.key == key
        )
    )
    return bool(result.rowcount)


def list_cursors(conn: Connection) -> list[SavedCursor]:
    """Every saved position, by source and key."""
    rows = conn.execute(
        sa.select(collector_cursors).order_by(collector_cursors.c.source, collector_cursors.c.key)
    )
    return [_row_to_cursor(row) for row in rows]
