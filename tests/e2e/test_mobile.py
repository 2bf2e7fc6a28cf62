"""At a phone's 390 px width no page scrolls sideways (navigation and tables scroll inside)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import BrowserErrors, Site, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

WIDTH = 390
MEASURE = """() => {
  const width = window.innerWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && !el.closest(".table-scroll, .mainnav, pre")) {
      wide.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}` +
        `${el.className && typeof el.className === "string" ? "." + el.className : ""}` +
        ` right=${Math.round(box.right)}`);
    }
  }
  return {
    inner: width,
    client: document.documentElement.clientWidth,
    scroll: document.scrollingElement.scrollWidth,
    wide: wide.slice(0, 8),
  };
}"""


def assert_fits(page: Page, where: str) -> None:
    size = page.evaluate(MEASURE)
    assert size["inner"] == WIDTH, f"{where}: the layout viewport is not the phone's: {size}"
    assert size["scroll"] <= size["inner"], f"{where} scrolls sideways: {size}"


def test_no_horizontal_scroll_on_a_phone(
    phone_page: Page, site: Site, browser_errors: BrowserErrors
) -> None:
    page = phone_page
    page.goto(site.url("/login"))
    assert_fits(page, "/login")
    sign_in(page, site)
    page.locator("#chart-posts-per-day[data-chart-ready=true]").wait_for()
    assert_fits(page, "/")

    page.goto(site.url("/listen?q=brexit"))
    assert_fits(page, "/listen")
    post = page.locator("[data-testid=post-row]").first.get_attribute("data-post-id")
    page.goto(site.url(f"/listen/posts/{post}"))
    assert_fits(page, "/listen/posts/{id}")

    page.goto(site.url("/"))  # the screenshot shows the overview as a phone sees it
    page.locator("#chart-posts-per-day[data-chart-ready=true]").wait_for()
    assert_fits(page, "/ again")
    assert browser_errors.entries == []
