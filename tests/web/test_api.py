"""The JSON API: shapes, OpenAPI, and problem+json errors."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from ediplomacy.domain.people import Role
from tests.web.conftest import Rows

PROBLEM = "application/problem+json"


def test_me(client: TestClient, signed_in: Callable[[Role], str]) -> None:
    token = signed_in(Role.CONSULAR_OFFICER)
    me = client.get("/api/v1/me").json()
    assert me == {
        "username": "user-consular-officer",
        "display_name": "user-consular-officer",
        "role": "consular_officer",
        "locale": "en",
        "areas": ["overview", "listen", "engage", "consular"],
        "csrf_token": token,
    }


def test_posts_and_post(client: TestClient, signed_in: Callable[[Role], str], rows: Rows) -> None:
    collection = rows.collection(name="c1")
    post_id = rows.post(collection, text="hello", hashtags=["a"], raw={"k": [1, 2]})
    signed_in(Role.VIEWER)
    listing = client.get("/api/v1/posts").json()
    assert listing["total"] == 1 and listing["pages"] == 1
    item = listing["items"][0]
    assert item["id"] == post_id and item["text"] == "hello"
    assert item["created_at"] == "2026-03-10T12:00:00Z"
    detail = client.get(f"/api/v1/posts/{post_id}").json()
    assert detail["raw"] == {"k": [1, 2]} and detail["hashtags"] == ["a"]
    assert detail["collection"]["name"] == "c1" and detail["source"].startswith("sample.jsonl:")
    collections = client.get("/api/v1/collections").json()
    assert collections["total"] == 1 and collections["items"][0]["id"] == collection


def test_problem_json_errors(client: TestClient, signed_in: Callable[[Role], str]) -> None:
    anonymous = client.get("/api/v1/posts")
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == PROBLEM
    assert anonymous.json()["detail"].startswith("Sign in first")
    signed_in(Role.VIEWER)
    forbidden = client.get("/api/v1/audit/verify")
    assert forbidden.status_code == 403 and forbidden.headers["content-type"] == PROBLEM
    assert "ask an administrator" in forbidden.json()["detail"]
    invalid = client.get("/api/v1/posts", params={"per_page": 1000, "sort": "best"})
    assert invalid.status_code == 422 and invalid.headers["content-type"] == PROBLEM
    assert {tuple(e["loc"]) for e in invalid.json()["errors"]} == {
        ("query", "per_page"),
        ("query", "sort"),
    }
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM


def test_openapi_and_reference_page(client: TestClient, signed_in: Callable[[Role], str]) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 401
    signed_in(Role.VIEWER)
    document = client.get("/api/v1/openapi.json").json()
    paths = set(document["paths"])
    assert {
        "/api/v1/me",
        "/api/v1/posts",
        "/api/v1/posts/{post_id}",
        "/api/v1/stats/overview",
        "/api/v1/collections",
    } <= paths
    assert not any(path.startswith(("/admin", "/listen", "/login")) for path in paths)
    parameters = {p["name"] for p in document["paths"]["/api/v1/posts"]["get"]["parameters"]}
    assert {"q", "platform", "language", "since", "until", "author", "sort", "page"} <= parameters
    page = client.get("/help/api").text
    assert "/api/v1/stats/overview" in page and 'href="/api/v1/openapi.json"' in page


def test_health(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_out_of_range_input_is_a_400_not_a_500(
    client: TestClient, signed_in: Callable[[Role], str]
) -> None:
    signed_in(Role.ANALYST)
    for path in (
        "/api/v1/posts/99999999999999999999",
        "/api/v1/posts?until=9999-12-31",
        "/api/v1/collections?offset=99999999999999999999",
    ):
        response = client.get(path)
        assert response.status_code in (400, 422), path
    assert client.get("/listen?until=9999-12-31").status_code == 400
    assert client.get("/listen?q=%00").status_code == 200
