"""Fixtures for the web tests: a migrated SQLite database, the app, users, and data rows.

Posts and collections are inserted directly with the schema tables (not through the import
pipeline), so each test states exactly the rows its figures come from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.people import Role, StaffUser
from ediplomacy.security import accounts, sessions
from ediplomacy.store.migrate import open_database
from ediplomacy.store.schema import actors, collections, post_enrichments, posts
from ediplomacy.web.access import SESSION_COOKIE
from ediplomacy.web.app import create_app

PASSWORD = "correct horse battery staple"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path: Any) -> Settings:
    return Settings(data_dir=tmp_path, lockout_threshold=3, lockout_minutes=15)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = open_database(settings.resolved_database_url())
    yield engine
    engine.dispose()


@pytest.fixture
def app(settings: Settings, engine: Engine) -> FastAPI:
    return create_app(settings, engine)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as client:
        yield client


@pytest.fixture
def make_user(engine: Engine) -> Callable[..., StaffUser]:
    def make(username: str, role: Role = Role.ANALYST, password: str = PASSWORD) -> StaffUser:
        return accounts.add_user(engine, username, password, role, actor="test")

    return make


def csrf_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "the page has no csrf_token field"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> Response:
    """Sign in through the form, as a browser does."""
    token = csrf_token(client.get("/login").text)
    form = {"username": username, "password": password, "csrf_token": token, "next": "/"}
    return client.post("/login", data=form)


def sign_in_as(client: TestClient, engine: Engine, settings: Settings, user: StaffUser) -> str:
    """A session without the password round trip; returns the session's CSRF token."""
    session = sessions.open_session(engine, user, settings)
    client.cookies.set(SESSION_COOKIE, session.token)
    return session.csrf_token


@pytest.fixture
def signed_in(
    client: TestClient, engine: Engine, settings: Settings, make_user: Callable[..., StaffUser]
) -> Callable[[Role], str]:
    """Sign the client in as a new user of `role`; returns the CSRF token."""

    def sign_in(role: Role) -> str:
        user = make_user(f"user-{role.value.replace('_', '-')}", role)
        return sign_in_as(client, engine, settings, user)

    return sign_in


class Rows:
    """Insert collections, posts, actors and enrichments directly, as test data."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.serial = 0

    def collection(self, **values: Any) -> int:
        row = {
            "name": "test collection",
            "kind": "file",
            "source": "tests/fixtures/sample.jsonl",
            "format": "x-v2",
            "status": "done",
            "started_at": NOW,
            "finished_at": NOW,
            "read_count": 0,
            "new_count": 0,
            "rejected_count": 0,
            "tool_version": "0.1.0",
            **values,
        }
        with self.engine.begin() as connection:
            return int(
                connection.execute(
                    collections.insert().values(**row).returning(collections.c.id)
                ).scalar_one()
            )

    def post(self, collection_id: int, **values: Any) -> int:
        self.serial += 1
        row: dict[str, Any] = {
            "platform": "x",
            "external_id": f"ext-{self.serial}",
            "author_external_id": f"author-{self.serial}",
            "author_handle": "someone",
            "text": f"post number {self.serial}",
            "language": "en",
            "created_at": NOW,
            "raw": {"id": f"ext-{self.serial}"},
            "content_hash": f"{self.serial:032x}",
            "collection_id": collection_id,
            "source": f"sample.jsonl:{self.serial}",
            "retrieved_at": NOW,
            "tool_version": "0.1.0",
            "imported_at": NOW,
            "updated_at": NOW,
            **values,
        }
        for name in ("urls", "canonical_urls", "hashtags", "mentions", "media", "metrics", "raw"):
            if name in row and not isinstance(row[name], str):
                row[name] = orjson.dumps(row[name]).decode()
        with self.engine.begin() as connection:
            post_id = connection.execute(
                posts.insert().values(**row).returning(posts.c.id)
            ).scalar_one()
            if connection.dialect.name == "sqlite":
                # New rows are indexed in bulk by the import path; do the same here.
                connection.execute(
                    sa.text("INSERT INTO posts_fts (rowid, text) VALUES (:id, :text)"),
                    {"id": post_id, "text": row["text"]},
                )
        return int(post_id)

    def actor(self, **values: Any) -> None:
        row = {"platform": "x", "first_seen_at": NOW, "updated_at": NOW, **values}
        with self.engine.begin() as connection:
            connection.execute(actors.insert().values(**row))

    def enrichment(self, post_id: int, stage: str, result: Any, **values: Any) -> None:
        row = {
            "post_id": post_id,
            "stage": stage,
            "model": "test-model",
            "model_version": "1",
            "result": orjson.dumps(result).decode(),
            "created_at": NOW,
            **values,
        }
        with self.engine.begin() as connection:
            connection.execute(post_enrichments.insert().values(**row))


@pytest.fixture
def rows(engine: Engine) -> Rows:
    return Rows(engine)
