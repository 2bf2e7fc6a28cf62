"""Create database engines: SQLite (WAL) by default, PostgreSQL through a URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

# What a database raises for a value it cannot hold (an id past 64 bits, a NUL in text, a
# date past year 9999): the user's input was wrong, not the server; callers answer 400.
OUT_OF_RANGE_ERRORS: tuple[type[Exception], ...] = (sa.exc.DataError, OverflowError)


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA temp_store=MEMORY")
    # SQLite's lower() folds A-Z only; Python's folds every script (as PostgreSQL's does).
    dbapi_connection.create_function("unicode_lower", 1, _unicode_lower, deterministic=True)
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get their folder created and WAL switched on."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # No server-side prepared statements: a generic plan made while a table is small (a seq scan)
    # would be kept as it grows, and bulk imports slowed down quadratically.
    return sa.create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        connect_args={"prepare_threshold": None},
    )
