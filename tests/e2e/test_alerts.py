"""Watch rules and alerts in a real browser: the live syntax check, the chart, acknowledging."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.engine import Engine

from ediplomacy.listen import watch
from ediplomacy.store import watch as watch_store
from ediplomacy.store.migrate import open_database
from tests.e2e.conftest import BrowserErrors, Site, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
START = datetime(2026, 11, 18, 11, tzinfo=UTC)


@pytest.fixture
def site_engine(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The database the running site uses (its data folder in this session's temp dir)."""
    found = tmp_path_factory.getbasetemp().glob("e2e-data*/e2e.db")
    path = max(found, key=lambda candidate: candidate.stat().st_mtime)  # the live one
    engine = open_database(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def test_rule_form_checks_the_query_as_it_is_typed(
    page: Page, site: Site, browser_errors: BrowserErrors
) -> None:
    sign_in(page, site)
    page.goto(site.url("/listen/rules"))
    query = page.locator("[data-testid=rule-query]")
    query.fill("brexit (vote OR leave")
    error = page.locator("[data-testid=rule-check-error]")
    error.wait_for()
    assert "column 8" in error.inner_text() and error.get_attribute("data-column") == "8"
    query.fill("brexit OR #brexit")
    page.locator("[data-testid=rule-check-ok]").wait_for()
    page.fill("[data-testid=rule-name]", "E2E brexit")
    with page.expect_navigation():
        page.click("[data-testid=rule-save]")
    assert page.locator("[data-rule='E2E brexit']").count() == 1
    assert not browser_errors.entries, browser_errors.entries


def test_alert_chart_and_acknowledge(
    page: Page, site: Site, site_engine: Engine, browser_errors: BrowserErrors
) -> None:
    rule = watch.add_rule(site_engine, "E2E quake", "qadira", exist_ok=True)
    counts = [3, 4, 2, 5, 3, 4] * 8 + [160, 120]
    series = {"start": (START - timedelta(hours=48)).isoformat(), "counts": counts}
    sample = {"id": 1, "platform": "x", "author": "sari", "text": "Gempa Qadira!"}
    details = {"ratio": 40.0, "languages": [["id", 200], ["en", 80]], "countries": [["XJ", 9]],
               "samples": [sample], "series": series}  # fmt: skip
    with site_engine.begin() as connection:
        alert_id = watch_store.insert_alert(
            connection,
            {"rule_id": rule.id, "kind": "volume", "window_start": START,
             "window_end": START + timedelta(hours=2), "observed": 280, "expected": 7.0,
             "score": 99.0, "details": details, "created_at": START},
        )  # fmt: skip
    sign_in(page, site)
    page.goto(site.url("/listen/alerts"))
    card = page.locator(f"[data-alert-id='{alert_id}']")
    chart = card.locator("[data-testid=alert-chart]")
    page.locator(f"[data-alert-id='{alert_id}'] [data-testid=alert-chart][data-chart-ready=true]"
                 ).wait_for()  # fmt: skip
    assert chart.get_attribute("data-burst-bars") == "2"
    assert "280" in card.locator("[data-testid=alert-size]").inner_text()
    with page.expect_navigation():
        card.locator("[data-testid=alert-ack]").click()
    assert page.locator(f"[data-alert-id='{alert_id}']").count() == 0  # gone from "open"
    assert watch.get_alert(site_engine, alert_id).status == "acknowledged"
    assert not browser_errors.entries, browser_errors.entries
