"""Staff accounts: add, list, change role, disable and enable, each recorded in the audit log.

Services take an Engine and own the transaction; the `_row`/`_fetch` helpers only read or
write through the connection they are given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, Row

from ediplomacy.domain.people import Role, StaffUser
from ediplomacy.security import audit
from ediplomacy.security.audit import Action, as_utc
from ediplomacy.security.errors import InvalidAccount, UnknownUser
from ediplomacy.security.passwords import check_strength, hash_password
from ediplomacy.store.schema import users, web_sessions

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
LOCALES = ("en", "id")


@dataclass(frozen=True, slots=True)
class Account:
    """A staff user with what an administrator needs to see about the account's state."""

    user: StaffUser
    last_login_at: datetime | None
    locked_until: datetime | None
    failed_logins: int

    def locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or datetime.now(UTC))


def to_user(row: Row) -> StaffUser:
    return StaffUser(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        disabled=bool(row.disabled),
        locale=row.locale,
        created_at=as_utc(row.created_at),
    )


def _fetch(connection: Connection, username: str) -> Row:
    row = connection.execute(
        sa.select(users).where(users.c.username == normalize_username(username))
    ).first()
    if row is None:
        raise UnknownUser(username)
    return row


def normalize_username(username: str) -> str:
    return username.strip().lower()


def check_username(username: str) -> str:
    name = normalize_username(username)
    if not USERNAME.match(name):
        raise InvalidAccount(
            f"'{username}' cannot be a username: use 2 to 80 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit.",
            "users.error.bad_username",
            username=username,
        )
    return name


def add_user(
    engine: Engine,
    username: str,
    password: str,
    role: Role,
    *,
    display_name: str | None = None,
    actor: str | None = None,
    ip: str | None = None,
) -> StaffUser:
    """Create an account; refuses a taken username or a weak password."""
    name = check_username(username)
    check_strength(password)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        taken = connection.execute(sa.select(users.c.id).where(users.c.username == name)).first()
        if taken is not None:
            raise InvalidAccount(
                f"The username '{name}' is taken; choose another one.",
                "users.error.taken",
                username=name,
            )
        connection.execute(
            users.insert().values(
                username=name,
                display_name=(display_name or "").strip() or name,
                password_hash=hash_password(password),
                role=role.value,
                disabled=False,
                locale="en",
                failed_logins=0,
                created_at=now,
            )
        )
        audit.append(
            connection,
            Action.USER_ADDED,
            actor=actor,
            target=name,
            detail={"role": role.value},
            ip=ip,
        )
        return to_user(_fetch(connection, name))


def list_accounts(engine: Engine) -> list[Account]:
    """Every account, by username."""
    with engine.connect() as connection:
        rows = connection.execute(sa.select(users).order_by(users.c.username)).all()
    return [
        Account(
            user=to_user(row),
            last_login_at=as_utc(row.last_login_at) if row.last_login_at else None,
            locked_until=as_utc(row.locked_until) if row.locked_until else None,
            failed_logins=row.failed_logins,
        )
        for row in rows
    ]


def get_user(engine: Engine, username: str) -> StaffUser:
    with engine.connect() as connection:
        return to_user(_fetch(connection, username))


def _refuse_last_admin(connection: Connection, row: Row, what: str) -> None:
    if row.role != Role.ADMIN or row.disabled:
        return
    # FOR UPDATE locks the active admins (PostgreSQL) so that two admins demoting each other at
    # the same moment are taken one after the other and the second sees the first's change.
    # SQLite has one writer at a time and refuses a write from a stale snapshot instead.
    admins = connection.execute(
        sa.select(users.c.id)
        .where(users.c.role == Role.ADMIN.value, users.c.disabled.is_(False))
        .with_for_update()
    ).all()
    if len(admins) <= 1:
        raise InvalidAccount(
            f"'{row.username}' is the last active administrator and cannot be {what}; "
            "make another account admin first.",
            "users.error.last_admin",
            username=row.username,
        )


def set_role(
    engine: Engine, username: str, role: Role, *, actor: str | None = None, ip: str | None = None
) -> StaffUser:
    """Give an account another role; it applies from the account's next request."""
    with engine.begin() as connection:
        row = _fetch(connection, username)
        if row.role == role.value:
            return to_user(row)
        if role != Role.ADMIN:
            _refuse_last_admin(connection, row, "demoted")
        connection.execute(users.update().where(users.c.id == row.id).values(role=role.value))
        detail = {"from": row.role, "to": role.value}
        audit.append(
            connection, Action.ROLE_CHANGED, actor=actor, target=row.username, detail=detail, ip=ip
        )
        return to_user(_fetch(connection, row.username))


def disable(
    engine: Engine, username: str, *, actor: str | None = None, ip: str | None = None
) -> StaffUser:
    """Stop an account from signing in, and end its open sessions at once."""
    with engine.begin() as connection:
        row = _fetch(connection, username)
        if row.disabled:
            return to_user(row)
        _refuse_last_admin(connection, row, "disabled")
        connection.execute(users.update().where(users.c.id == row.id).values(disabled=True))
        connection.execute(web_sessions.delete().where(web_sessions.c.user_id == row.id))
        audit.append(connection, Action.USER_DISABLED, actor=actor, target=row.username, ip=ip)
        return to_user(_fetch(connection, row.username))


def enable(
    engine: Engine, username: str, *, actor: str | None = None, ip: str | None = None
) -> StaffUser:
    """Let an account sign in again; also lifts a lockout after failed sign-ins."""
    with engine.begin() as connection:
        row = _fetch(connection, username)
        connection.execute(
            users.update()
            .where(users.c.id == row.id)
            .values(disabled=False, failed_logins=0, locked_until=None)
        )
        detail = {"was_disabled": bool(row.disabled), "was_locked": row.locked_until is not None}
        audit.append(
            connection, Action.USER_ENABLED, actor=actor, target=row.username, detail=detail, ip=ip
        )
        return to_user(_fetch(connection, row.username))


def set_locale(engine: Engine, user_id: int, locale: str) -> None:
    """Remember the interface language a user chose."""
    if locale not in LOCALES:
        return
    with engine.begin() as connection:
        connection.execute(users.update().where(users.c.id == user_id).values(locale=locale))
