"""Drafts for the publishing workflow and their texts per language. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from ediplomacy.domain.errors import NotFound
from ediplomacy.store.schema import draft_texts, drafts, narratives
from ediplomacy.store.serialize import dumps, loads
from ediplomacy.store.timeutil import as_utc


@dataclass(frozen=True, slots=True)
class DraftRow:
    id: int
    kind: str
    title: str
    status: str
    narrative_id: int | None
    narrative_label: str | None
    sources: list[dict[str, Any]]
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    texts: dict[str, str] = field(default_factory=dict)  # language -> body (`get` only)
    languages: list[str] = field(default_factory=list)


def _columns() -> list[Any]:
    return [*drafts.c, narratives.c.label.label("narrative_label")]


def _joined() -> Any:
    return drafts.outerjoin(narratives, narratives.c.id == drafts.c.narrative_id)


def _draft(
    row: Row[Any], texts: dict[str, str] | None = None, languages: list[str] | None = None
) -> DraftRow:
    return DraftRow(
        id=row.id,
        kind=row.kind,
        title=row.title,
        status=row.status,
        narrative_id=row.narrative_id,
        narrative_label=row.narrative_label,
        sources=loads(row.sources) or [],
        created_by=row.created_by,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
        texts=texts or {},
        languages=languages if languages is not None else list(texts or {}),
    )


def insert(
    connection: Connection,
    *,
    kind: str,
    title: str,
    narrative_id: int | None,
    sources: Sequence[Mapping[str, Any]],
    texts: Sequence[tuple[str, str]],
    created_by: str | None,
    now: datetime,
) -> int:
    """A new draft (status 'draft') with one text per language, in the order given."""
    result = connection.execute(
        drafts.insert().values(
            kind=kind,
            title=title,
            status="draft",
            narrative_id=narrative_id,
            sources=dumps([dict(source) for source in sources]),
            created_by=created_by,
            created_at=now,
            updated_at=now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    draft_id = int(key[0])
    if texts:
        connection.execute(
            draft_texts.insert(),
            [{"draft_id": draft_id, "language": lang, "body": body} for lang, body in texts],
        )
    return draft_id


def get(connection: Connection, draft_id: int) -> DraftRow:
    row = connection.execute(
        sa.select(*_columns()).select_from(_joined()).where(drafts.c.id == draft_id)
    ).first()
    if row is None:
        raise NotFound(f"No draft with id {draft_id}.")
    texts = connection.execute(
        sa.select(draft_texts.c.language, draft_texts.c.body)
        .where(draft_texts.c.draft_id == draft_id)
        .order_by(draft_texts.c.language)
    )
    return _draft(row, {text.language: text.body for text in texts})


def set_text(
    connection: Connection, draft_id: int, language: str, body: str, *, now: datetime
) -> bool:
    """Replace (or add) one language's text; False when it was already exactly that."""
    current = connection.execute(
        sa.select(draft_texts.c.body).where(
            draft_texts.c.draft_id == draft_id, draft_texts.c.language == language
        )
    ).first()
    if current is not None and current.body == body:
        return False
    if current is None:
        connection.execute(
            draft_texts.insert().values(draft_id=draft_id, language=language, body=body)
        )
    else:
        connection.execute(
            draft_texts.update()
            .where(draft_texts.c.draft_id == draft_id, draft_texts.c.language == language)
            .values(body=body)
        )
    connection.execute(drafts.update().where(drafts.c.id == draft_id).values(updated_at=now))
    return True


def page(
    connection: Connection,
    *,
    kind: str | None = None,
    narrative_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[DraftRow], int]:
    """Drafts, the most recently changed first (with their languages), and how many."""
    where = []
    if kind:
        where.append(drafts.c.kind == kind)
    if narrative_id is not None:
        where.append(drafts.c.narrative_id == narrative_id)
    total = connection.execute(
        sa.select(sa.func.count()).select_from(drafts).where(*where)
    ).scalar_one()
    rows = connection.execute(
        sa.select(*_columns())
        .select_from(_joined())
        .where(*where)
        .order_by(drafts.c.updated_at.desc(), drafts.c.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    languages: dict[int, list[str]] = {row.id: [] for row in rows}
    if rows:
        texts = connection.execute(
            sa.select(draft_texts.c.draft_id, draft_texts.c.language)
            .where(draft_texts.c.draft_id.in_(list(languages)))
            .order_by(draft_texts.c.language)
        )
        for text in texts:
            languages[text.draft_id].append(text.language)
    return [_draft(row, None, languages[row.id]) for row in rows], int(total)
