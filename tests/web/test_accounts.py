"""Bot-likeness in the web app: the ranked list, one account's page, labels, CSV, the JSON API."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import timedelta
from html import unescape

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.people import Role
from ediplomacy.integrity import bots
from ediplomacy.security import audit
from ediplomacy.web.routes.accounts import account_url
from tests.web.conftest import NOW, Rows

MASTODON_BOT = "https://kabar.example/@wahyu82123980"


def seed(rows: Rows, engine: Engine, settings: Settings) -> dict[str, list[int]]:
    """A scheduler on Mastodon (bot flag set), a person on X; scored."""
    collection = rows.collection()
    post_ids: dict[str, list[int]] = {"bot": [], "person": []}
    for i in range(24):
        raw = {"id": str(i), "account": {"bot": True, "avatar": "https://k.example/missing.png"}}
        post_ids["bot"].append(rows.post(
            collection, platform="mastodon", external_id=f"m{i}", author_external_id=MASTODON_BOT,
            author_handle="wahyu82123980@kabar.example", raw=raw,
            text=f"Latest from Qadira: full story at the link. {i}",
            created_at=NOW + timedelta(seconds=1800 * i + (i % 2)),
        ))  # fmt: skip
    gaps = [3_700, 41, 19_000, 620, 88_000, 5, 9_100, 2_400]
    at = NOW
    for i, gap in enumerate(gaps):
        at += timedelta(seconds=gap)
        post_ids["person"].append(rows.post(
            collection, external_id=f"x{i}", author_external_id="sari", author_handle="sari_w",
            text=f"walked to the market {i} then the ferry was late, {'soup ' * i}", created_at=at,
        ))  # fmt: skip
    rows.actor(platform="mastodon", external_id=MASTODON_BOT, handle="wahyu82123980@kabar.example",
               name="Wahyu", description="", created_at=NOW - timedelta(days=3),
               followers_count=2, following_count=300, posts_count=20_000)  # fmt: skip
    rows.actor(external_id="sari", handle="sari_w", name="Sari Wulandari",
               description="Guru", created_at=NOW - timedelta(days=3_000),
               followers_count=800, following_count=300, posts_count=3_000)  # fmt: skip
    bots.score_accounts(engine, settings)
    return post_ids


def test_ranked_list_with_reasons_and_filters(
    client: TestClient, engine: Engine, settings: Settings, rows: Rows,
    signed_in: Callable[[Role], str],
) -> None:  # fmt: skip
    seed(rows, engine, settings)
    signed_in(Role.EDITOR)
    page = client.get("/verify/accounts")
    assert page.status_code == 200
    assert 'data-testid="accounts-notice"' in page.text and "never a verdict" in page.text
    ranked = re.findall(r'data-external-id="([^"]+)" data-score="([\d.]+)"', page.text)
    assert [external_id for external_id, _ in ranked] == [MASTODON_BOT, "sari"]
    assert float(ranked[0][1]) > 0.9 > float(ranked[1][1])
    text = unescape(page.text)
    assert "marked as automated by its owner" in text
    assert f'href="{account_url("mastodon", MASTODON_BOT)}"' in page.text
    high = client.get("/verify/accounts", params={"min_score": "0.5"}).text
    assert high.count('data-testid="account-row"') == 1
    mastodon = client.get("/verify/accounts", params={"platform": "x"}).text
    assert re.findall(r'data-external-id="([^"]+)"', mastodon) == ["sari"]
    assert (
        'data-testid="accounts-empty"'
        in client.get("/verify/accounts", params={"labelled": "yes"}).text
    )
    assert 'data-testid="accounts-empty"' in client.get("/verify/accounts", params={"q": "zz"}).text


def test_account_page_reasons_chart_posts_and_no_form_for_editors(
    client: TestClient, engine: Engine, settings: Settings, rows: Rows,
    signed_in: Callable[[Role], str],
) -> None:  # fmt: skip
    post_ids = seed(rows, engine, settings)
    signed_in(Role.EDITOR)
    url = account_url("mastodon", MASTODON_BOT)
    assert "%2F" in url  # the id's slashes are escaped and come back whole
    page = client.get(url)
    assert page.status_code == 200
    reasons = re.findall(r'data-code="(\w+)" data-contribution="(-?[\d.]+)"', page.text)
    codes = [code for code, _ in reasons]
    assert set(codes[:2]) == {"bot_flag", "regular_period"}  # 3 points each
    assert [float(c) for _, c in reasons] == sorted((float(c) for _, c in reasons), reverse=True)
    text = unescape(page.text)
    assert "every 30 min ± " in text
    times = json.loads(unescape(re.search(r"data-account-times='([^']+)'", page.text).group(1)))
    assert len(times) == 24 and times == sorted(times)
    assert times[1] - times[0] == 1801.0
    for name in ("chart-gaps", "chart-hours", "chart-seconds"):
        assert f'data-testid="{name}"' in page.text
    assert "/static/vendor/chartjs/chart.umd.min.js" in page.text
    linked = {int(i) for i in re.findall(r'href="/listen/posts/(\d+)"', page.text)}
    assert linked == set(post_ids["bot"][-20:])
    assert 'data-testid="account-label-form"' not in page.text  # editors read, analysts label
    assert 'data-testid="account-no-labels"' in page.text
    assert client.get("/verify/accounts/x/nobody").status_code == 404
    rows.post(rows.collection(), external_id="lone", author_external_id="lone-author")
    lone = client.get(account_url("x", "lone-author"))  # posts only: no profile, no score yet
    assert lone.status_code == 200
    assert 'data-testid="account-not-scored"' in lone.text
    assert 'data-testid="account-no-profile"' in lone.text


def test_analyst_labels_an_account_history_kept_and_audited(
    client: TestClient, engine: Engine, settings: Settings, rows: Rows,
    signed_in: Callable[[Role], str],
) -> None:  # fmt: skip
    seed(rows, engine, settings)
    token = signed_in(Role.ANALYST)
    url = account_url("mastodon", MASTODON_BOT)
    assert 'data-testid="account-label-form"' in client.get(url).text
    for label, note in (("unsure", "regular, but it relays real news"), ("automated", "bot flag")):
        sent = client.post("/verify/accounts/label", data={
            "csrf_token": token, "platform": "mastodon", "external_id": MASTODON_BOT,
            "label": label, "note": note,
        })  # fmt: skip
        assert sent.status_code == 303 and sent.headers["location"] == url
    page = client.get(url)
    assert "Label saved" in page.text
    assert re.findall(r'data-testid="account-label" data-label="(\w+)"', page.text) == [
        "automated", "unsure",
    ]  # fmt: skip
    assert "regular, but it relays real news" in page.text
    bad = client.post("/verify/accounts/label", data={
        "csrf_token": token, "platform": "mastodon", "external_id": MASTODON_BOT, "label": "bot",
    })  # fmt: skip
    assert bad.status_code == 303
    assert "cannot be saved" in client.get(bad.headers["location"]).text
    assert len(bots.review(engine, "mastodon", MASTODON_BOT).labels) == 2
    actions = [entry.action for entry in audit.recent_entries(engine, limit=20)[0]]
    assert actions.count(bots.LABELED) == 2
    labelled = client.get("/verify/accounts", params={"labelled": "yes"}).text
    assert re.findall(r'data-external-id="([^"]+)"', labelled) == [MASTODON_BOT]
    assert 'data-label="automated"' in labelled
    unlabelled = client.get("/verify/accounts", params={"labelled": "no"}).text
    assert re.findall(r'data-external-id="([^"]+)"', unlabelled) == ["sari"]

    exported = client.get("/verify/accounts/labels.csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(exported.text)))
    assert [line["label"] for line in lines] == ["unsure", "automated"]
    assert lines[0]["external_id"] == MASTODON_BOT and lines[0]["labeled_by"] == "user-analyst"


def test_editors_may_not_label(
    client: TestClient, engine: Engine, settings: Settings, rows: Rows,
    signed_in: Callable[[Role], str],
) -> None:  # fmt: skip
    seed(rows, engine, settings)
    token = signed_in(Role.EDITOR)
    refused = client.post("/verify/accounts/label", data={
        "csrf_token": token, "platform": "x", "external_id": "sari", "label": "human",
    })  # fmt: skip
    assert refused.status_code == 403
    assert bots.review(engine, "x", "sari").labels == []


def test_indonesian_page_says_the_reasons_in_indonesian(
    client: TestClient, engine: Engine, settings: Settings, rows: Rows,
    signed_in: Callable[[Role], str],
) -> None:  # fmt: skip
    seed(rows, engine, settings)
    token = signed_in(Role.ANALYST)
    client.post("/language", data={"locale": "id", "csrf_token": token, "next": "/"})
    text = unescape(client.get(account_url("mastodon", MASTODON_BOT)).text)
    assert "ditandai sebagai akun otomatis" in text and "setiap 30 menit" in text
    assert "Bukti untuk ditinjau, bukan putusan" in text
    listed = unescape(client.get("/verify/accounts").text)
    assert "Kemiripan bot" in listed and "mengunggah dengan jadwal tetap" in listed


def test_json_api_scores_and_labels(
    client: TestClient, engine: Engine, settings: Settings, rows: Rows,
    signed_in: Callable[[Role], str],
) -> None:  # fmt: skip
    seed(rows, engine, settings)
    token = signed_in(Role.ANALYST)
    body = client.get("/api/v1/accounts/scores", params={"min_score": 0.5}).json()
    assert body["total"] == 1 and "not a verdict" in body["notice"]
    [item] = body["items"]
    assert item["external_id"] == MASTODON_BOT and item["label"] is None
    first = next(reason for reason in item["reasons"] if reason["code"] == "bot_flag")
    assert first["contribution"] == 3.0 and item["reasons"][0]["contribution"] == 3.0
    assert set(first["text"]) == {"en", "id"}
    assert item["features"]["period_share"] == 1.0
    saved = client.post("/api/v1/accounts/labels", headers={"X-CSRF-Token": token},
                        json={"platform": "x", "external_id": "sari", "label": "human",
                              "note": "a teacher; replies to her pupils"})  # fmt: skip
    assert saved.status_code == 200 and saved.json()["labeled_by"] == "user-analyst"
    maybe = {"platform": "x", "external_id": "sari", "label": "maybe"}
    refused = client.post("/api/v1/accounts/labels", headers={"X-CSRF-Token": token}, json=maybe)
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/problem+json"
    labels = client.get("/api/v1/accounts/labels").json()["items"]
    assert [(entry["external_id"], entry["label"]) for entry in labels] == [("sari", "human")]
    one = client.get("/api/v1/accounts/labels", params={"platform": "x", "external_id": "sari"})
    assert one.json()["items"][0]["note"] == "a teacher; replies to her pupils"
    unlabelled = client.get("/api/v1/accounts/scores", params={"labelled": "no"}).json()
    assert [entry["external_id"] for entry in unlabelled["items"]] == [MASTODON_BOT]
