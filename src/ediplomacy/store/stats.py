"""The figures `ediplomacy stats` prints: counts overall, by platform and by language."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.store.queries import count_by_language, count_by_platform
from ediplomacy.store.schema import actors, collections, posts

ALL_LANGUAGES = 10_000


def store_stats(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        totals = {
            table.name: int(
                conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            )
            for table in (posts, actors, collections)
        }
        return {
            **totals,
            "by_platform": {item.label: item.count for item in count_by_platform(conn)},
            "by_language": {
                item.label: item.count for item in count_by_language(conn, top=ALL_LANGUAGES)
            },
        }
