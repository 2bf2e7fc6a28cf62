"""Sign-in sessions: password checks with lockout, and server-side session rows.

The browser holds a random token; the database keeps only its SHA-256, so a copy of the
database does not let anyone sign in as anyone.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ediplomacy.config import Settings
from ediplomacy.domain.people import StaffUser
from ediplomacy.security import audit
from ediplomacy.security.accounts import normalize_username, to_user
from ediplomacy.security.audit import Action, as_utc
from ediplomacy.security.errors import AccountDisabled, AccountLocked, LoginFailed
from ediplomacy.security.passwords import (
    hash_password,
    needs_rehash,
    spend_verify_time,
    verify_password,
)
from ediplomacy.store.schema import users, web_sessions


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in user as a request sees it; `token` is only known right after sign-in."""

    user: StaffUser
    csrf_token: str
    expires_at: datetime
    token: str = ""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _open(connection: Connection, user: StaffUser, hours: int, now: datetime) -> Session:
    token = secrets.token_urlsafe(32)
    csrf_token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=hours)
    connection.execute(
        web_sessions.insert().values(
            token_hash=token_hash(token),
            user_id=user.id,
            csrf_token=csrf_token,
            created_at=now,
            expires_at=expires_at,
        )
    )
    # Expired rows of this user go when they sign in again; nothing else needs to sweep.
    connection.execute(
        web_sessions.delete().where(
            web_sessions.c.user_id == user.id, web_sessions.c.expires_at <= now
        )
    )
    return Session(user=user, csrf_token=csrf_token, expires_at=expires_at, token=token)


def login(
    engine: Engine, settings: Settings, username: str, password: str, *, ip: str | None = None
) -> Session:
    """Check the password and open a session; counts failures and locks the account."""
    name = normalize_username(username)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        row = connection.execute(sa.select(users).where(users.c.username == name)).first()
        if row is None:
            spend_verify_time(password)
            detail = {"reason": "unknown user"}
            audit.append(connection, Action.LOGIN_FAILED, target=name, detail=detail, ip=ip)
            failure: Exception = LoginFailed()
        elif row.locked_until is not None and as_utc(row.locked_until) > now:
            detail = {"reason": "locked"}
            audit.append(connection, Action.LOGIN_FAILED, target=name, detail=detail, ip=ip)
            failure = AccountLocked(as_utc(row.locked_until), now)
        elif not verify_password(row.password_hash, password):
            failure = _count_failure(connection, settings, row.id, name, ip, now)
        elif row.disabled:
            detail = {"reason": "disabled"}
            audit.append(connection, Action.LOGIN_FAILED, target=name, detail=detail, ip=ip)
            failure = AccountDisabled()
        else:
            values: dict[str, object] = {
                "failed_logins": 0,
                "locked_until": None,
                "last_login_at": now,
            }
            if needs_rehash(row.password_hash):
                values["password_hash"] = hash_password(password)
            connection.execute(users.update().where(users.c.id == row.id).values(**values))
            audit.append(connection, Action.LOGIN_SUCCEEDED, actor=name, target=name, ip=ip)
            return _open(connection, to_user(row), settings.session_hours, now)
    # Raised after the transaction commits, so the failure and the audit row are kept.
    raise failure


def _count_failure(
    connection: Connection,
    settings: Settings,
    user_id: int,
    name: str,
    ip: str | None,
    now: datetime,
) -> Exception:
    # Counted in the database, not from the value read before the slow password check, so
    # guesses sent at the same time cannot overwrite each other's count.
    failed = connection.execute(
        users.update()
        .where(users.c.id == user_id)
        .values(failed_logins=users.c.failed_logins + 1)
        .returning(users.c.failed_logins)
    ).scalar_one()
    detail = {"reason": "wrong password", "failed_in_a_row": failed}
    audit.append(connection, Action.LOGIN_FAILED, target=name, detail=detail, ip=ip)
    if failed < settings.lockout_threshold:
        return LoginFailed()
    until = now + timedelta(minutes=settings.lockout_minutes)
    connection.execute(
        users.update().where(users.c.id == user_id).values(failed_logins=0, locked_until=until)
    )
    detail = {"until": until.isoformat(timespec="seconds"), "failed_in_a_row": failed}
    audit.append(connection, Action.LOCKED_OUT, target=name, detail=detail, ip=ip)
    return AccountLocked(until, now)


def open_session(engine: Engine, user: StaffUser, settings: Settings) -> Session:
    """A session for a user already authenticated some other way (tests, future SSO)."""
    with engine.begin() as connection:
        return _open(connection, user, settings.session_hours, datetime.now(UTC))


def resolve(engine: Engine, token: str | None) -> Session | None:
    """The live session for a browser token; None when unknown, expired or the user disabled."""
    if not token:
        return None
    now = datetime.now(UTC)
    query = (
        sa.select(users, web_sessions.c.csrf_token, web_sessions.c.expires_at)
        .join(web_sessions, web_sessions.c.user_id == users.c.id)
        .where(
            web_sessions.c.token_hash == token_hash(token),
            web_sessions.c.expires_at > now,
            users.c.disabled.is_(False),
        )
    )
    with engine.connect() as connection:
        row = connection.execute(query).first()
    if row is None:
        return None
    return Session(user=to_user(row), csrf_token=row.csrf_token, expires_at=as_utc(row.expires_at))


def logout(engine: Engine, token: str | None, *, ip: str | None = None) -> None:
    """End the session of this token, if any, and record it."""
    if not token:
        return
    with engine.begin() as connection:
        username = connection.execute(
            sa.select(users.c.username)
            .join(web_sessions, web_sessions.c.user_id == users.c.id)
            .where(web_sessions.c.token_hash == token_hash(token))
        ).scalar_one_or_none()
        if username is None:
            return
        connection.execute(
            web_sessions.delete().where(web_sessions.c.token_hash == token_hash(token))
        )
        audit.append(connection, Action.LOGOUT, actor=username, target=username, ip=ip)
