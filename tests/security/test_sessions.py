from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.people import Role
from ediplomacy.security import accounts, audit, sessions
from ediplomacy.security.errors import AccountDisabled, AccountLocked, LoginFailed
from ediplomacy.store.schema import users, web_sessions
from tests.security.conftest import PASSWORD


@pytest.fixture
def budi(engine: Engine) -> None:
    accounts.add_user(engine, "budi", PASSWORD, Role.ANALYST)


def test_login_opens_a_session_stored_as_a_hash(
    engine: Engine, settings: Settings, budi: None
) -> None:
    session = sessions.login(engine, settings, "Budi", PASSWORD, ip="10.0.0.1")
    assert session.user.username == "budi"
    assert len(session.token) >= 40 and len(session.csrf_token) >= 40
    with engine.connect() as connection:
        stored = connection.execute(sa.select(web_sessions.c.token_hash)).scalars().all()
    assert stored == [sessions.token_hash(session.token)]
    assert session.token not in stored
    resolved = sessions.resolve(engine, session.token)
    assert resolved is not None and resolved.user.username == "budi"
    hours = (session.expires_at - datetime.now(UTC)).total_seconds() / 3600
    assert settings.session_hours - 0.1 < hours <= settings.session_hours


def test_logout_ends_the_session(engine: Engine, settings: Settings, budi: None) -> None:
    session = sessions.login(engine, settings, "budi", PASSWORD)
    sessions.logout(engine, session.token)
    assert sessions.resolve(engine, session.token) is None
    entries, _ = audit.recent_entries(engine)
    assert [entry.action for entry in entries[:2]] == ["logout", "login.succeeded"]


def test_expired_or_unknown_tokens_resolve_to_nobody(
    engine: Engine, settings: Settings, budi: None
) -> None:
    session = sessions.login(engine, settings, "budi", PASSWORD)
    with engine.begin() as connection:
        connection.execute(
            web_sessions.update().values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    assert sessions.resolve(engine, session.token) is None
    assert sessions.resolve(engine, "made-up") is None
    assert sessions.resolve(engine, None) is None


def test_wrong_password_and_unknown_user_say_the_same(
    engine: Engine, settings: Settings, budi: None
) -> None:
    with pytest.raises(LoginFailed) as wrong:
        sessions.login(engine, settings, "budi", "not the password")
    with pytest.raises(LoginFailed) as unknown:
        sessions.login(engine, settings, "nobody", "not the password")
    assert str(wrong.value) == str(unknown.value)
    entries, _ = audit.recent_entries(engine, action_prefix="login.failed")
    assert [entry.detail["reason"] for entry in entries] == ["unknown user", "wrong password"]


def test_lockout_after_threshold_says_when_to_retry(
    engine: Engine, settings: Settings, budi: None
) -> None:
    for _ in range(settings.lockout_threshold - 1):
        with pytest.raises(LoginFailed):
            sessions.login(engine, settings, "budi", "wrong")
    with pytest.raises(AccountLocked) as locked:
        sessions.login(engine, settings, "budi", "wrong")
    assert locked.value.minutes == settings.lockout_minutes
    assert "Try again then" in str(locked.value)
    # Even the right password is refused while locked.
    with pytest.raises(AccountLocked):
        sessions.login(engine, settings, "budi", PASSWORD)
    entries, _ = audit.recent_entries(engine, action_prefix="login.locked_out")
    assert len(entries) == 1
    # When the lock has passed, the right password works and the count starts again.
    with engine.begin() as connection:
        connection.execute(
            users.update().values(locked_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert sessions.login(engine, settings, "budi", PASSWORD).user.username == "budi"
    assert accounts.list_accounts(engine)[0].failed_logins == 0


def test_enable_lifts_a_lockout(engine: Engine, settings: Settings, budi: None) -> None:
    for _ in range(settings.lockout_threshold):
        with pytest.raises((LoginFailed, AccountLocked)):
            sessions.login(engine, settings, "budi", "wrong")
    assert accounts.list_accounts(engine)[0].locked()
    accounts.enable(engine, "budi")
    assert sessions.login(engine, settings, "budi", PASSWORD)


def test_disabled_users_cannot_sign_in_and_lose_their_sessions(
    engine: Engine, settings: Settings, budi: None
) -> None:
    session = sessions.login(engine, settings, "budi", PASSWORD)
    accounts.add_user(engine, "admin", PASSWORD, Role.ADMIN)
    accounts.disable(engine, "budi", actor="admin")
    assert sessions.resolve(engine, session.token) is None
    with pytest.raises(AccountDisabled, match="ask an administrator"):
        sessions.login(engine, settings, "budi", PASSWORD)
    # A wrong password on a disabled account gets the plain wrong-password answer.
    with pytest.raises(LoginFailed):
        sessions.login(engine, settings, "budi", "wrong")


def test_guesses_sent_at_once_still_lock_the_account(
    engine: Engine, settings: Settings, budi: None
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def guess(_: int) -> str:
        try:
            sessions.login(engine, settings, "budi", "not the password at all")
        except AccountLocked:
            return "locked"
        except LoginFailed:
            return "failed"
        return "signed in"

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(guess, range(settings.lockout_threshold * 3)))
    assert "signed in" not in outcomes
    assert "locked" in outcomes
    with pytest.raises(AccountLocked):
        sessions.login(engine, settings, "budi", PASSWORD)
