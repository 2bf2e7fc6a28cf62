"""Security tests run on a SQLite file; the audit chain is also checked on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.store.migrate import open_database

PASSWORD = "correct horse battery staple"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, lockout_threshold=3, lockout_minutes=15)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = open_database(settings.resolved_database_url())
    yield engine
    engine.dispose()
