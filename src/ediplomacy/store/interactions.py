"""Who reposted, replied to, quoted or mentioned whom: the polarization network's rows. Read only.

A repost, reply or quote is resolved to the author of the post it refers to by joining `posts`
to itself on (platform, external id); a reply also names its parent's author directly, so it
counts even when the parent was never collected. Mentions are resolved by handle through
`actors`. The time window applies to the interacting post.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ediplomacy.store.schema import actors, narrative_posts, narratives, post_facets, posts
from ediplomacy.store.timeutil import as_utc

KINDS = ("repost", "reply", "quote", "mention")
_CHUNK = 900  # bound parameters per IN list: SQLite allows 32,766, PostgreSQL 65,535


class Interaction(NamedTuple):
    """One account acting on another's post (or naming it, for a mention)."""

    kind: str
    platform: str
    source: str  # the acting account's external id
    target: str  # the author acted on
    at: datetime
    post_id: int  # the acting post
    target_post_id: int | None  # None for a mention, or a reply whose parent is not stored


class PostTraits(NamedTuple):
    """What a post says about its author's community: language, hashtags, sentiment."""

    platform: str
    author: str
    language: str | None
    hashtags: tuple[str, ...]
    sentiment: str | None


class Reading(NamedTuple):
    interactions: list[Interaction]
    traits: dict[int, PostTraits]  # by post id, for every post on either side
    handles: dict[tuple[str, str], str]  # (platform, external id) -> handle, where known


def _hashtags(value: str | None) -> tuple[str, ...]:
    if not value or value == "[]":
        return ()
    try:
        parsed = orjson.loads(value)
    except ValueError:
        return ()
    return tuple(str(tag) for tag in parsed if tag) if isinstance(parsed, list) else ()


def _window(query: Any, column: Any, since: datetime | None, until: datetime | None) -> Any:
    if since is not None:
        query = query.where(column >= since)
    if until is not None:
        query = query.where(column < until)
    return query


def read_interactions(
    conn: Connection,
    *,
    kinds: Sequence[str],
    since: datetime | None = None,
    until: datetime | None = None,
    platform: str | None = None,
) -> Reading:
    """Every interaction of `kinds` whose acting post is in [since, until), oldest first."""
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown interaction kinds {unknown}; expected some of {KINDS}")
    reading = Reading([], {}, {})
    for kind in ("repost", "reply", "quote"):
        if kind in kinds:
            _read_references(conn, reading, kind, since, until, platform)
    if "mention" in kinds:
        _read_mentions(conn, reading, since, until, platform)
    reading.interactions.sort(key=lambda row: (row.at, row.post_id, row.kind, row.target))
    return reading


def _traits(reading: Reading, platform: str, side: Sequence[Any]) -> None:
    """Keep what a post says about its author; `side` is the columns `_side` selects."""
    post_id, author, handle, language, hashtags, sentiment = side
    if post_id not in reading.traits:
        reading.traits[post_id] = PostTraits(
            platform, author, language or None, _hashtags(hashtags), sentiment
        )
    if handle:
        reading.handles.setdefault((platform, author), handle)


def _side(table: Any) -> list[Any]:
    """A post's id, author, handle, language, hashtags and sentiment, in this order."""
    return [
        table.c.id,
        table.c.author_external_id,
        table.c.author_handle,
        sa.func.coalesce(table.c.detected_language, table.c.language),
        table.c.hashtags,
        table.c.sentiment,
    ]


def _read_references(
    conn: Connection,
    reading: Reading,
    kind: str,
    since: datetime | None,
    until: datetime | None,
    platform: str | None,
) -> None:
    acting, parent = posts.alias("acting"), posts.alias("parent")
    reference = {
        "repost": acting.c.repost_of_external_id,
        "reply": acting.c.reply_to_external_id,
        "quote": acting.c.quote_of_external_id,
    }[kind]
    joined = sa.and_(parent.c.platform == acting.c.platform, parent.c.external_id == reference)
    target: sa.ColumnElement[Any] = parent.c.author_external_id
    if kind == "reply":
        target = sa.func.coalesce(acting.c.reply_to_author_external_id, target)
    query = (
        sa.select(
            acting.c.platform,
            acting.c.created_at,
            target,
            *_side(acting),
            *_side(parent),
        )
        .select_from(acting.outerjoin(parent, joined))
        .where(
            reference.is_not(None),
            acting.c.author_external_id.is_not(None),
            acting.c.created_at.is_not(None),
        )
    )
    query = _window(query, acting.c.created_at, since, until)
    if platform is not None:
        query = query.where(acting.c.platform == platform)
    # Plain tuples, unpacked by position: this loop runs once per interaction.
    for row in conn.execute(query):
        where, at, target_id = row[0], row[1], row[2]
        if not target_id:
            continue  # a repost or quote of a post never collected: its author is unknown
        acting_side, parent_side = row[3:9], row[9:15]
        _traits(reading, where, acting_side)
        if parent_side[0] is not None and parent_side[1]:
            _traits(reading, where, parent_side)
        reading.interactions.append(
            Interaction(
                kind, where, acting_side[1], target_id, as_utc(at), acting_side[0], parent_side[0]
            )
        )


def _read_mentions(
    conn: Connection,
    reading: Reading,
    since: datetime | None,
    until: datetime | None,
    platform: str | None,
) -> None:
    query = sa.select(
        posts.c.platform,
        posts.c.created_at,
        posts.c.mentions,
        posts.c.reply_to_author_external_id,
        *_side(posts),
    ).where(
        posts.c.mentions != "[]",
        posts.c.repost_of_external_id.is_(None),  # a repost repeats the original's mentions
        posts.c.author_external_id.is_not(None),
        posts.c.created_at.is_not(None),
    )
    query = _window(query, posts.c.created_at, since, until)
    if platform is not None:
        query = query.where(posts.c.platform == platform)
    rows = list(conn.execute(query))
    wanted: dict[str, set[str]] = {}
    for row in rows:
        wanted.setdefault(row[0], set()).update(
            handle.lstrip("@").lower() for handle in _hashtags(row[2])
        )
    accounts = {
        name: resolve_handles(conn, name, sorted(handles)) for name, handles in wanted.items()
    }
    for row in rows:
        where, at, mentions, replied_author, side = row[0], row[1], row[2], row[3], row[4:10]
        seen: set[str] = set()
        for handle in _hashtags(mentions):
            target = accounts[where].get(handle.lstrip("@").lower())
            # A reply names its parent's author by platform convention: not a second tie.
            if not target or target in seen or target == replied_author:
                continue
            seen.add(target)
            _traits(reading, where, side)
            reading.handles.setdefault((where, target), handle.lstrip("@"))
            reading.interactions.append(
                Interaction("mention", where, side[1], target, as_utc(at), side[0], None)
            )


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def resolve_handles(conn: Connection, platform: str, handles: Sequence[str]) -> dict[str, str]:
    """Lower-case handle -> external id of the actors of `platform` that have it."""
    found: dict[str, str] = {}
    for chunk in _chunks(handles):
        query = sa.select(actors.c.handle, actors.c.external_id).where(
            actors.c.platform == platform, sa.func.lower(actors.c.handle).in_(chunk)
        )
        for row in conn.execute(query):
            found.setdefault(row.handle.lower(), row.external_id)
    return found


def actor_handles(
    conn: Connection, accounts: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """(platform, external id) -> handle for the accounts the actors table knows."""
    by_platform: dict[str, list[str]] = {}
    for platform, external_id in accounts:
        by_platform.setdefault(platform, []).append(external_id)
    found: dict[tuple[str, str], str] = {}
    for platform, ids in by_platform.items():
        for chunk in _chunks(sorted(set(ids))):
            query = sa.select(actors.c.external_id, actors.c.handle).where(
                actors.c.platform == platform,
                actors.c.external_id.in_(chunk),
                actors.c.handle.is_not(None),
            )
            for row in conn.execute(query):
                found[(platform, row.external_id)] = row.handle
    return found


def facets_of(
    conn: Connection, post_ids: Iterable[int], *, prefix: str = "stance:", names: Sequence[str] = ()
) -> dict[int, list[tuple[str, str]]]:
    """post id -> [(facet, value)] for facets starting with `prefix` or named in `names`."""
    found: dict[int, list[tuple[str, str]]] = {}
    wanted = sa.or_(post_facets.c.facet.startswith(prefix), post_facets.c.facet.in_(names))
    for chunk in _chunks(sorted(set(post_ids))):
        query = sa.select(post_facets.c.post_id, post_facets.c.facet, post_facets.c.value).where(
            post_facets.c.post_id.in_(chunk), wanted
        )
        for row in conn.execute(query):
            found.setdefault(row.post_id, []).append((row.facet, row.value))
    return found


def narrative_memberships(conn: Connection, post_ids: Iterable[int]) -> dict[int, set[int]]:
    """post id -> the narratives it belongs to, for the given posts."""
    found: dict[int, set[int]] = {}
    for chunk in _chunks(sorted(set(post_ids))):
        query = sa.select(narrative_posts.c.post_id, narrative_posts.c.narrative_id).where(
            narrative_posts.c.post_id.in_(chunk)
        )
        for row in conn.execute(query):
            found.setdefault(row.post_id, set()).add(row.narrative_id)
    return found


class NarrativeName(NamedTuple):
    id: int
    label: str
    status: str


def narrative_names(conn: Connection, ids: Iterable[int] | None = None) -> list[NarrativeName]:
    """The narratives (all, or those of `ids`), by id."""
    query = sa.select(narratives.c.id, narratives.c.label, narratives.c.status).order_by(
        narratives.c.id
    )
    if ids is not None:
        query = query.where(narratives.c.id.in_(sorted(set(ids))))
    return [NarrativeName(row.id, row.label, row.status) for row in conn.execute(query)]
