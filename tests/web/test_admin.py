"""Admin pages: add users, change roles, disable and enable, read the audit log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.people import Role, StaffUser
from ediplomacy.security import accounts, sessions
from ediplomacy.store.schema import audit_log
from tests.web.conftest import PASSWORD


@pytest.fixture
def admin_token(signed_in: Callable[[Role], str]) -> str:
    return signed_in(Role.ADMIN)


def test_add_user(client: TestClient, admin_token: str, engine: Engine) -> None:
    form = {
        "username": "sari",
        "display_name": "Sari W.",
        "role": "consular_officer",
        "password": PASSWORD,
        "csrf_token": admin_token,
    }
    response = client.post("/admin/users", data=form)
    assert response.status_code == 303 and response.headers["location"] == "/admin/users"
    page = client.get("/admin/users").text
    assert "User sari added. They can sign in now." in page
    assert 'data-username="sari"' in page and "Sari W." in page
    user = accounts.get_user(engine, "sari")
    assert user.role == Role.CONSULAR_OFFICER
    audit_page = client.get("/admin/audit").text
    assert 'data-action="user.added"' in audit_page and "user-admin" in audit_page


def test_add_user_errors_keep_the_form(client: TestClient, admin_token: str) -> None:
    form = {"username": "sari", "display_name": "Sari W.", "role": "editor", "password": "short"}
    response = client.post("/admin/users", data={**form, "csrf_token": admin_token})
    assert response.status_code == 400
    assert "The password must have at least 12 characters" in response.text
    assert 'value="sari"' in response.text and 'value="Sari W."' in response.text


def test_change_role_disable_enable(
    client: TestClient,
    admin_token: str,
    engine: Engine,
    settings: Settings,
    make_user: Callable[..., StaffUser],
) -> None:
    budi = make_user("budi", Role.VIEWER)
    budi_session = sessions.open_session(engine, budi, settings)
    client.post("/admin/users/budi/role", data={"role": "analyst", "csrf_token": admin_token})
    assert "budi is now Analyst." in client.get("/admin/users").text
    assert accounts.get_user(engine, "budi").role == Role.ANALYST

    client.post("/admin/users/budi/disable", data={"csrf_token": admin_token})
    assert "budi is disabled and was signed out." in client.get("/admin/users").text
    assert sessions.resolve(engine, budi_session.token) is None

    client.post("/admin/users/budi/enable", data={"csrf_token": admin_token})
    assert "budi can sign in again." in client.get("/admin/users").text
    assert not accounts.get_user(engine, "budi").disabled


def test_refusals_are_explained(client: TestClient, admin_token: str) -> None:
    client.post("/admin/users/user-admin/role", data={"role": "viewer", "csrf_token": admin_token})
    assert "last active administrator" in client.get("/admin/users").text
    response = client.post("/admin/users/ghost/disable", data={"csrf_token": admin_token})
    assert response.status_code == 404 and "No account is named" in response.text


def test_audit_page_shows_the_chain_state(
    client: TestClient, admin_token: str, engine: Engine
) -> None:
    page = client.get("/admin/audit").text
    assert 'data-ok="true"' in page
    with engine.begin() as connection:
        connection.execute(audit_log.update().values(target="forged"))
    page = client.get("/admin/audit").text
    assert 'data-ok="false"' in page and "The audit chain is broken at entry #1" in page
    assert client.get("/api/v1/audit/verify").json()["broken_at"] == 1


def test_audit_filters_and_pages(client: TestClient, admin_token: str) -> None:
    for number in range(3):
        client.post(
            "/admin/users",
            data={
                "username": f"user{number}",
                "role": "viewer",
                "password": PASSWORD,
                "csrf_token": admin_token,
            },
        )
    page = client.get("/admin/audit", params={"action": "user."}).text
    assert page.count('data-action="user.added"') == 4
    assert 'data-action="login' not in page
