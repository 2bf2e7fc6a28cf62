"""Turn one input file into batches of table rows ready to write, with the records set aside.

This is the CPU-heavy half of an import (read, JSON, normalize, serialize); it touches no
database, so `parallel.py` can run it in a second process while the first one writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import attrgetter
from pathlib import Path
from typing import Any

from ediplomacy.domain.errors import MalformedRecord
from ediplomacy.domain.posts import Actor, Post, Provenance
from ediplomacy.ingest.formats import get_format
from ediplomacy.ingest.reader import iter_records
from ediplomacy.ingest.urls import canonical_url
from ediplomacy.store.posts import Rows, prepare_rows
from ediplomacy.store.serialize import ACTOR_FIELDS, actor_row, post_row
from ediplomacy.store.timeutil import utcnow

# How many keys the run remembers to skip repeats (the same user or quoted tweet on every
# page of a capture); forgotten wholesale past this, so memory stays bounded.
SEEN_LIMIT = 300_000
_profile = attrgetter(*ACTOR_FIELDS)


@dataclass(slots=True)
class Reject:
    where: str  # path:line
    reason: str
    payload: Any


@dataclass(slots=True)
class PreparedBatch:
    post_rows: Rows = field(default_factory=list)  # shaped by store.posts.prepare_rows
    actor_rows: Rows = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    read: int = 0  # records read
    repeats: int = 0  # posts identical to one already sent in this run: unchanged
    bytes_read: int = 0


class _Seen:
    """What this run already sent, so identical repeats are not written again."""

    def __init__(self) -> None:
        self.posts: dict[tuple[str, str], int] = {}
        self.actors: dict[tuple[str, str], tuple[Any, ...]] = {}

    def new_post(self, post: Post) -> bool:
        """False for a repeat: same text, metrics and retrieval time as a post already sent.

        Checked before the post is serialized, since a capture repeats the posts it refers to
        (quoted, replied to, reposted) on every page that refers to them.
        """
        key = (post.platform, post.external_id)
        fingerprint = hash((post.text, tuple(post.metrics.items()), post.retrieved_at))
        if self.posts.get(key) == fingerprint:
            return False
        if len(self.posts) >= SEEN_LIMIT:
            self.posts.clear()
        self.posts[key] = fingerprint
        return True

    def new_actor(self, actor: Actor) -> bool:
        key = (actor.platform, actor.external_id)
        profile = _profile(actor)
        if self.actors.get(key) == profile:
            return False
        if len(self.actors) >= SEEN_LIMIT:
            self.actors.clear()
        self.actors[key] = profile
        return True


def prepare_batches(
    path: str, fmt: str, *, collection_id: int, batch_size: int, tool_version: str, dialect: str
) -> Iterator[PreparedBatch]:
    """Batches of about `batch_size` posts from the file, in file order."""
    parser = get_format(fmt)
    file_time = datetime.fromtimestamp(Path(path).stat().st_mtime, UTC)
    seen = _Seen()
    batch = PreparedBatch()
    posts: list[tuple[Post, str]] = []
    actors: list[Actor] = []
    bytes_read = 0

    def on_progress(done: int) -> None:
        nonlocal bytes_read
        bytes_read = done

    def finish() -> PreparedBatch:
        now = utcnow()
        known = {(actor.platform, actor.external_id) for actor in actors}
        post_rows = []
        for post, where in posts:
            if seen.new_post(post):
                provenance = Provenance(collection_id, where, file_time, tool_version)
                post_rows.append(post_row(post, provenance, canonical_url, now))
            else:
                batch.repeats += 1
            author_id = post.author_external_id
            if author_id is not None and (post.platform, author_id) not in known:
                known.add((post.platform, author_id))  # known only by id: still an actor row
                actors.append(Actor(post.platform, author_id, handle=post.author_handle))
        actor_rows = [actor_row(actor, now) for actor in actors if seen.new_actor(actor)]
        prepared = prepare_rows(dialect, post_rows, actor_rows)
        batch.post_rows, batch.actor_rows = prepared.posts, prepared.actors
        batch.repeats += prepared.repeats
        batch.bytes_read = bytes_read
        return batch

    for record in iter_records(path, fmt, on_progress=on_progress):
        where = f"{path}:{record.line}"
        if record.error is not None:
            batch.rejects.append(Reject(where, record.error, None))
            continue
        batch.read += 1
        try:
            parsed = parser.parse(record.document)
        except MalformedRecord as bad:
            batch.rejects.append(Reject(where, str(bad), record.document))
            continue
        except Exception as surprise:  # a shape no parser rule foresaw: set aside, go on
            reason = f"could not be normalized ({type(surprise).__name__}: {surprise})"
            batch.rejects.append(Reject(where, reason, record.document))
            continue
        batch.rejects.extend(Reject(where, part.reason, part.payload) for part in parsed.rejected)
        posts.extend((post, where) for post in parsed.posts)
        actors.extend(parsed.actors)
        if len(posts) >= batch_size:
            yield finish()
            batch, posts, actors = PreparedBatch(), [], []
    yield finish()
