"""Search posts in the explorer, then open one and read its payload and provenance."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import BrowserErrors, Site, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request

pytestmark = pytest.mark.browser

WORD = "brexit"  # in most posts of formats/x-v2/twarc-csv/brexit.jsonl, in none of the others


def search(page: Page, site: Site, word: str) -> int:
    """Search the explorer for `word` through the form; returns the new result count."""
    page.goto(site.url("/listen"))
    count = page.locator("[data-testid=result-count]")
    assert count.get_attribute("data-total") == str(site.posts_imported)
    page.evaluate("window.__e2eSamePage = true")
    page.fill("[data-testid=filter-q]", word)
    page.press("[data-testid=filter-q]", "Enter")
    page.wait_for_function(
        "(before) => document.querySelector('[data-testid=result-count]').dataset.total !== before",
        arg=str(site.posts_imported),
    )
    # htmx swapped the results in place (no page load) and put the search in the address bar.
    assert page.evaluate("window.__e2eSamePage") is True
    page.wait_for_url(re.compile(rf"/listen\?.*q={word}"))
    return int(count.get_attribute("data-total") or "-1")


def test_search_updates_the_results(page: Page, site: Site, browser_errors: BrowserErrors) -> None:
    sign_in(page, site)
    total = search(page, site, WORD)

    assert 0 < total < site.posts_imported
    rows = page.locator("[data-testid=post-row]")
    assert rows.count() == min(total, 25)
    assert f"{total}" in page.locator("[data-testid=result-count]").inner_text()
    for row in rows.all():
        shown = row.locator("[data-testid=post-link]").inner_text()
        if WORD in shown.lower():
            continue
        # The table cuts texts at 220 characters; the word may be further on.
        assert shown.endswith("..."), f"a result without '{WORD}': {shown!r}"
        post = page.request.get(site.url(f"/api/v1/posts/{row.get_attribute('data-post-id')}"))
        assert WORD in post.json()["post"]["text"].lower(), shown
    assert browser_errors.entries == []


def test_a_search_sends_one_request(page: Page, site: Site, browser_errors: BrowserErrors) -> None:
    sign_in(page, site)
    page.goto(site.url("/listen"))
    sent: list[str] = []

    def note(request: Request) -> None:
        if "/listen?" in request.url:
            sent.append(request.url)

    page.on("request", note)
    search(page, site, WORD)
    page.wait_for_load_state("networkidle")
    assert len(sent) == 1, sent
    assert browser_errors.entries == []


def test_post_page_shows_raw_payload_and_provenance(
    page: Page, site: Site, browser_errors: BrowserErrors
) -> None:
    sign_in(page, site)
    search(page, site, WORD)
    first = page.locator("[data-testid=post-row]").first
    post_id = first.get_attribute("data-post-id")
    with page.expect_navigation():
        first.locator("[data-testid=post-link]").click()

    assert page.url == site.url(f"/listen/posts/{post_id}")
    detail = page.locator("[data-testid=post-detail]")
    assert detail.get_attribute("data-post-id") == post_id
    assert WORD in page.locator("[data-testid=post-text]").inner_text().lower()

    raw_box = page.locator("#post-raw")
    assert raw_box.is_visible()
    raw = json.loads(raw_box.inner_text())
    assert isinstance(raw, dict) and raw, raw
    external_id = page.locator("dl.facts code").first.inner_text()
    assert str(raw.get("id")) == external_id, (external_id, sorted(raw))
    assert WORD in json.dumps(raw).lower()

    source = page.locator("#provenance-source").inner_text().strip()
    path, _, line = source.rpartition(":")
    assert path == str(site.sources[0]), source
    assert line.isdigit() and int(line) >= 1, source
    assert "brexit.jsonl" in page.locator("#provenance-collection").inner_text()
    assert browser_errors.entries == []
