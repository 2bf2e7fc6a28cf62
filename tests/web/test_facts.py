"""The fact-check base in the web app: browse, search, filter, add, edit, the API."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from ediplomacy.domain.people import Role
from ediplomacy.integrity import factcheck
from ediplomacy.security import audit


def add(engine: Engine, **form: str) -> int:
    return factcheck.save(engine, factcheck.record_from_form(form), actor="seed").id


def test_verify_opens_on_the_base_with_search_and_verdict_filter(
    client: TestClient, engine: Engine, signed_in: Callable[[Role], str]
) -> None:
    add(engine, claim_text="The Sagara Jaya ferry was sold abroad", verdict_text="Hoaks",
        publisher="Cek Fakta", review_date="2024-03-02")  # fmt: skip
    add(engine, claim_text="Indonesia supports a two-state solution", kind="official_position",
        verdict="true")  # fmt: skip
    signed_in(Role.EDITOR)
    opened = client.get("/verify")
    assert opened.status_code == 303 and opened.headers["location"] == "/verify/facts"
    page = client.get("/verify/facts")
    assert page.status_code == 200
    assert page.text.count('data-testid="fact-row"') == 2
    assert 'data-testid="facts-add"' not in page.text  # editors read, analysts edit
    found = client.get("/verify/facts", params={"q": "sagara"}).text
    assert found.count('data-testid="fact-row"') == 1 and "Hoaks" in found
    false_only = client.get("/verify/facts", params={"verdict": "false"}).text
    assert re.findall(r'data-verdict="(\w+)"', false_only) == ["false"]
    none = client.get("/verify/facts", params={"q": "nothing like this"}).text
    assert 'data-testid="facts-empty"' in none


def test_analyst_adds_and_edits_an_entry_audited(
    client: TestClient, engine: Engine, signed_in: Callable[[Role], str]
) -> None:
    token = signed_in(Role.ANALYST)
    form = client.get("/verify/facts/new")
    assert form.status_code == 200 and 'name="csrf_token"' in form.text
    created = client.post(
        "/verify/facts/new",
        data={"csrf_token": token, "kind": "fact_check", "claim_text": "Gempa 9 SR besok",
              "verdict_text": "Salah", "language": "id", "url": "https://cek.example/gempa",
              "sources": "https://x.example/1\nhttps://x.example/2", "review_date": "2024-02-01"},
    )  # fmt: skip
    assert created.status_code == 303
    [fact] = factcheck.all_facts(engine)
    assert (fact.verdict, fact.sources, fact.created_by) == (
        "false", ["https://x.example/1", "https://x.example/2"], "user-analyst"
    )  # fmt: skip
    edit = client.get(f"/verify/facts/{fact.id}/edit")
    assert "Gempa 9 SR besok" in edit.text and "https://x.example/2" in edit.text
    saved = client.post(
        f"/verify/facts/{fact.id}/edit",
        data={"csrf_token": token, "kind": "fact_check", "claim_text": "Gempa 9 SR besok pagi",
              "verdict": "misleading", "url": "https://cek.example/gempa"},
    )  # fmt: skip
    assert saved.status_code == 303
    assert factcheck.get(engine, fact.id).verdict == "misleading"
    actions = [entry.action for entry in audit.recent_entries(engine, limit=20)[0]]
    assert factcheck.ADDED in actions and factcheck.EDITED in actions
    assert client.get("/verify/facts/999999/edit").status_code == 404


def test_bad_form_is_shown_again_and_nothing_is_stored(
    client: TestClient, engine: Engine, signed_in: Callable[[Role], str]
) -> None:
    add(engine, claim_text="Taken", url="https://cek.example/taken")
    token = signed_in(Role.ADMIN)
    clash = client.post("/verify/facts/new", data={"csrf_token": token, "claim_text": "Other",
                                                  "url": "https://cek.example/taken"})  # fmt: skip
    assert clash.status_code == 422 and "https://cek.example/taken already" in clash.text
    empty = client.post("/verify/facts/new", data={"csrf_token": token, "claim_text": " "})
    assert empty.status_code == 422 and "claim text is empty" in empty.text
    bad_date = client.post("/verify/facts/new", data={"csrf_token": token, "claim_text": "x",
                                                     "review_date": "kemarin"})  # fmt: skip
    assert bad_date.status_code == 422 and "kemarin" in bad_date.text
    no_csrf = client.post("/verify/facts/new", data={"claim_text": "x"})
    assert no_csrf.status_code == 403
    assert len(factcheck.all_facts(engine)) == 1


def test_indonesian_page(
    client: TestClient, engine: Engine, signed_in: Callable[[Role], str]
) -> None:
    add(engine, claim_text="Klaim", verdict="false")
    token = signed_in(Role.ANALYST)
    client.post("/language", data={"locale": "id", "next": "/", "csrf_token": token})
    page = client.get("/verify/facts").text
    assert "Basis data cek fakta" in page and ">Salah<" in page


def test_api_lists_and_filters(
    client: TestClient, engine: Engine, signed_in: Callable[[Role], str]
) -> None:
    add(engine, claim_text="One", verdict="false", languages="en id")
    add(engine, claim_text="Two", verdict="true")
    signed_in(Role.APPROVER)
    body = client.get("/api/v1/fact-checks", params={"verdict": "false"}).json()
    assert body["total"] == 1
    [item] = body["items"]
    assert item["claim_text"] == "One" and item["languages"] == ["en", "id"]
    assert client.get("/api/v1/fact-checks", params={"q": "tw"}).json()["total"] == 1
    assert client.get("/api/v1/fact-checks", params={"limit": 0}).status_code == 422
