"""Test data for the watch tests: posts written straight into the schema tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ediplomacy.store.schema import collections, post_facets, posts

T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # a Monday
HOUR = timedelta(hours=1)


def add_collection(connection: Connection) -> int:
    return int(
        connection.execute(
            collections.insert()
            .values(
                name="watch tests",
                kind="file",
                source="tests",
                status="done",
                started_at=T0,
                tool_version="test",
            )
            .returning(collections.c.id)
        ).scalar_one()
    )


class PostWriter:
    """Inserts posts with a running external id; lists become JSON text as the store keeps them."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.serial = 0
        with engine.begin() as connection:
            self.collection_id = add_collection(connection)

    def row(self, **values: Any) -> dict[str, Any]:
        self.serial += 1
        row: dict[str, Any] = {
            "platform": "x",
            "external_id": f"w{self.serial}",
            "author_handle": f"user{self.serial % 7}",
            "text": f"ordinary post {self.serial}",
            "language": "en",
            "created_at": T0,
            "raw": "{}",
            "content_hash": f"{self.serial:032x}",
            "collection_id": self.collection_id,
            "source": "tests",
            "retrieved_at": T0,
            "tool_version": "test",
            "imported_at": T0,
            "updated_at": T0,
            **values,
        }
        for name in ("hashtags", "mentions"):
            if not isinstance(row.get(name, "[]"), str):
                row[name] = orjson.dumps(row[name]).decode()
        return row

    def add(self, connection: Connection, items: Sequence[dict[str, Any]]) -> list[int]:
        """Insert posts (each may carry `countries_mentioned`); their ids in order."""
        ids = []
        for item in items:
            values = dict(item)
            mentioned = values.pop("countries_mentioned", [])
            post_id = int(
                connection.execute(
                    posts.insert().values(**self.row(**values)).returning(posts.c.id)
                ).scalar_one()
            )
            for code in dict.fromkeys(mentioned):
                connection.execute(
                    post_facets.insert().values(
                        post_id=post_id,
                        facet="country_mentioned",
                        value=code,
                        stage="geo",
                        score=1.0,
                    )
                )
            ids.append(post_id)
        return ids

    def hourly(self, counts: Sequence[int], start: datetime = T0, **values: Any) -> None:
        """counts[i] posts in hour i after `start`, spread over the hour."""
        rows = []
        for index, count in enumerate(counts):
            for n in range(count):
                moment = start + index * HOUR + timedelta(seconds=(3600 * n) // max(count, 1))
                rows.append({"created_at": moment, **values})
        with self.engine.begin() as connection:
            if rows:
                connection.execute(posts.insert(), [self.row(**row) for row in rows])


def table_count(engine: Engine, table: sa.Table) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def backdate_rule(engine: Engine, rule_id: int, created_at: datetime) -> None:
    """Pretend the rule was saved at `created_at` (the fixtures' posts are of March 2026)."""
    from ediplomacy.store.schema import watch_rules

    with engine.begin() as connection:
        connection.execute(
            watch_rules.update().where(watch_rules.c.id == rule_id).values(created_at=created_at)
        )
