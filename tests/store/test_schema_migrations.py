"""The migrations build exactly the schema the code declares (SQLite's FTS tables aside)."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ediplomacy.store.migrate import open_database
from ediplomacy.store.schema import metadata


def test_migrations_match_the_declared_schema(tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'schema.db'}")
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    unexplained = [
        difference
        for difference in differences
        if not (difference[0] == "remove_table" and difference[1].name.startswith("posts_fts"))
    ]
    assert unexplained == []
