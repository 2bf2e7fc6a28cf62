"""Sign-in, sign-out, lockout, disabled accounts and CSRF, through the browser-facing pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.people import Role, StaffUser
from ediplomacy.security import accounts, audit
from ediplomacy.store.schema import web_sessions
from ediplomacy.web.access import ANON_CSRF_COOKIE, SESSION_COOKIE
from ediplomacy.web.app import create_app
from tests.web.conftest import PASSWORD, csrf_token, login


def set_cookie_header(response: object, name: str) -> str:
    headers = response.headers.get_list("set-cookie")  # type: ignore[attr-defined]
    return next(header for header in headers if header.startswith(f"{name}="))


def test_pages_send_anonymous_visitors_to_sign_in(client: TestClient) -> None:
    response = client.get("/listen?q=natuna")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/listen%3Fq%3Dnatuna"


def test_sign_in_sets_a_safe_cookie_and_goes_back(
    client: TestClient, make_user: Callable[..., StaffUser], settings: Settings
) -> None:
    make_user("rina", Role.ANALYST)
    page = client.get("/login?next=/listen")
    assert "HttpOnly" in set_cookie_header(page, ANON_CSRF_COOKIE)
    token = csrf_token(page.text)
    response = client.post(
        "/login",
        data={"username": "rina", "password": PASSWORD, "csrf_token": token, "next": "/listen"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/listen"
    cookie = set_cookie_header(response, SESSION_COOKIE)
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie  # dev mode over http
    assert f"Max-Age={settings.session_hours * 3600}" in cookie
    welcome = client.get("/listen")
    assert welcome.status_code == 200
    assert "Signed in. Welcome, rina." in welcome.text


def test_cookies_are_secure_in_production(engine: Engine, tmp_path: object) -> None:
    settings = Settings(mode="production", secret_key="x" * 40, data_dir=tmp_path)  # type: ignore[arg-type]
    accounts.add_user(engine, "rina", PASSWORD, Role.ANALYST)
    with TestClient(create_app(settings, engine), follow_redirects=False) as client:
        page = client.get("/login")
        assert "Secure" in set_cookie_header(page, ANON_CSRF_COOKIE)
        token = page.cookies.get(ANON_CSRF_COOKIE) or csrf_token(page.text)
        client.cookies.set(ANON_CSRF_COOKIE, token)
        response = client.post(
            "/login", data={"username": "rina", "password": PASSWORD, "csrf_token": token}
        )
        assert "Secure" in set_cookie_header(response, SESSION_COOKIE)


def test_next_never_leaves_the_site(
    client: TestClient, make_user: Callable[..., StaffUser]
) -> None:
    make_user("rina")
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        client.cookies.clear()
        token = csrf_token(client.get("/login").text)
        form = {"username": "rina", "password": PASSWORD, "csrf_token": token, "next": target}
        response = client.post("/login", data=form)
        assert response.headers["location"] == "/"


def test_wrong_password_is_refused_and_recorded(
    client: TestClient, make_user: Callable[..., StaffUser], engine: Engine
) -> None:
    make_user("rina")
    response = login(client, "rina", "not the password")
    assert response.status_code == 401
    assert "Wrong username or password" in response.text
    assert 'value="rina"' in response.text  # the username stays filled in
    assert SESSION_COOKIE not in response.cookies
    entries, _ = audit.recent_entries(engine, action_prefix="login.failed")
    assert entries[0].target == "rina" and entries[0].ip


def test_lockout_tells_when_to_retry(
    client: TestClient, make_user: Callable[..., StaffUser], settings: Settings
) -> None:
    make_user("rina")
    for _ in range(settings.lockout_threshold - 1):
        assert login(client, "rina", "wrong").status_code == 401
    locked = login(client, "rina", "wrong")
    assert locked.status_code == 429
    assert locked.headers["retry-after"] == str(settings.lockout_minutes * 60)
    assert f"in {settings.lockout_minutes} min" in locked.text
    assert "UTC" in locked.text
    still = login(client, "rina", PASSWORD)
    assert still.status_code == 429


def test_disabled_user_cannot_sign_in(
    client: TestClient, make_user: Callable[..., StaffUser], engine: Engine
) -> None:
    make_user("admin", Role.ADMIN)
    make_user("budi")
    accounts.disable(engine, "budi")
    response = login(client, "budi")
    assert response.status_code == 403
    assert "This account is disabled. Ask an administrator" in response.text


def test_sign_out_ends_the_session(
    client: TestClient, make_user: Callable[..., StaffUser], engine: Engine
) -> None:
    make_user("rina")
    assert login(client, "rina").status_code == 303
    page = client.get("/")
    response = client.post("/logout", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert "You are signed out." in client.get("/login").text
    assert client.get("/").status_code == 303
    with engine.connect() as connection:
        assert connection.execute(web_sessions.select()).all() == []
    entries, _ = audit.recent_entries(engine, limit=1)
    assert entries[0].action == "logout" and entries[0].actor == "rina"


def test_expired_session_goes_back_to_sign_in(
    client: TestClient, signed_in: Callable[[Role], str], engine: Engine
) -> None:
    signed_in(Role.ANALYST)
    assert client.get("/").status_code == 200
    with engine.begin() as connection:
        connection.execute(
            web_sessions.update().values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert client.get("/").headers["location"].startswith("/login")
    assert client.get("/api/v1/me").status_code == 401


def test_forms_without_the_csrf_token_are_rejected(
    client: TestClient, signed_in: Callable[[Role], str]
) -> None:
    token = signed_in(Role.ADMIN)
    for data in ({}, {"csrf_token": "forged"}, {"csrf_token": token[:-1]}):
        response = client.post("/logout", data=data)
        assert response.status_code == 403
        assert "security token is missing or out of date" in response.text
    assert client.get("/").status_code == 200  # still signed in
    refused = client.post(
        "/admin/users",
        data={"username": "mallory", "role": "admin", "password": PASSWORD},
    )
    assert refused.status_code == 403
    assert "mallory" not in client.get("/admin/users").text
    # JSON clients send the token in a header instead.
    assert client.post("/logout", headers={"X-CSRF-Token": token}).status_code == 303


def test_sign_in_form_needs_its_token_too(
    client: TestClient, make_user: Callable[..., StaffUser]
) -> None:
    make_user("rina")
    response = client.post("/login", data={"username": "rina", "password": PASSWORD})
    assert response.status_code == 403
    client.get("/login")
    response = client.post(
        "/login", data={"username": "rina", "password": PASSWORD, "csrf_token": "x" * 43}
    )
    assert response.status_code == 403


def test_security_headers(client: TestClient) -> None:
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
