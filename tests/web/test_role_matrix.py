"""Every route of the app, called by every role and by an anonymous visitor.

Each route declares its roles (ediplomacy.web.access); this walks them all and checks that
the declared roles get through (200, or 303 after a form), the others get 403, and an
anonymous visitor is sent to the sign-in page (pages) or gets 401 (API).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from starlette.routing import Mount

from ediplomacy.config import Settings
from ediplomacy.domain.people import Role, StaffUser
from ediplomacy.integrity import factcheck, responses
from ediplomacy.integrity.narrative_build import build_narratives
from ediplomacy.listen import watch
from ediplomacy.security.access import AREA_ROLES, Area
from ediplomacy.store import claim_matches as claim_store
from ediplomacy.store import coordination as coordination_store
from ediplomacy.store import watch as watch_store
from ediplomacy.web.access import app_routes, declared_access
from tests.web.conftest import NOW, PASSWORD, Rows, csrf_token, sign_in_as

ANONYMOUS = None
VISITORS: list[Role | None] = [*Role, ANONYMOUS]

# What each form-taking route is sent; a new POST route must be added here to be tested.
FORMS: dict[str, dict[str, str]] = {
    "/login": {"username": "probe", "password": PASSWORD, "next": "/"},
    "/logout": {},
    "/language": {"locale": "id", "next": "/"},
    "/admin/users": {"username": "newcomer", "role": "viewer", "password": PASSWORD},
    "/admin/users/{username}/role": {"role": "analyst"},
    "/admin/users/{username}/disable": {},
    "/admin/users/{username}/enable": {},
    "/listen/alerts/{alert_id}/ack": {"next": "/listen/alerts"},
    "/listen/rules": {"name": "matrix rule", "query": "qadira"},
    "/listen/rules/{rule_id}/enable": {},
    "/listen/rules/{rule_id}/disable": {},
    "/listen/rules/{rule_id}/delete": {},
    "/listen/topics/discover": {},
    "/api/v1/alerts/{alert_id}/ack": {},
    "/api/v1/watch-rules": {"name": "api rule", "query": "gempa"},
    "/verify/facts/new": {"kind": "fact_check", "claim_text": "Matrix claim", "verdict": "false"},
    "/verify/facts/{fact_id}/edit": {"claim_text": "Matrix claim, edited", "verdict": "true"},
    "/verify/accounts/label": {"platform": "x", "external_id": "author-1", "label": "unsure"},
    "/api/v1/accounts/labels": {"platform": "x", "external_id": "author-1", "label": "human"},
    "/verify/narratives/{narrative_id}/respond": {},
    "/api/v1/narratives/{narrative_id}/respond": {},
    "/verify/drafts/{draft_id}/texts": {"language": "id", "body": "Teks draf matriks"},
    "/verify/matches/{match_id}/review": {"status": "confirmed", "note": "matrix"},
    "/api/v1/claim-matches/{match_id}/review": {"status": "rejected"},
}


def routes(app: FastAPI) -> list[tuple[str, str, APIRoute]]:
    """(method, path, route) for every route but the static files."""
    found: list[tuple[str, str, APIRoute]] = []
    for path, methods, route in app_routes(app):
        if isinstance(route, Mount):
            assert path == "/static", f"unexpected mount {path}"
            continue
        assert isinstance(route, APIRoute), f"{path}: {route} is not an APIRoute"
        found.extend((method, path, route) for method in sorted(methods))
    assert len(found) >= 20
    return found


def test_every_route_declares_its_roles(app: FastAPI) -> None:
    for _, path, route in routes(app):
        declared_access(route)  # raises LookupError naming the route otherwise
        assert path.startswith(("/api/v1/", "/")), path


def test_sensitive_areas_are_narrow(app: FastAPI) -> None:
    for _, path, route in routes(app):
        access = declared_access(route)
        if path.startswith("/admin") or path == "/api/v1/audit/verify":
            assert access.roles == {Role.ADMIN}, path
        if path.startswith("/consular"):
            assert access.roles == AREA_ROLES[Area.CONSULAR], path
            assert Role.ANALYST not in access.roles and Role.VIEWER not in access.roles
        if access.public:
            assert path in ("/login", "/language", "/healthz"), f"{path} is open to everyone"


def test_role_matrix(
    app: FastAPI,
    engine: Engine,
    settings: Settings,
    make_user: Callable[..., StaffUser],
    rows: Rows,
) -> None:
    post_id = rows.post(rows.collection())
    users = {role: make_user(f"matrix-{role.value.replace('_', '-')}", role) for role in Role}
    make_user("probe", Role.VIEWER)
    make_user("target", Role.VIEWER)
    rule = watch.add_rule(engine, "matrix watch", "post")
    spare = watch.add_rule(engine, "matrix spare", "number")  # the one the delete route gets
    with engine.begin() as connection:
        alert_id = watch_store.insert_alert(
            connection,
            {"rule_id": rule.id, "kind": "volume", "window_start": NOW, "window_end": NOW,
             "observed": 50, "expected": 5, "score": 20, "created_at": NOW},
        )  # fmt: skip
    fact = factcheck.save(engine, factcheck.record_from_form({"claim_text": "A matrix fact"}))
    with engine.begin() as connection:
        match = {"fact_check_id": fact.id, "score": 0.9, "similarity": 0.8, "rank": 1,
                 "model": "test", "model_version": "1", "matched_at": NOW}  # fmt: skip
        claim_store.replace_matches(connection, post_id, [match])
        match_id = claim_store.list_matches(connection, post_id=post_id)[0][0].id
    ids = {"{alert_id}": str(alert_id), "{rule_id}": str(rule.id), "{fact_id}": str(fact.id),
           "{match_id}": str(match_id), "{platform}": "x",
           "{external_id:path}": "author-1"}  # fmt: skip
    narrative_id = build_narratives(engine, settings).created[0]  # from the match above
    ids["{narrative_id}"] = str(narrative_id)
    ids["{draft_id}"] = str(responses.prepare_response(engine, narrative_id).id)
    with engine.begin() as connection:  # a coordination run with one cluster
        run_id = coordination_store.insert_run(
            connection,
            {"network": "co-repost", "window_s": 60, "min_weight": 1, "node_count": 2,
             "edge_count": 1, "computed_at": NOW},
        )  # fmt: skip
        cluster_id = coordination_store.insert_cluster(
            connection,
            {"run_id": run_id, "signature": "0" * 64, "score": 50.0, "member_count": 2,
             "members": [], "evidence": {}, "first_found_at": NOW},
        )  # fmt: skip
    ids["{run_id}"], ids["{cluster_id}"] = str(run_id), str(cluster_id)
    checked = 0
    for method, path, route in routes(app):
        access = declared_access(route)
        url = path.replace("{post_id}", str(post_id)).replace("{username}", "target")
        if path.endswith("/delete"):
            url = url.replace("{rule_id}", str(spare.id))
        for name, value in ids.items():
            url = url.replace(name, value)
        if method == "POST":
            assert path in FORMS, f"add a sample form for POST {path} to FORMS"
        for visitor in VISITORS:
            with TestClient(app, follow_redirects=False) as client:
                if visitor is ANONYMOUS:
                    token = csrf_token(client.get("/login").text)
                else:
                    token = sign_in_as(client, engine, settings, users[visitor])
                if method == "POST" and path.startswith("/api/"):
                    headers = {"X-CSRF-Token": token}
                    response = client.post(url, json=FORMS[path], headers=headers)
                elif method == "POST":
                    response = client.post(url, data={**FORMS[path], "csrf_token": token})
                else:
                    response = client.request(method, url)
            label = f"{method} {url} as {visitor or 'anonymous'}"
            location = response.headers.get("location", "")
            if access.public or (visitor is not ANONYMOUS and visitor in access.roles):
                assert response.status_code in (200, 303), f"{label}: {response.status_code}"
                assert not location.startswith("/login?"), f"{label} sent to sign-in"
            elif visitor is ANONYMOUS and path.startswith("/api/"):
                assert response.status_code == 401, label
                assert response.headers["content-type"] == "application/problem+json", label
            elif visitor is ANONYMOUS:
                assert response.status_code == 303, label
                assert location.startswith("/login"), label
            else:
                assert response.status_code == 403, f"{label}: {response.status_code}"
            checked += 1
    assert checked >= 20 * len(VISITORS)


@pytest.mark.parametrize("area", list(Area))
def test_navigation_shows_only_allowed_areas(
    area: Area, client: TestClient, signed_in: Callable[[Role], str]
) -> None:
    signed_in(Role.VIEWER)
    html = client.get("/").text
    assert (f'id="nav-{area.value}"' in html) == (Role.VIEWER in AREA_ROLES[area])
