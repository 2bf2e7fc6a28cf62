"""The dashboard in real Chromium: the charts and the map render without a script error, and
a click on a bar opens the explorer on exactly the posts the bar counted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.e2e.conftest import BrowserErrors, Site, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

# The first bar of the volume chart that has posts: where it is drawn and what it counts.
FIRST_BAR = """
() => {
  const canvas = document.getElementById("chart-volume");
  const chart = window.Chart.getChart(canvas);
  for (let d = 0; d < chart.data.datasets.length; d++) {
    const meta = chart.getDatasetMeta(d);
    for (let i = 0; i < meta.data.length; i++) {
      const value = chart.data.datasets[d].data[i];
      if (value > 0 && chart.data.datasets[d].drill) {
        const bar = meta.data[i];
        return { x: bar.x, y: (bar.y + bar.base) / 2, count: value };
      }
    }
  }
  return null;
}
"""


def open_dashboard(page: Page, site: Site) -> None:
    sign_in(page, site)
    page.goto(site.url("/listen/dashboard"))
    for chart in ("chart-volume", "chart-sentiment", "chart-voice", "chart-map"):
        page.locator(f"#{chart}[data-chart-ready=true]").wait_for()


def test_charts_render_and_a_bar_drills_down(
    page: Page, site: Site, browser_errors: BrowserErrors
) -> None:
    open_dashboard(page, site)
    assert page.locator("canvas").count() >= 5  # volume, sentiment, voice, stance..., map
    assert page.locator("#tab-dashboard[aria-current=page]").count() == 1
    bar: Any = page.evaluate(FIRST_BAR)
    assert bar is not None, "the volume chart drew no bar"
    with page.expect_navigation():
        page.locator("#chart-volume").click(position={"x": bar["x"], "y": bar["y"]})
    assert "/listen?" in page.url and "start=" in page.url and "end=" in page.url
    total = page.locator("[data-testid=result-count]").get_attribute("data-total")
    assert total is not None and int(total) == bar["count"]
    assert page.locator("[data-testid=drill-filters] [data-drill=start]").count() == 1
    assert browser_errors.entries == []


def test_map_switches_to_sentiment_and_rows_link_to_posts(
    page: Page, site: Site, browser_errors: BrowserErrors
) -> None:
    open_dashboard(page, site)
    page.click("[data-testid=map-sentiment]")
    page.locator("#chart-map[data-metric=sentiment]").wait_for()
    assert page.get_attribute("[data-testid=map-sentiment]", "aria-pressed") == "true"
    link = page.locator("[data-testid=top-actors-row]").first
    with page.expect_navigation():
        link.click()
    assert "author=" in page.url
    total = page.locator("[data-testid=result-count]").get_attribute("data-total")
    assert total is not None and int(total) > 0
    assert browser_errors.entries == []


def test_dashboard_on_a_phone(phone_page: Page, site: Site, browser_errors: BrowserErrors) -> None:
    open_dashboard(phone_page, site)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the page scrolls sideways on a phone ({width}px)"
    assert browser_errors.entries == []
