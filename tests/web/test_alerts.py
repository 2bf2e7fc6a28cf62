"""The alerts and watch-rules pages and their JSON API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.people import Role
from ediplomacy.listen import watch
from ediplomacy.security import audit
from ediplomacy.store import watch as store
from ediplomacy.web.routes.alerts import explorer_url
from tests.web.conftest import NOW, Rows

HOUR = timedelta(hours=1)


def burst(engine: Engine, rows: Rows) -> int:
    """A rule with one alert: 48 quiet hours, then 60 posts in one hour."""
    collection = rows.collection()
    start = NOW - 48 * HOUR
    for hour in range(48):
        for n in range(3):
            rows.post(collection, text=f"qadira calm {n}", created_at=start + hour * HOUR)
    for n in range(60):
        rows.post(collection, text=f"Gempa Qadira {n}", language="id",
                  created_at=NOW + n * timedelta(seconds=50))  # fmt: skip
    rows.post(collection, text="nothing to see", created_at=NOW)
    watch.add_rule(engine, "Quake", "qadira")
    summary = watch.check(engine, Settings(), until=NOW + HOUR, notifiers={})
    [alert_id] = summary.new_alerts
    return alert_id


def test_alerts_page_shows_the_burst_and_acknowledges_it(
    client: TestClient, engine: Engine, rows: Rows, signed_in: Callable[[Role], str]
) -> None:
    alert_id = burst(engine, rows)
    token = signed_in(Role.EDITOR)
    page = client.get("/listen/alerts")
    assert page.status_code == 200
    html = page.text
    assert f'data-alert-id="{alert_id}"' in html and "Volume burst: Quake" in html
    assert "60 posts where about 3 were usual (20.0\u00d7)" in html
    assert "data-alert-series=" in html and 'data-testid="alert-ack"' in html
    assert "/listen?rule=" in html and "Gempa Qadira" in html

    refused = client.post(f"/listen/alerts/{alert_id}/ack", data={"csrf_token": "forged"})
    assert refused.status_code == 403 and watch.get_alert(engine, alert_id).status == "open"
    done = client.post(f"/listen/alerts/{alert_id}/ack",
                       data={"csrf_token": token, "next": "/listen/alerts?status=all"})  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == "/listen/alerts?status=all"
    alert = watch.get_alert(engine, alert_id)
    assert alert.status == "acknowledged" and alert.acknowledged_by == "user-editor"
    assert 'data-testid="alerts-empty"' in client.get("/listen/alerts").text
    assert "Acknowledged by user-editor" in client.get(f"/listen/alerts/{alert_id}").text
    entries, _ = audit.recent_entries(engine, action_prefix="alert.")
    assert [(e.action, e.actor, e.target) for e in entries] == [
        ("alert.acknowledged", "user-editor", str(alert_id))
    ]


def test_viewers_see_alerts_but_cannot_acknowledge(
    client: TestClient, engine: Engine, rows: Rows, signed_in: Callable[[Role], str]
) -> None:
    alert_id = burst(engine, rows)
    token = signed_in(Role.VIEWER)
    assert 'data-testid="alert-ack"' not in client.get("/listen/alerts").text
    response = client.post(f"/listen/alerts/{alert_id}/ack", data={"csrf_token": token})
    assert response.status_code == 403


def test_the_alert_links_to_exactly_its_posts_in_the_explorer(
    client: TestClient, engine: Engine, rows: Rows, signed_in: Callable[[Role], str]
) -> None:
    alert_id = burst(engine, rows)
    signed_in(Role.VIEWER)
    alert = watch.get_alert(engine, alert_id)
    page = client.get(explorer_url(alert))
    assert page.status_code == 200
    assert 'data-total="60"' in page.text  # the burst's posts, nothing before or after
    assert "nothing to see" not in page.text and "qadira calm" not in page.text
    assert client.get("/listen?rule=999").status_code == 404


def test_rules_page_adds_checks_switches_and_deletes(
    client: TestClient, engine: Engine, signed_in: Callable[[Role], str]
) -> None:
    token = signed_in(Role.ANALYST)
    check = client.get("/listen/rules/check", params={"query": "sagara jaya (quake OR gempa"})
    assert "Unbalanced parenthesis at column 13" in check.text
    assert 'data-column="13"' in check.text
    ok = client.get("/listen/rules/check", params={"query": "qadira or"})
    assert "capitals" in ok.text
    ok = client.get("/listen/rules/check", params={"query": 'qadira "sagara jaya"'})
    assert (
        'data-testid="rule-check-ok"' in ok.text and "qadira AND &#34;sagara jaya&#34;" in ok.text
    )

    bad = client.post("/listen/rules", data={"csrf_token": token, "name": "Quake",
                                             "query": "qadira foo:bar"})  # fmt: skip
    assert bad.status_code == 422  # the form again, from the POST: nothing in a URL
    assert "Unknown field foo:" in bad.text and 'value="qadira foo:bar"' in bad.text
    assert watch.list_rules(engine) == []

    form = {"csrf_token": token, "name": "Quake", "query": "qadira", "email": "duty@x.example"}
    assert client.post("/listen/rules", data=form).status_code == 303
    [rule] = watch.list_rules(engine)
    assert rule.notify["emails"] == ["duty@x.example"] and rule.created_by == "user-analyst"
    assert 'data-rule="Quake"' in client.get("/listen/rules").text
    client.post(f"/listen/rules/{rule.id}/disable", data={"csrf_token": token})
    assert not watch.get_rule(engine, rule.id).enabled
    client.post(f"/listen/rules/{rule.id}/enable", data={"csrf_token": token})
    assert watch.get_rule(engine, rule.id).enabled
    client.post(f"/listen/rules/{rule.id}/delete", data={"csrf_token": token})
    assert watch.list_rules(engine) == []
    again = client.post(f"/listen/rules/{rule.id}/delete", data={"csrf_token": token})
    assert again.status_code == 303


def test_rules_page_in_indonesian(
    client: TestClient, engine: Engine, signed_in: Callable[[Role], str]
) -> None:
    token = signed_in(Role.ANALYST)
    client.post("/language", data={"locale": "id", "csrf_token": token})
    page = client.get("/listen/rules")
    assert "Aturan pantauan" in page.text
    check = client.get("/listen/rules/check", params={"query": "(qadira"})
    assert "Tanda kurung tidak seimbang di kolom 1" in check.text


def test_json_api(
    client: TestClient, engine: Engine, rows: Rows, signed_in: Callable[[Role], str]
) -> None:
    alert_id = burst(engine, rows)
    token = signed_in(Role.ANALYST)
    listed = client.get("/api/v1/alerts", params={"status": "open"}).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == alert_id
    assert listed["items"][0]["details"]["samples"]
    headers = {"X-CSRF-Token": token}
    acked = client.post(f"/api/v1/alerts/{alert_id}/ack", headers=headers).json()
    assert acked["status"] == "acknowledged"
    assert client.get("/api/v1/alerts", params={"status": "open"}).json()["total"] == 0
    assert client.post("/api/v1/alerts/999/ack", headers=headers).status_code == 404

    body = {"name": "Hook", "query": "gempa", "webhooks": ["https://h.example/in?token=S3CRET"],
            "settings": {"min_posts": 5}}  # fmt: skip
    created = client.post("/api/v1/watch-rules", json=body, headers=headers)
    assert created.status_code == 200, created.text
    [shown_hook] = created.json()["notify"]["webhooks"]
    assert shown_hook.startswith("https://h.example/… #") and "S3CRET" not in shown_hook
    assert client.post("/api/v1/watch-rules", json=body, headers=headers).status_code == 200
    rules = client.get("/api/v1/watch-rules").json()
    assert {rule["name"] for rule in rules} == {"Quake", "Hook"}
    assert "S3CRET" not in client.get("/api/v1/watch-rules").text

    broken = client.post("/api/v1/watch-rules", json={"name": "B", "query": "a OR"},
                         headers=headers)  # fmt: skip
    assert broken.status_code == 400
    assert broken.json()["detail"].startswith("missing term after OR at column 5")
    assert broken.json()["code"] == "rules.error.missing_term"
    rule = {"name": "C", "query": "a", "settings": {"min_ratio": 0}}
    bad_settings = client.post("/api/v1/watch-rules", headers=headers, json=rule)
    assert bad_settings.status_code == 400


SLACK = "https://hooks.slack.com/services/T0001/B0001/XXXXSECRET"


def test_deliveries_are_for_rule_managers_and_never_show_the_webhook_secret(
    client: TestClient, engine: Engine, rows: Rows, signed_in: Callable[[Role], str]
) -> None:
    alert_id = burst(engine, rows)
    with engine.begin() as connection:
        store.add_deliveries(connection, alert_id, [("webhook", SLACK)])
    signed_in(Role.VIEWER)
    page = client.get(f"/listen/alerts/{alert_id}")
    assert page.status_code == 200 and 'data-testid="alert-deliveries"' not in page.text
    assert "hooks.slack.com" not in page.text
    signed_in(Role.ANALYST)
    page = client.get(f"/listen/alerts/{alert_id}")
    assert 'data-testid="alert-deliveries"' in page.text and "https://hooks.slack.com/" in page.text
    assert "XXXXSECRET" not in page.text and "T0001" not in page.text
    assert "not sent" in page.text.lower()  # the burst ended before the rule was saved


def test_a_refused_rule_form_is_shown_again_without_putting_the_webhook_in_a_url(
    client: TestClient, engine: Engine, signed_in: Callable[[Role], str]
) -> None:
    token = signed_in(Role.ANALYST)
    form = {"csrf_token": token, "name": "Quake", "query": "qadira foo:bar", "webhook": SLACK}
    refused = client.post("/listen/rules", data=form)
    assert refused.status_code == 422 and "location" not in refused.headers
    assert "Unknown field foo:" in refused.text and 'value="qadira foo:bar"' in refused.text
    assert f'value="{SLACK}"' in refused.text  # kept in the form for the person who typed it
    assert watch.list_rules(engine) == []
    old_link = client.get("/listen/rules", params={"webhook": SLACK})  # no longer fills the form
    assert f'value="{SLACK}"' not in old_link.text
