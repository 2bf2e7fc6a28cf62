"""Fixtures shared by every test: databases (SQLite and a real PostgreSQL) and shared data."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.store.migrate import open_database

REPO = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get(
    "EDIPLOMACY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def shared_data_dir() -> Path:
    return Path(os.environ.get("EDIPLOMACY_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if not path.is_dir():
        pytest.fail(f"shared data not found at {path}; set EDIPLOMACY_SHARED_DATA")
    return path


@pytest.fixture(scope="session")
def finetuned_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding a fresh build of the fine-tuned encoder (about 20 s, once)."""
    from ediplomacy.nlp.finetuned import build_finetuned, finetuned_dir  # onnxruntime: only here

    directory = tmp_path_factory.mktemp("finetuned-data")
    assert build_finetuned(finetuned_dir(directory)).built
    return directory


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_database(f"sqlite:///{tmp_path / 'test.db'}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session; fails in CI when none answers."""
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"ediplomacy_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        message = f"PostgreSQL is needed at {POSTGRES_URL}: {error.orig}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    url = sa.engine.make_url(POSTGRES_URL).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def postgres_engine(postgres_server: str) -> Iterator[Engine]:
    engine = open_database(postgres_server)
    yield engine
    with engine.begin() as conn:
        tables = ", ".join(
            f'"{table}"'
            for table in ("post_enrichments", "posts", "actors", "collections", "web_sessions",
                          "audit_log", "users", "watch_rules", "alerts", "alert_deliveries",
                          "fact_checks", "collector_cursors")
        )  # fmt: skip
        conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The contract suite runs on both databases."""
    name = "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]
