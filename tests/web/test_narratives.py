"""Narratives and response drafts in the web app: list, page, prepare a response, edit, the API."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.people import Role
from ediplomacy.integrity.narrative_build import build_narratives
from ediplomacy.security import accounts, audit
from ediplomacy.web.routes.narratives import spark_points
from tests.integrity.test_narratives import ClaimWorld


def built(engine: Engine) -> tuple[ClaimWorld, int]:
    world = ClaimWorld(engine)
    [narrative_id] = build_narratives(engine, Settings()).created
    return world, narrative_id


def test_the_list_shows_volume_growth_languages_and_verdict(
    client: TestClient, engine: Engine, signed_in: Callable[[Role], str]
) -> None:
    signed_in(Role.APPROVER)
    empty = client.get("/verify/narratives")
    assert empty.status_code == 200 and 'data-testid="narratives-empty"' in empty.text
    _, narrative_id = built(engine)
    page = client.get("/verify/narratives")
    assert page.status_code == 200
    [row] = re.findall(r'<tr data-testid="narrative-row" data-narrative-id="(\d+)"', page.text)
    assert int(row) == narrative_id
    assert 'data-testid="narrative-verdict">False' in page.text
    assert 'data-testid="narrative-posts">12<' in page.text
    assert re.search(r'data-values="(0,){13}12"', page.text)  # the 14-day sparkline
    assert 'data-testid="narrative-growth">\u00d712<' in page.text  # all within the last day
    assert 'title="Indonesian (id)">id 4' in page.text
    assert 'id="tab-narratives" aria-current="page"' in page.text


def test_the_narrative_page_shows_timeline_variants_accounts_and_the_fact_check(
    client: TestClient, engine: Engine, signed_in: Callable[[Role], str]
) -> None:
    _, narrative_id = built(engine)
    signed_in(Role.APPROVER)
    page = client.get(f"/verify/narratives/{narrative_id}")
    assert page.status_code == 200
    html = page.text
    assert "The ministry charges USD 2,000" in html
    assert 'data-testid="narrative-fact-check"' in html and "https://check.example/fee" in html
    assert 'data-testid="narrative-respond"' not in html  # approvers read, they do not draft
    assert html.count('data-testid="variant-row"') == 3
    assert html.count('data-testid="account-row"') == 12
    assert "/listen?author=user1&amp;platform=x" in html
    assert '<li data-country="ID">ID <span class="muted">4</span>' in html
    data = json.loads(re.search(r'id="narrative-data">(.*?)</script>', html, re.S).group(1))
    languages = {s["key"]: sum(s["counts"]) for s in data["timeline"]["languages"]}
    assert data["timeline"]["bucket"] == "hour" and languages == {"en": 8, "id": 4}
    assert "/static/vendor/chartjs/chart.umd.min.js" in html and "/static/js/narratives.js" in html
    assert client.get("/verify/narratives/999999").status_code == 404


def test_prepare_a_response_then_edit_it(
    client: TestClient, engine: Engine, signed_in: Callable[[Role], str]
) -> None:
    _, narrative_id = built(engine)
    token = signed_in(Role.EDITOR)
    page = client.get(f"/verify/narratives/{narrative_id}")
    assert 'data-testid="narrative-respond"' in page.text
    refused = client.post(f"/verify/narratives/{narrative_id}/respond", data={})
    assert refused.status_code == 403  # no CSRF token
    made = client.post(f"/verify/narratives/{narrative_id}/respond", data={"csrf_token": token})
    assert made.status_code == 303
    draft_url = made.headers["location"]
    assert re.fullmatch(r"/verify/drafts/\d+", draft_url)
    draft = client.get(draft_url)
    assert draft.status_code == 200 and "Draft prepared in en, id" in draft.text
    assert re.findall(r'data-testid="draft-text" data-language="(\w+)"', draft.text) == ["en", "id"]
    assert draft.text.count('data-testid="draft-source"') == 1
    assert "Setting the record straight" in draft.text and "Meluruskan informasi" in draft.text
    draft_id = int(draft_url.rsplit("/", 1)[1])
    form = {"csrf_token": token, "language": "id", "body": "Evakuasi gratis. Cek kanal resmi."}
    saved = client.post(f"{draft_url}/texts", data=form)
    assert saved.status_code == 303 and saved.headers["location"] == f"{draft_url}#text-id"
    again = client.get(draft_url)
    assert "Evakuasi gratis. Cek kanal resmi." in again.text and "Text (id) saved." in again.text
    bad = client.post(f"{draft_url}/texts", data={"csrf_token": token, "language": "id",
                                                  "body": "   "})  # fmt: skip
    assert bad.status_code == 422 and "The text is empty" in bad.text
    listing = client.get("/verify/drafts")
    assert f'data-draft-id="{draft_id}"' in listing.text
    actions = [entry.action for entry in audit.recent_entries(engine, limit=10)[0]]
    assert "draft.created" in actions and "draft.edited" in actions
    narrative = client.get(f"/verify/narratives/{narrative_id}")
    assert f'href="/verify/drafts/{draft_id}"' in narrative.text


def test_pages_in_indonesian(
    client: TestClient, engine: Engine, signed_in: Callable[[Role], str]
) -> None:
    _, narrative_id = built(engine)
    signed_in(Role.ANALYST)
    accounts.set_locale(engine, accounts.get_user(engine, "user-analyst").id, "id")
    page = client.get(f"/verify/narratives/{narrative_id}")
    assert "Siapkan tanggapan" in page.text and "Akun yang menyebarkannya" in page.text
    assert "Narasi" in client.get("/verify/narratives").text
    assert "Draf tanggapan" in client.get("/verify/drafts").text


def test_the_api_lists_reads_and_prepares(
    client: TestClient, engine: Engine, signed_in: Callable[[Role], str]
) -> None:
    assert client.get("/api/v1/narratives").status_code == 401
    world, narrative_id = built(engine)
    token = signed_in(Role.ANALYST)
    listed = client.get("/api/v1/narratives").json()
    assert listed["total"] == 1
    [item] = listed["items"]
    assert item["id"] == narrative_id and item["verdict"] == "false"
    assert item["languages"] == {"en": 8, "id": 4} and item["origin"] == "fact_check"
    one = client.get(f"/api/v1/narratives/{narrative_id}").json()
    assert one["fact_check"]["id"] == world.fact and one["variant_count"] == 3
    assert {v["language"] for v in one["variants"]} == {"en", "id"}
    assert (
        len(one["spreaders"]) == 12
        and one["accounts"] == 12
        and one["countries"] == {"ID": 4, "MY": 3}
    )
    missing = client.get("/api/v1/narratives/999999")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    made = client.post(f"/api/v1/narratives/{narrative_id}/respond",
                       headers={"X-CSRF-Token": token})  # fmt: skip
    assert made.status_code == 200
    draft = made.json()
    assert draft["status"] == "draft" and sorted(draft["texts"]) == ["en", "id"]
    assert draft["sources"][0]["url"] == "https://check.example/fee"
    drafts = client.get("/api/v1/drafts", params={"narrative_id": narrative_id}).json()
    assert drafts["total"] == 1 and drafts["items"][0]["languages"] == ["en", "id"]
    assert client.get(f"/api/v1/drafts/{draft['id']}").json()["texts"] == draft["texts"]


def test_spark_points_scale_to_the_box() -> None:
    assert spark_points([]) == ""
    points = [tuple(map(float, p.split(","))) for p in spark_points([0, 5, 10]).split()]
    assert points == [(0.0, 22.0), (56.0, 12.0), (112.0, 2.0)]
