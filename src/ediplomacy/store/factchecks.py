"""The fact-check base: every SQL statement on `fact_checks`. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from ediplomacy.domain.errors import NotFound
from ediplomacy.store.schema import fact_checks
from ediplomacy.store.timeutil import as_utc

# The fields an import or a form sets; the rest (id, dates of the row, author) the store keeps.
FIELDS = (
    "kind", "claim_text", "verdict", "verdict_text", "rating_value", "language", "claimant",
    "claim_date", "review_date", "url", "title", "summary", "publisher", "sources", "languages",
    "source", "external_id",
)  # fmt: skip
JSON_FIELDS = ("sources", "languages")


@dataclass(frozen=True, slots=True)
class FactCheck:
    id: int
    kind: str
    claim_text: str
    verdict: str
    verdict_text: str | None
    rating_value: float | None
    language: str | None
    claimant: str | None
    claim_date: datetime | None
    review_date: datetime | None
    url: str | None
    title: str | None
    summary: str | None
    publisher: str | None
    sources: list[str]
    languages: list[str]
    source: str | None
    external_id: str | None
    created_at: datetime
    updated_at: datetime
    created_by: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def content(self) -> dict[str, Any]:
        """The imported fields only: what an export and a re-import must keep equal."""
        return {name: getattr(self, name) for name in FIELDS}


def _from_row(row: Row[Any]) -> FactCheck:
    values = dict(row._mapping)
    for name in JSON_FIELDS:
        values[name] = orjson.loads(values[name] or "[]")
    for name in ("claim_date", "review_date", "created_at", "updated_at"):
        values[name] = as_utc(values[name])
    return FactCheck(**values)


def _stored(values: Mapping[str, Any]) -> dict[str, Any]:
    stored = {name: values[name] for name in FIELDS if name in values}
    for name in JSON_FIELDS:
        if name in stored:
            stored[name] = orjson.dumps(list(stored[name] or [])).decode()
    return stored


def find_existing(connection: Connection, values: Mapping[str, Any]) -> int | None:
    """The row an import of `values` updates: same (source, external_id), else same url."""
    if values.get("external_id"):
        found = connection.execute(
            sa.select(fact_checks.c.id).where(
                fact_checks.c.source == values.get("source"),
                fact_checks.c.external_id == values["external_id"],
            )
        ).scalar_one_or_none()
        if found is not None:
            return int(found)
    if values.get("url"):
        found = connection.execute(
            sa.select(fact_checks.c.id).where(fact_checks.c.url == values["url"])
        ).scalar_one_or_none()
        if found is not None:
            return int(found)
    return None


def insert(
    connection: Connection, values: Mapping[str, Any], *, now: datetime, actor: str | None
) -> int:
    result = connection.execute(
        fact_checks.insert().values(
            **_stored(values), created_at=now, updated_at=now, created_by=actor
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def update(
    connection: Connection, fact_id: int, values: Mapping[str, Any], *, now: datetime
) -> bool:
    """Change a row; False when nothing differed (updated_at then stays as it was)."""
    current = get(connection, fact_id).content()
    changed = {name: value for name, value in values.items() if current.get(name) != value}
    if not changed:
        return False
    connection.execute(
        fact_checks.update()
        .where(fact_checks.c.id == fact_id)
        .values(**_stored(changed), updated_at=now)
    )
    return True


def get(connection: Connection, fact_id: int) -> FactCheck:
    row = connection.execute(sa.select(fact_checks).where(fact_checks.c.id == fact_id)).first()
    if row is None:
        raise NotFound(f"No fact-check with id {fact_id}.")
    return _from_row(row)


def url_taken(connection: Connection, url: str, *, other_than: int | None = None) -> bool:
    query = sa.select(fact_checks.c.id).where(fact_checks.c.url == url)
    if other_than is not None:
        query = query.where(fact_checks.c.id != other_than)
    return connection.execute(query).first() is not None


def _filtered(query: Any, search: str | None, verdict: str | None, kind: str | None) -> Any:
    if search:
        needle = search.strip().lower()
        columns = (fact_checks.c.claim_text, fact_checks.c.title, fact_checks.c.publisher,
                   fact_checks.c.claimant, fact_checks.c.summary)  # fmt: skip
        query = query.where(
            sa.or_(
                *(sa.func.lower(sa.func.coalesce(column, "")).contains(needle, autoescape=True)
                  for column in columns)
            )
        )  # fmt: skip
    if verdict:
        query = query.where(fact_checks.c.verdict == verdict)
    if kind:
        query = query.where(fact_checks.c.kind == kind)
    return query


def search(
    connection: Connection,
    *,
    search: str | None = None,
    verdict: str | None = None,
    kind: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[FactCheck], int]:
    """A page of the base, newest review first, and how many match in all."""
    total = connection.execute(
        _filtered(sa.select(sa.func.count()).select_from(fact_checks), search, verdict, kind)
    ).scalar_one()
    query = _filtered(sa.select(fact_checks), search, verdict, kind)
    order = (fact_checks.c.review_date.desc().nulls_last(), fact_checks.c.id.desc())
    rows = connection.execute(query.order_by(*order).limit(limit).offset(offset))
    return [_from_row(row) for row in rows], int(total)


def iterate(connection: Connection, batch: int = 1000) -> Iterator[FactCheck]:
    """Every row in id order, read in batches."""
    last = 0
    while True:
        rows = connection.execute(
            sa.select(fact_checks).where(fact_checks.c.id > last).order_by(fact_checks.c.id)
            .limit(batch)
        ).all()  # fmt: skip
        if not rows:
            return
        for row in rows:
            yield _from_row(row)
        last = rows[-1].id
