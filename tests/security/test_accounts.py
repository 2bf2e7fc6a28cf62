from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from ediplomacy.domain.people import Role
from ediplomacy.security import accounts, audit
from ediplomacy.security.access import parse_role
from ediplomacy.security.errors import InvalidAccount, UnknownUser
from tests.security.conftest import PASSWORD


def actions(engine: Engine) -> list[str]:
    entries, _ = audit.recent_entries(engine, limit=100)
    return [entry.action for entry in reversed(entries)]


def test_add_and_list(engine: Engine) -> None:
    user = accounts.add_user(engine, " Rina ", PASSWORD, Role.EDITOR, display_name="Rina S.")
    assert (user.username, user.role, user.display_name, user.disabled) == (
        "rina",
        Role.EDITOR,
        "Rina S.",
        False,
    )
    listed = accounts.list_accounts(engine)
    assert [account.user.username for account in listed] == ["rina"]
    assert listed[0].last_login_at is None
    assert actions(engine) == ["user.added"]


@pytest.mark.parametrize(
    ("username", "password", "key"),
    [
        ("bad name", PASSWORD, "users.error.bad_username"),
        ("x", PASSWORD, "users.error.bad_username"),
        ("budi", "short", "users.error.password_short"),
    ],
)
def test_add_refuses_bad_input(engine: Engine, username: str, password: str, key: str) -> None:
    with pytest.raises(InvalidAccount) as caught:
        accounts.add_user(engine, username, password, Role.VIEWER)
    assert caught.value.key == key
    assert accounts.list_accounts(engine) == []


def test_username_taken(engine: Engine) -> None:
    accounts.add_user(engine, "budi", PASSWORD, Role.VIEWER)
    with pytest.raises(InvalidAccount, match="taken"):
        accounts.add_user(engine, "BUDI", PASSWORD, Role.ADMIN)


def test_set_role_disable_enable_are_audited(engine: Engine) -> None:
    accounts.add_user(engine, "admin", PASSWORD, Role.ADMIN)
    accounts.add_user(engine, "budi", PASSWORD, Role.VIEWER)
    assert accounts.set_role(engine, "budi", Role.ANALYST, actor="admin").role == Role.ANALYST
    assert accounts.disable(engine, "budi", actor="admin").disabled
    assert not accounts.enable(engine, "budi", actor="admin").disabled
    assert actions(engine) == [
        "user.added",
        "user.added",
        "user.role_changed",
        "user.disabled",
        "user.enabled",
    ]
    entries, _ = audit.recent_entries(engine, action_prefix="user.role")
    assert entries[0].detail == {"from": "viewer", "to": "analyst"}
    assert entries[0].actor == "admin"


def test_the_last_admin_cannot_be_removed(engine: Engine) -> None:
    accounts.add_user(engine, "admin", PASSWORD, Role.ADMIN)
    with pytest.raises(InvalidAccount, match="last active administrator"):
        accounts.set_role(engine, "admin", Role.VIEWER)
    with pytest.raises(InvalidAccount, match="last active administrator"):
        accounts.disable(engine, "admin")
    accounts.add_user(engine, "second", PASSWORD, Role.ADMIN)
    assert accounts.disable(engine, "admin").disabled


def test_unknown_user_and_role(engine: Engine) -> None:
    with pytest.raises(UnknownUser, match="users list"):
        accounts.disable(engine, "nobody")
    with pytest.raises(InvalidAccount, match="choose one of: admin, analyst"):
        parse_role("superuser")
    assert parse_role(" Consular_Officer ") == Role.CONSULAR_OFFICER


@pytest.mark.postgres
def test_two_admins_demoting_each_other_at_once_leave_one(postgres_engine: Engine) -> None:
    """PostgreSQL runs both at once; the admins' rows are locked so the second sees the first."""
    import threading

    for name in ("ayu", "bima"):
        accounts.add_user(postgres_engine, name, PASSWORD, Role.ADMIN)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def demote(name: str) -> None:
        start.wait()
        try:
            accounts.set_role(postgres_engine, name, Role.ANALYST)
            outcomes.append("demoted")
        except InvalidAccount:
            outcomes.append("refused")

    threads = [threading.Thread(target=demote, args=(name,)) for name in ("ayu", "bima")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["demoted", "refused"]
    roles = [account.user.role for account in accounts.list_accounts(postgres_engine)]
    assert roles.count(Role.ADMIN) == 1
