"""The EN/ID switch turns the interface into Bahasa Indonesia, and it stays so."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import POLYGLOT, BrowserErrors, Site, catalog, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

NAV = ("overview", "listen", "verify")  # the areas an analyst's navigation shows


def nav_texts(page: Page) -> dict[str, str]:
    return {area: page.locator(f"#nav-{area}").inner_text().strip() for area in NAV}


def test_switch_to_bahasa_indonesia(page: Page, site: Site, browser_errors: BrowserErrors) -> None:
    english, indonesian = catalog("en"), catalog("id")
    for area in NAV:  # otherwise the test could not tell the languages apart
        assert english[f"nav.{area}"] != indonesian[f"nav.{area}"], area
    sign_in(page, site, POLYGLOT)
    assert nav_texts(page) == {area: english[f"nav.{area}"] for area in NAV}

    with page.expect_navigation():
        page.click("[data-testid=lang-id]")

    assert page.url == site.url("/")
    assert page.get_attribute("html", "lang") == "id"
    assert nav_texts(page) == {area: indonesian[f"nav.{area}"] for area in NAV}
    assert page.locator("[data-testid=logout]").inner_text() == indonesian["nav.logout"]
    assert page.locator("h1").inner_text() == indonesian["overview.title"]
    assert page.get_attribute("[data-testid=lang-id]", "aria-pressed") == "true"

    page.click("#nav-listen")  # the next page keeps the language
    page.wait_for_url(site.url("/listen"))
    assert page.get_attribute("html", "lang") == "id"
    assert page.locator("h1").inner_text() == indonesian["explorer.title"]
    assert page.locator("#nav-listen").get_attribute("aria-current") == "page"
    assert browser_errors.entries == []
