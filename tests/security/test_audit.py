from __future__ import annotations

from itertools import pairwise

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.security import audit
from ediplomacy.security.audit import GENESIS, Action
from ediplomacy.store.schema import audit_log


def write_chain(engine: Engine, count: int = 5) -> None:
    for number in range(count):
        with engine.begin() as connection:
            audit.append(
                connection,
                Action.LOGIN_FAILED,
                target=f"user{number}",
                detail={"reason": "wrong password", "n": number},
                ip="192.0.2.1",
            )


def test_an_untouched_chain_verifies(engine: Engine) -> None:
    assert audit.verify_chain(engine) == audit.ChainReport(True, 0, GENESIS)
    write_chain(engine)
    report = audit.verify_chain(engine)
    assert report.ok and report.checked == 5
    with engine.connect() as connection:
        rows = connection.execute(sa.select(audit_log).order_by(audit_log.c.id)).all()
    assert rows[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(rows))
    assert report.head_hash == rows[-1].hash


def test_an_edited_row_is_detected(engine: Engine) -> None:
    write_chain(engine)
    with engine.begin() as connection:
        connection.execute(audit_log.update().where(audit_log.c.id == 3).values(target="someone"))
    report = audit.verify_chain(engine)
    assert not report.ok
    assert report.broken_at == 3 and report.checked == 2
    assert report.reason is not None and "edited" in report.reason


def test_an_edited_timestamp_or_detail_is_detected(engine: Engine) -> None:
    write_chain(engine)
    with engine.begin() as connection:
        connection.execute(audit_log.update().where(audit_log.c.id == 5).values(detail="{}"))
    assert audit.verify_chain(engine).broken_at == 5


def test_a_removed_row_is_detected(engine: Engine) -> None:
    write_chain(engine)
    with engine.begin() as connection:
        connection.execute(audit_log.delete().where(audit_log.c.id == 2))
    report = audit.verify_chain(engine)
    assert not report.ok and report.broken_at == 3
    assert report.reason is not None and "removed" in report.reason


def test_a_rehashed_row_still_breaks_the_next_link(engine: Engine) -> None:
    """Someone who edits a row and recomputes its hash breaks the link of the row after."""
    write_chain(engine)
    with engine.begin() as connection:
        row = connection.execute(sa.select(audit_log).where(audit_log.c.id == 2)).one()
        content = audit.canonical_content(
            row.at, row.actor, row.action, "forged", row.detail, row.ip
        )
        forged = audit.chain_hash(row.prev_hash, content)
        connection.execute(
            audit_log.update().where(audit_log.c.id == 2).values(target="forged", hash=forged)
        )
    assert audit.verify_chain(engine).broken_at == 3


def test_chain_on_postgresql(postgres_engine: Engine) -> None:
    write_chain(postgres_engine, 3)
    assert audit.verify_chain(postgres_engine).ok
    with postgres_engine.begin() as connection:
        connection.execute(audit_log.update().where(audit_log.c.id == 2).values(ip="203.0.113.9"))
    assert audit.verify_chain(postgres_engine).broken_at == 2
