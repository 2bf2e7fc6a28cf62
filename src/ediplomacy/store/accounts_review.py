"""Bot-likeness in the database: accounts' activity read in bulk, their scores, analysts' labels.

Every SQL statement on `account_scores` and `account_labels`, and the bulk reads of `posts` and
`actors` the score is measured from. Callers own the transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ediplomacy.store.schema import account_labels, account_scores, actors, posts
from ediplomacy.store.serialize import dumps, loads
from ediplomacy.store.timeutil import as_utc

JULIAN_UNIX_EPOCH = 2440587.5  # julianday('1970-01-01')
TRAIT_SAMPLE = 2_000  # recent posts per platform read to tell how precise its times are


class AccountKey(NamedTuple):
    platform: str
    external_id: str
    posts: int


class ActivityRow(NamedTuple):
    platform: str
    author: str
    post_id: int
    at: float | None  # epoch seconds
    repost: bool
    text: str | None  # None for reposts: their text is someone else's


@dataclass(frozen=True, slots=True)
class AccountScore:
    platform: str
    external_id: str
    score: float
    reasons: list[dict[str, Any]]
    features: dict[str, Any]
    model_version: str
    computed_at: datetime
    handle: str | None
    name: str | None
    label: str | None  # the latest label, if any
    label_note: str | None
    labeled_by: str | None
    labeled_at: datetime | None


@dataclass(frozen=True, slots=True)
class AccountLabel:
    id: int
    platform: str
    external_id: str
    label: str
    note: str | None
    labeled_by: str
    labeled_at: datetime


@dataclass(frozen=True, slots=True)
class ExportedLabel:
    """A label with what the model said of the account when it was exported."""

    label: AccountLabel
    handle: str | None
    score: float | None
    model_version: str | None
    features: dict[str, Any] | None


def epoch(connection: Connection, column: Any) -> Any:
    """Seconds since 1970 as a float, computed by the database (no datetime objects on the way)."""
    if connection.dialect.name == "postgresql":
        return sa.cast(sa.extract("epoch", column), sa.Float)
    return (sa.func.julianday(column) - JULIAN_UNIX_EPOCH) * 86_400.0


# -- bulk reads for scoring -----------------------------------------------------------------


def accounts_with_posts(
    connection: Connection, *, since: datetime | None = None
) -> list[AccountKey]:
    """Every author of posts with its number of posts; with `since`, only those with a post
    imported at or after it."""
    query = (
        sa.select(posts.c.platform, posts.c.author_external_id, sa.func.count())
        .where(posts.c.author_external_id.is_not(None))
        .group_by(posts.c.platform, posts.c.author_external_id)
        .order_by(posts.c.platform, posts.c.author_external_id)
    )
    if since is not None:
        recent = sa.select(posts.c.platform, posts.c.author_external_id).where(
            posts.c.imported_at >= since, posts.c.author_external_id.is_not(None)
        )
        query = query.where(sa.tuple_(posts.c.platform, posts.c.author_external_id).in_(recent))
    return [AccountKey(*row) for row in connection.execute(query)]


def activity(
    connection: Connection,
    *,
    platform: str | None = None,
    external_ids: Sequence[str] | None = None,
    batch: int = 5_000,
) -> Iterator[ActivityRow]:
    """Posts with an author, by account then time, streamed; reposts without their text.

    Without `external_ids` one ordered pass over every post: the posts index gives the order,
    whatever the planner knows of the table.
    """
    repost = posts.c.repost_of_external_id.is_not(None)
    query = (
        sa.select(
            posts.c.platform,
            posts.c.author_external_id,
            posts.c.id,
            epoch(connection, posts.c.created_at).label("at"),
            repost.label("repost"),
            sa.case((repost, sa.null()), else_=posts.c.text).label("text"),
        )
        .where(posts.c.author_external_id.is_not(None))
        .order_by(posts.c.platform, posts.c.author_external_id, posts.c.created_at, posts.c.id)
    )
    if platform is not None:
        query = query.where(posts.c.platform == platform)
    if external_ids is not None:
        query = query.where(posts.c.author_external_id.in_(external_ids))
    for row in connection.execution_options(yield_per=batch).execute(query):
        at = None if row[3] is None else float(row[3])
        yield ActivityRow(row[0], row[1], int(row[2]), at, bool(row[4]), row[5])


def profiles(connection: Connection, platform: str, external_ids: Sequence[str]) -> dict[str, Any]:
    query = sa.select(
        actors.c.external_id,
        actors.c.handle,
        actors.c.name,
        actors.c.description,
        epoch(connection, actors.c.created_at).label("created_at"),
        actors.c.followers_count,
        actors.c.following_count,
        actors.c.posts_count,
        actors.c.verified,
    ).where(actors.c.platform == platform, actors.c.external_id.in_(external_ids))
    return {row.external_id: row for row in connection.execute(query)}


def payloads(connection: Connection, post_ids: Sequence[int]) -> dict[int, Any]:
    """The raw payloads of these posts, by post id (unreadable ones left out)."""
    found: dict[int, Any] = {}
    if not post_ids:
        return found
    query = sa.select(posts.c.id, posts.c.raw).where(posts.c.id.in_(post_ids))
    for post_id, raw in connection.execute(query):
        try:
            found[int(post_id)] = loads(raw)
        except ValueError:
            continue
    return found


def platform_samples(connection: Connection) -> dict[str, tuple[list[float], float]]:
    """Per platform: the times of its latest posts, and the share of profiles with a description."""
    samples: dict[str, tuple[list[float], float]] = {}
    described = sa.func.count(sa.func.nullif(sa.func.trim(actors.c.description), ""))
    shares = {
        platform: (with_text / total if total else 0.0)
        for platform, total, with_text in connection.execute(
            sa.select(actors.c.platform, sa.func.count(), described).group_by(actors.c.platform)
        )
    }
    platforms = connection.execute(sa.select(posts.c.platform).distinct()).scalars().all()
    for platform in platforms:
        times = connection.execute(
            sa.select(epoch(connection, posts.c.created_at))
            .where(posts.c.platform == platform, posts.c.created_at.is_not(None))
            .order_by(posts.c.id.desc())
            .limit(TRAIT_SAMPLE)
        ).scalars()
        samples[platform] = ([float(t) for t in times], shares.get(platform, 0.0))
    return samples


def upsert_scores(connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Write scores, replacing each account's previous one."""
    if not rows:
        return
    stored = [{**row, "reasons": dumps(row["reasons"]), "features": dumps(row["features"])}
              for row in rows]  # fmt: skip
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    statement = insert(account_scores)
    statement = statement.on_conflict_do_update(
        index_elements=["platform", "external_id"],
        set_={name: statement.excluded[name]
              for name in ("score", "reasons", "features", "model_version", "computed_at")},
    )  # fmt: skip
    connection.execute(statement, stored)


# -- reading scores -------------------------------------------------------------------------


def _latest_label() -> Any:
    last = (
        sa.select(sa.func.max(account_labels.c.id).label("id"))
        .group_by(account_labels.c.platform, account_labels.c.external_id)
        .subquery("last_label")
    )
    return (
        sa.select(account_labels)
        .where(account_labels.c.id.in_(sa.select(last.c.id)))
        .subquery("latest_label")
    )


def _score_query(columns: Sequence[Any] | None = None) -> tuple[Any, Any]:
    latest = _latest_label()
    joined = account_scores.outerjoin(
        actors,
        sa.and_(actors.c.platform == account_scores.c.platform,
                actors.c.external_id == account_scores.c.external_id),
    ).outerjoin(
        latest,
        sa.and_(latest.c.platform == account_scores.c.platform,
                latest.c.external_id == account_scores.c.external_id),
    )  # fmt: skip
    selected = columns or (
        account_scores,
        actors.c.handle,
        actors.c.name,
        latest.c.label,
        latest.c.note.label("label_note"),
        latest.c.labeled_by,
        latest.c.labeled_at,
    )
    return sa.select(*selected).select_from(joined), latest


def _from_row(row: sa.Row[Any]) -> AccountScore:
    values = dict(row._mapping)
    values["reasons"] = loads(values["reasons"]) or []
    values["features"] = loads(values["features"]) or {}
    values["computed_at"] = as_utc(values["computed_at"])
    values["labeled_at"] = as_utc(values["labeled_at"])
    return AccountScore(**values)


def list_scores(
    connection: Connection,
    *,
    min_score: float = 0.0,
    labelled: bool | None = None,
    label: str | None = None,
    platform: str | None = None,
    search: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[AccountScore], int]:
    """A page of scored accounts, highest score first, and how many match in all."""

    def filtered(query: Any, latest: Any) -> Any:
        if min_score > 0:
            query = query.where(account_scores.c.score >= min_score)
        if labelled is True:
            query = query.where(latest.c.id.is_not(None))
        elif labelled is False:
            query = query.where(latest.c.id.is_(None))
        if label:
            query = query.where(latest.c.label == label)
        if platform:
            query = query.where(account_scores.c.platform == platform)
        if search:
            needle = search.strip().lower()
            query = query.where(
                sa.or_(
                    sa.func.lower(sa.func.coalesce(actors.c.handle, "")).contains(
                        needle, autoescape=True
                    ),
                    sa.func.lower(sa.func.coalesce(actors.c.name, "")).contains(
                        needle, autoescape=True
                    ),
                    sa.func.lower(account_scores.c.external_id).contains(needle, autoescape=True),
                )
            )
        return query

    count_query, latest = _score_query([sa.func.count()])
    total = connection.execute(filtered(count_query, latest)).scalar_one()
    query, latest = _score_query()
    order = (account_scores.c.score.desc(), account_scores.c.platform, account_scores.c.external_id)
    rows = connection.execute(filtered(query, latest).order_by(*order).limit(limit).offset(offset))
    return [_from_row(row) for row in rows], int(total)


def all_scores(connection: Connection) -> list[tuple[str, str, float]]:
    """(platform, external_id, score) of every scored account."""
    query = sa.select(
        account_scores.c.platform, account_scores.c.external_id, account_scores.c.score
    )
    return [(row[0], row[1], float(row[2])) for row in connection.execute(query)]


def get_score(connection: Connection, platform: str, external_id: str) -> AccountScore | None:
    query, _ = _score_query()
    row = connection.execute(
        query.where(account_scores.c.platform == platform,
                    account_scores.c.external_id == external_id)
    ).first()  # fmt: skip
    return None if row is None else _from_row(row)


def actor(connection: Connection, platform: str, external_id: str) -> dict[str, Any] | None:
    row = connection.execute(
        sa.select(actors).where(actors.c.platform == platform, actors.c.external_id == external_id)
    ).first()
    if row is None:
        return None
    values = dict(row._mapping)
    for name in ("created_at", "first_seen_at", "updated_at"):
        values[name] = as_utc(values[name])
    return values


def has_posts(connection: Connection, platform: str, external_id: str) -> bool:
    query = sa.select(posts.c.id).where(
        posts.c.platform == platform, posts.c.author_external_id == external_id
    )
    return connection.execute(query.limit(1)).first() is not None


def recent_posts(
    connection: Connection, platform: str, external_id: str, limit: int = 20
) -> list[dict[str, Any]]:
    """The account's latest posts, newest first."""
    query = (
        sa.select(posts.c.id, posts.c.created_at, posts.c.text, posts.c.url,
                  posts.c.repost_of_external_id, posts.c.reply_to_external_id)
        .where(posts.c.platform == platform, posts.c.author_external_id == external_id)
        .order_by(posts.c.created_at.desc(), posts.c.id.desc())
        .limit(limit)
    )  # fmt: skip
    found = []
    for row in connection.execute(query):
        values = dict(row._mapping)
        values["created_at"] = as_utc(values["created_at"])
        found.append(values)
    return found


def post_times(
    connection: Connection, platform: str, external_id: str, limit: int = 2_000
) -> list[float]:
    """Epoch seconds of the account's latest `limit` posts, oldest first."""
    query = (
        sa.select(epoch(connection, posts.c.created_at))
        .where(
            posts.c.platform == platform,
            posts.c.author_external_id == external_id,
            posts.c.created_at.is_not(None),
        )
        .order_by(posts.c.created_at.desc())
        .limit(limit)
    )
    return sorted(float(value) for value in connection.execute(query).scalars())


# -- labels ---------------------------------------------------------------------------------


def insert_label(
    connection: Connection,
    platform: str,
    external_id: str,
    label: str,
    note: str | None,
    *,
    labeled_by: str,
    labeled_at: datetime,
) -> int:
    result = connection.execute(
        account_labels.insert().values(platform=platform, external_id=external_id, label=label,
                                       note=note, labeled_by=labeled_by, labeled_at=labeled_at)
    )  # fmt: skip
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _label(row: sa.Row[Any]) -> AccountLabel:
    values = {name: getattr(row, name) for name in AccountLabel.__dataclass_fields__}
    values["labeled_at"] = as_utc(values["labeled_at"])
    return AccountLabel(**values)


def labels_of(connection: Connection, platform: str, external_id: str) -> list[AccountLabel]:
    """Every label given to the account, newest first."""
    query = (
        sa.select(account_labels)
        .where(account_labels.c.platform == platform, account_labels.c.external_id == external_id)
        .order_by(account_labels.c.id.desc())
    )
    return [_label(row) for row in connection.execute(query)]


def iterate_labels(connection: Connection, *, latest_only: bool = False) -> Iterator[ExportedLabel]:
    """Every label (or each account's latest), oldest first, with the account's current score."""
    source = _latest_label() if latest_only else account_labels
    query = (
        sa.select(source, actors.c.handle, account_scores.c.score,
                  account_scores.c.model_version, account_scores.c.features)
        .select_from(
            source.outerjoin(actors, sa.and_(actors.c.platform == source.c.platform,
                                             actors.c.external_id == source.c.external_id))
            .outerjoin(account_scores,
                       sa.and_(account_scores.c.platform == source.c.platform,
                               account_scores.c.external_id == source.c.external_id))
        )
        .order_by(source.c.id)
    )  # fmt: skip
    for row in connection.execute(query):
        yield ExportedLabel(
            _label(row),
            row.handle,
            None if row.score is None else float(row.score),
            row.model_version,
            loads(row.features) if row.features else None,
        )
