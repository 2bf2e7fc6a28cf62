"""The audit log: an append-only hash chain of sign-ins and administrative actions.

Each row's hash is sha256(previous row's hash + the row's canonical content), so changing,
deleting or re-ordering any row breaks every hash after it, and `verify_chain` finds where.
Removing rows from the end leaves a shorter valid chain: keep the head hash somewhere else
(`ediplomacy users verify-audit` prints it) to detect that too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ediplomacy.store.schema import audit_log
from ediplomacy.store.timeutil import as_utc

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x65_64_69_70  # one advisory lock serialises appends on PostgreSQL


class Action:
    """The actions recorded; dotted names group them (login.*, user.*)."""

    LOGIN_SUCCEEDED = "login.succeeded"
    LOGIN_FAILED = "login.failed"
    LOCKED_OUT = "login.locked_out"
    LOGOUT = "logout"
    USER_ADDED = "user.added"
    ROLE_CHANGED = "user.role_changed"
    USER_DISABLED = "user.disabled"
    USER_ENABLED = "user.enabled"
    WATCH_RULE_ADDED = "watch_rule.added"
    WATCH_RULE_ENABLED = "watch_rule.enabled"
    WATCH_RULE_DISABLED = "watch_rule.disabled"
    WATCH_RULE_REMOVED = "watch_rule.removed"
    ALERT_ACKNOWLEDGED = "alert.acknowledged"
    TOPICS_DISCOVERED = "topics.discovered"
    FACT_CHECK_ADDED = "fact_check.added"
    FACT_CHECK_EDITED = "fact_check.edited"
    FACT_CHECKS_IMPORTED = "fact_check.imported"
    ACCOUNT_LABELED = "account.labeled"
    DRAFT_CREATED = "draft.created"
    DRAFT_EDITED = "draft.edited"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str | None
    action: str
    target: str | None
    detail: dict[str, Any]
    ip: str | None
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The result of checking the chain: ok, how many rows, and the first broken row if any."""

    ok: bool
    checked: int
    head_hash: str
    broken_at: int | None = None
    reason: str | None = None


def canonical_content(
    at: datetime, actor: str | None, action: str, target: str | None, detail: str, ip: str | None
) -> bytes:
    """The bytes hashed for one row: its fields as JSON with sorted keys, time in UTC."""
    fields = {
        "at": as_utc(at).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "target": target,
        "detail": detail,
        "ip": ip,
    }
    return orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)


def chain_hash(prev_hash: str, content: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + content).hexdigest()


def append(
    connection: Connection,
    action: str,
    *,
    actor: str | None = None,
    target: str | None = None,
    detail: Mapping[str, Any] | None = None,
    ip: str | None = None,
    at: datetime | None = None,
) -> str:
    """Add one row to the chain inside the caller's transaction; returns its hash."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
    moment = as_utc(at or datetime.now(UTC))
    detail_text = orjson.dumps(dict(detail or {}), option=orjson.OPT_SORT_KEYS).decode()
    # Write first, then read the previous hash: on SQLite the write takes the database lock,
    # so no other writer can slip a row in between the read and this row.
    row_id = connection.execute(
        audit_log.insert()
        .values(
            at=moment,
            actor=actor,
            action=action,
            target=target,
            detail=detail_text,
            ip=ip,
            prev_hash="",
            hash="",
        )
        .returning(audit_log.c.id)
    ).scalar_one()
    prev_hash = connection.execute(
        sa.select(audit_log.c.hash)
        .where(audit_log.c.id < row_id)
        .order_by(audit_log.c.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    prev_hash = prev_hash or GENESIS
    row_hash = chain_hash(
        prev_hash, canonical_content(moment, actor, action, target, detail_text, ip)
    )
    connection.execute(
        audit_log.update()
        .where(audit_log.c.id == row_id)
        .values(prev_hash=prev_hash, hash=row_hash)
    )
    return row_hash


def verify_chain(engine: Engine) -> ChainReport:
    """Recompute every hash in order; report the first row whose link or content changed."""
    expected_prev = GENESIS
    checked = 0
    query = sa.select(audit_log).order_by(audit_log.c.id)
    with engine.connect() as connection:
        for row in connection.execution_options(yield_per=1000).execute(query):
            if row.prev_hash != expected_prev:
                reason = "its link to the previous row is broken (a row was removed or inserted)"
                return ChainReport(False, checked, expected_prev, row.id, reason)
            content = canonical_content(
                row.at, row.actor, row.action, row.target, row.detail, row.ip
            )
            if chain_hash(row.prev_hash, content) != row.hash:
                reason = "its content no longer matches its hash (the row was edited)"
                return ChainReport(False, checked, expected_prev, row.id, reason)
            expected_prev = row.hash
            checked += 1
    return ChainReport(True, checked, expected_prev)


def recent_entries(
    engine: Engine, *, limit: int = 100, offset: int = 0, action_prefix: str | None = None
) -> tuple[list[AuditEntry], int]:
    """The newest entries first, optionally only those whose action starts with a prefix."""
    condition: sa.ColumnElement[bool] = sa.true()
    if action_prefix:
        condition = audit_log.c.action.startswith(action_prefix, autoescape=True)
    with engine.connect() as connection:
        total = connection.execute(
            sa.select(sa.func.count()).select_from(audit_log).where(condition)
        ).scalar_one()
        rows = connection.execute(
            sa.select(audit_log)
            .where(condition)
            .order_by(audit_log.c.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
    entries = [
        AuditEntry(
            id=row.id,
            at=as_utc(row.at),
            actor=row.actor,
            action=row.action,
            target=row.target,
            detail=orjson.loads(row.detail or "{}"),
            ip=row.ip,
            prev_hash=row.prev_hash,
            hash=row.hash,
        )
        for row in rows
    ]
    return entries, total
