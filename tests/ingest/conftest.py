"""Fixtures for the ingest tests: the recorded platform payloads and a way to read one whole."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ediplomacy.domain.errors import MalformedRecord
from ediplomacy.domain.posts import Actor, Post, Rejected
from ediplomacy.ingest.formats import get_format
from ediplomacy.ingest.reader import iter_records

# `shared_data` (../shared/data, or EDIPLOMACY_SHARED_DATA) comes from tests/conftest.py.


@dataclass
class Sample:
    """Everything one file yields through the reader and a format's parser."""

    posts: list[Post] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # reader errors: (line, why)
    malformed: list[tuple[int, str]] = field(default_factory=list)  # MalformedRecord: (line, why)

    def post(self, external_id: str) -> Post:
        """The first post with this id (records of a file may repeat a referenced post)."""
        for post in self.posts:
            if post.external_id == external_id:
                return post
        raise AssertionError(f"no post {external_id}")

    def last(self, external_id: str) -> Post:
        """The last post with this id: a tweet's own line comes after copies nested in others."""
        return [post for post in self.posts if post.external_id == external_id][-1]

    def actor(self, external_id: str) -> Actor:
        """The first actor with this id."""
        for actor in self.actors:
            if actor.external_id == external_id:
                return actor
        raise AssertionError(f"no actor {external_id}")

    @property
    def post_ids(self) -> set[str]:
        return {post.external_id for post in self.posts}


@pytest.fixture(scope="session")
def formats_dir(shared_data: Path) -> Path:
    """The folder of recorded platform payloads."""
    return shared_data / "formats"


@pytest.fixture(scope="session")
def read_sample(formats_dir: Path) -> Callable[[str, str], Sample]:
    """Read a sample file (path relative to formats/) with a format's parser."""

    def read(relative: str, fmt: str) -> Sample:
        parser = get_format(fmt)
        sample = Sample()
        for record in iter_records(formats_dir / relative, fmt):
            if record.error is not None:
                sample.errors.append((record.line, record.error))
                continue
            try:
                parsed = parser.parse(record.document)
            except MalformedRecord as exc:
                sample.malformed.append((record.line, str(exc)))
                continue
            sample.posts.extend(parsed.posts)
            sample.actors.extend(parsed.actors)
            sample.rejected.extend(parsed.rejected)
        return sample

    return read
