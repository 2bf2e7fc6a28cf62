"""Sign in through the form and read the overview; a wrong password keeps you out."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import TYPO, BrowserErrors, Site, catalog, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# Pixels that carry colour (not the grey of axes, grid lines and labels): the data itself.
COUNT_PIXELS = """(canvas) => {
  const { width, height } = canvas;
  const data = canvas.getContext("2d").getImageData(0, 0, width, height).data;
  let painted = 0, coloured = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] === 0) continue;
    painted++;
    const hi = Math.max(data[i], data[i + 1], data[i + 2]);
    const lo = Math.min(data[i], data[i + 1], data[i + 2]);
    if (data[i + 3] > 128 && hi - lo > 40) coloured++;
  }
  return { width, height, painted, coloured };
}"""

CHART_VALUES = "(canvas) => window.Chart.getChart(canvas).data.datasets[0].data"


def test_sign_in_shows_totals_and_draws_the_charts(
    page: Page, site: Site, browser_errors: BrowserErrors
) -> None:
    sign_in(page, site)

    assert page.locator("h1").inner_text() == catalog("en")["overview.title"]
    assert page.get_attribute("html", "lang") == "en"
    posts = page.locator("#total-posts")
    assert posts.get_attribute("data-value") == str(site.posts_imported)
    assert posts.inner_text().replace(",", "") == str(site.posts_imported)
    assert page.locator("#total-collections").get_attribute("data-value") == str(len(site.sources))
    assert page.locator("[data-testid=collection-row]").count() == len(site.sources)

    chart = page.locator("#chart-posts-per-day[data-chart-ready=true]")
    chart.wait_for(state="visible")
    pixels = chart.evaluate(COUNT_PIXELS)
    assert pixels["width"] > 200 and pixels["height"] > 100, pixels
    assert pixels["painted"] > 1000, f"the posts-per-day canvas is (almost) blank: {pixels}"
    assert pixels["coloured"] > 200, f"the posts-per-day line is not drawn: {pixels}"

    # The curve holds the API's figures, and some of them are not zero.
    stats = page.request.get(site.url("/api/v1/stats/overview"))
    assert stats.ok, stats.status
    per_day = stats.json()["per_day"]
    drawn = chart.evaluate(CHART_VALUES)
    assert drawn == [day["count"] for day in per_day]
    assert 0 < sum(drawn) <= site.posts_imported

    for other in ("#chart-platforms", "#chart-languages"):
        bars = page.locator(f"{other}[data-chart-ready=true]")
        bars.wait_for(state="visible")
        assert bars.evaluate(COUNT_PIXELS)["coloured"] > 200, f"{other} draws no bars"
        assert sum(bars.evaluate(CHART_VALUES)) == site.posts_imported
    assert page.locator("#chart-error").is_hidden()
    assert browser_errors.entries == []


def test_wrong_password_shows_an_error_and_stays_on_the_sign_in_page(
    page: Page, site: Site, browser_errors: BrowserErrors
) -> None:
    page.goto(site.url("/login"))
    page.fill("#username", TYPO)
    page.fill("#password", site.password + " but wrong")
    with page.expect_navigation() as navigation:
        page.click("[data-testid=login-submit]")

    assert navigation.value.status == 401
    assert page.url.split("?")[0] == site.url("/login")
    error = page.locator("[data-testid=flash] [role=alert]")
    assert error.inner_text() == catalog("en")["login.error.wrong"]
    assert page.locator("[data-testid=login-form]").is_visible()
    assert page.input_value("#username") == TYPO  # kept, so only the password is retyped
    assert page.input_value("#password") == ""
    assert page.locator("nav.mainnav").count() == 0
    assert not [c for c in page.context.cookies() if "session" in c["name"]]

    # Still signed out: the explorer sends this browser back to sign-in.
    explorer = page.request.get(site.url("/listen"), max_redirects=0)
    assert explorer.status in (302, 303, 307), explorer.status
    assert explorer.headers["location"].startswith("/login"), explorer.headers
    # Chromium logs the 401 of the form post itself as a console error; nothing else may fail.
    assert browser_errors.entries == [
        "console error: Failed to load resource: the server responded with a status of 401 "
        "(Unauthorized)"
    ]
