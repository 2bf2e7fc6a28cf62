"""Verify in real Chromium: the review queue's in-place confirm, a narrative's timeline and its
"prepare a response" draft, the echo-chamber network, bot-likeness evidence, coordinated
clusters, Bahasa Indonesia, and a phone's width, with no script error and no CSP violation.

One database for the module, filled as the features fill it: fact-checks saved as an analyst
saves them, posts stored as the importer stores them and embedded by the pipeline's accurate
stage (13 short texts, the int8 multilingual-e5-small), matched by `match_posts`, then
narratives, bot-likeness scores, coordinated clusters and polarization snapshots computed by
their own functions over those posts and the planted coordinated groups of the coordination
tests. Its own server runs on it, as the shared `site` does on the imported samples.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import uvicorn
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.people import Role
from ediplomacy.domain.posts import Post, Provenance
from ediplomacy.integrity import claim_queue, factcheck
from ediplomacy.integrity.bots import score_accounts
from ediplomacy.integrity.claim_matcher import match_posts
from ediplomacy.integrity.coordination_detect import detect_clusters
from ediplomacy.integrity.narrative_build import build_narratives
from ediplomacy.integrity.polarization_snapshots import compute_polarization
from ediplomacy.integrity.response_frames import FRAMES
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stages.embed import EmbedStage
from ediplomacy.security.accounts import add_user
from ediplomacy.store import collections as collection_store
from ediplomacy.store import narratives as narrative_store
from ediplomacy.store.migrate import open_database
from ediplomacy.store.posts import upsert_posts
from ediplomacy.store.serialize import post_row
from ediplomacy.web.app import create_app
from tests.e2e.conftest import (
    PASSWORD,
    BrowserErrors,
    Site,
    _free_socket,
    _new_page,
    _wait_until_up,
    catalog,
    sign_in,
)
from tests.e2e.test_mobile import assert_fits
from tests.integrity.claim_data import accurate_embedder
from tests.integrity.coordination_rows import T0, planted
from tests.integrity.coordination_rows import store as store_planted
from tests.models import e5_onnx_spec

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

ANALYST = "e2e-verifier"
POLYGLOT = "e2e-pemeriksa"  # switches to Indonesian: kept apart from the other tests
FERRY = "The Sagara Jaya ferry was secretly sold to a foreign navy"
FERRY_ID = "Kapal feri Sagara Jaya diam-diam dijual kepada angkatan laut asing"
POSITION = "The Sagara Jaya ferry remains in service with the state ferry operator, never sold"
POSITION_URL = "https://kemhub.example/sagara-jaya-statement"
# (platform, language, text): the ferry claim in English and Indonesian, another claim, and
# two posts about something else; one post every 50 minutes from the previous evening on.
POSTS = (
    ("x", "en", "BREAKING: the government secretly sold the Sagara Jaya ferry to a foreign navy!!"),
    ("x", "en", "They sold the Sagara Jaya ferry to a foreign navy in secret. Outrageous."),
    ("bluesky", "en", "So the Sagara Jaya ferry was quietly sold to some foreign navy? Disgrace."),
    ("x", "en", "Sagara Jaya ferry secretly handed to a foreign navy, the ministry hid it"),
    ("bluesky", "en", "The Sagara Jaya ferry now belongs to a foreign navy, sold behind our backs"),
    ("x", "id", "Kapal feri Sagara Jaya diam-diam dijual ke angkatan laut asing! Sebarkan!"),
    ("x", "id", "Pemerintah menjual kapal Sagara Jaya ke angkatan laut asing secara rahasia"),
    ("bluesky", "id", "Feri Sagara Jaya sudah dijual diam-diam ke angkatan laut negara lain"),
    ("x", "id", "Kapal feri Sagara Jaya dijual ke militer asing, kenapa disembunyikan?"),
    ("x", "id", "Minum air panas dengan lemon bisa menyembuhkan COVID-19, sebarkan!"),
    ("x", "en", "Hot lemon water cures COVID-19, doctors don't want you to know"),
    ("x", "en", "Had a wonderful nasi goreng for lunch with my family today"),
    ("x", "id", "Rapat kabinet membahas anggaran pendidikan tahun depan"),
)
FIRST_POST = T0 - timedelta(hours=10)  # the planted groups act from T0 on: two UTC days
OFFICIAL = "kemhub"  # the ministry's account, named in the profile's [officials]
CORRECTION = "The Sagara Jaya ferry is in service with the state operator. It was never sold."

# Reports every CSP violation of every document the page loads to the test (see `verify_page`).
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.e2eCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}` +
    ` (${event.sourceFile || document.location.pathname}:${event.lineNumber})`);
});
"""
# What Chart.js drew on a canvas: its chart, the canvas size, the painted pixels, the data.
CHART = """
(canvas) => {
  const chart = window.Chart && window.Chart.getChart(canvas);
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) { painted += 1; } }
  return {
    chart: Boolean(chart),
    type: chart ? chart.config.type : null,
    width: canvas.width, height: canvas.height, painted: painted,
    labels: chart ? chart.data.datasets.map((d) => d.label) : [],
    data: chart ? chart.data.datasets.map((d) => d.data) : [],
  };
}
"""


@dataclass
class World:
    """The running app over the seeded database, and what the seeding made."""

    site: Site
    engine: Engine
    facts: dict[str, int]
    post_ids: list[int]
    narrative_id: int
    clusters: int


def _fact(engine: Engine, claim: str, **fields: str) -> int:
    record = factcheck.record_from_form({"claim_text": claim, **fields})
    return factcheck.save(engine, record, actor="e2e").id


def _spread(engine: Engine, collection: int) -> None:
    """Reposts of the claim by six echo accounts, and the ministry's correction each day,
    reposted by the spreaders and by its own followers: the interactions of the network."""
    posts = []
    for day in range(2):
        at = FIRST_POST + timedelta(minutes=40, days=day)
        posts.append(Post("x", f"k{day}", CORRECTION, author_external_id=OFFICIAL,
                          author_handle=OFFICIAL, language="en", created_at=at))  # fmt: skip
        sharers = ["voice0", "voice1", "fan0", "fan1", "fan2"]
        posts += [Post("x", f"k{day}-{who}", "", author_external_id=who, author_handle=who,
                       created_at=at + timedelta(minutes=5 + n), repost_of_external_id=f"k{day}",
                       language="en")
                  for n, who in enumerate(sharers)]  # fmt: skip
    for i, (platform, language, _) in enumerate(POSTS[:9]):  # the ferry claim
        for n in range(2):
            who = f"echo{(i + n) % 6}"
            at = FIRST_POST + timedelta(minutes=50 * i + 3 + n)
            posts.append(Post(platform, f"v{i}-{who}", "", author_external_id=who,
                              author_handle=who, repost_of_external_id=f"v{i}", language=language,
                              created_at=at))  # fmt: skip
    with engine.begin() as connection:
        upsert_posts(connection, [
            post_row(post, Provenance(collection, f"e2e:{post.external_id}", T0, "e2e"), str, T0)
            for post in posts
        ])  # fmt: skip


def _seed(engine: Engine, settings: Settings) -> tuple[dict[str, int], list[int], int, int]:
    facts = {
        "ferry": _fact(engine, FERRY, verdict="false", language="en",
                       url="https://cek.example/ferry", sources="https://kemhub.example/fleet"),
        "ferry_id": _fact(engine, FERRY_ID, verdict="false", language="id",
                          url="https://cek.example/feri"),
        "lemon": _fact(engine, "Drinking hot water with lemon cures COVID-19", verdict="false",
                       language="en"),
        "position": _fact(engine, POSITION, kind="official_position", verdict="true",
                          language="en", url=POSITION_URL),
    }  # fmt: skip
    rows = []
    with engine.begin() as connection:
        collection = collection_store.start_collection(
            connection, name="verify", kind="file", source="e2e", fmt="csv",
            tool_version="e2e", now=T0,
        )  # fmt: skip
        for i, (platform, language, text) in enumerate(POSTS):
            post = Post(platform, f"v{i}", text, author_external_id=f"voice{i}",
                        author_handle=f"voice{i}", language=language,
                        created_at=FIRST_POST + timedelta(minutes=50 * i))  # fmt: skip
            rows.append(post_row(post, Provenance(collection, f"e2e:{i}", T0, "e2e"), str, T0))
        upsert_posts(connection, rows)
    stage = EmbedStage("accurate", accurate_embedder())
    assert InProcessRunner(engine).run([stage]).processed[stage.name] == len(POSTS)
    matched = match_posts(engine, settings, embedder=accurate_embedder())
    assert matched.matches > 0, matched
    items, _ = claim_queue.queue(engine, limit=100)
    post_ids = sorted({item.post_id for item in items})
    _spread(engine, collection)
    store_planted(engine, planted())  # two coordinated groups among 40 ordinary accounts
    build_narratives(engine, settings)
    with engine.connect() as connection:
        [ferry] = [n for n in narrative_store.all_narratives(connection)
                   if n.fact_check_id == facts["ferry"]]  # fmt: skip
    assert score_accounts(engine, settings).scored > 0
    clusters = detect_clusters(engine, settings).clusters
    assert compute_polarization(engine, settings).windows == 2
    return facts, post_ids, ferry.id, clusters


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The seeded database, and the real app serving it on a free local port."""
    data_dir = tmp_path_factory.mktemp("e2e-verify")
    settings = Settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'verify.db'}",
        accurate_embedder=e5_onnx_spec(),
        coordination_networks=["co-repost", "co-link"],
    )
    (data_dir / "listen.toml").write_text(f'[officials]\naccounts = ["{OFFICIAL}"]\n')
    engine = open_database(settings.resolved_database_url())
    facts, post_ids, narrative_id, clusters = _seed(engine, settings)
    for username in (ANALYST, POLYGLOT):
        add_user(engine, username, PASSWORD, Role.ANALYST, actor="e2e")
    sock = _free_socket()
    config = uvicorn.Config(create_app(settings, engine), log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        _wait_until_up(base_url, thread)
        site = Site(base_url=base_url, posts_imported=len(POSTS), sources=())
        yield World(site, engine, facts, post_ids, narrative_id, clusters)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        engine.dispose()


def _watched(
    browser: Browser,
    world: World,
    errors: BrowserErrors,
    request: pytest.FixtureRequest,
    screenshots: Path,
    **options: Any,
) -> Iterator[Page]:
    for page in _new_page(browser, world.site, errors, request, screenshots, **options):
        page.expose_function(
            "e2eCspViolation", lambda text: errors.entries.append(f"CSP violation: {text}")
        )
        page.add_init_script(CSP_WATCH)
        yield page


@pytest.fixture
def verify_page(
    browser: Browser,
    world: World,
    browser_errors: BrowserErrors,
    request: pytest.FixtureRequest,
    screenshots: Path,
) -> Iterator[Page]:
    """A desktop page on the seeded site, watched for errors and CSP violations."""
    yield from _watched(browser, world, browser_errors, request, screenshots,
                        viewport={"width": 1280, "height": 900})  # fmt: skip


@pytest.fixture
def verify_phone(
    browser: Browser,
    world: World,
    browser_errors: BrowserErrors,
    request: pytest.FixtureRequest,
    screenshots: Path,
) -> Iterator[Page]:
    """The same at a 390x844 phone viewport."""
    yield from _watched(browser, world, browser_errors, request, screenshots,
                        viewport={"width": 390, "height": 844}, device_scale_factor=2,
                        is_mobile=True, has_touch=True)  # fmt: skip


def chart(page: Page, selector: str) -> dict[str, Any]:
    """Wait for the chart at `selector` to be drawn; what Chart.js drew there."""
    canvas = page.locator(f"{selector}[data-chart-ready=true]")
    canvas.wait_for()
    drawn: dict[str, Any] = canvas.evaluate(CHART)
    assert drawn["chart"], f"{selector}: no Chart.js chart on the canvas"
    assert drawn["width"] > 0 and drawn["height"] > 0, f"{selector}: {drawn}"
    assert drawn["painted"] > 500, f"{selector}: almost nothing painted ({drawn['painted']} px)"
    return drawn


def number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_the_csp_watch_reports_a_violation(
    verify_page: Page, world: World, browser_errors: BrowserErrors
) -> None:
    """Without this, a silent watch would let every other test pass."""
    sign_in(verify_page, world.site, ANALYST)
    assert browser_errors.entries == []
    verify_page.evaluate("""() => { const s = document.createElement("script");
                                    s.textContent = "window.inlineRan = true";
                                    document.body.append(s); }""")  # fmt: skip
    for _ in range(100):  # the violation is reported by a task queued after the insert
        if any(e.startswith("CSP violation: script-src") for e in browser_errors.entries):
            break
        verify_page.wait_for_timeout(20)
    else:
        pytest.fail(f"the inline script's violation was not reported: {browser_errors.entries}")
    assert verify_page.evaluate("window.inlineRan === undefined")


def test_confirm_a_match_in_place(
    verify_page: Page, world: World, browser_errors: BrowserErrors
) -> None:
    page, site = verify_page, world.site
    [match, *_] = claim_queue.of_post(world.engine, world.post_ids[0])
    assert match.status == "pending"
    sign_in(page, site, ANALYST)
    page.goto(site.url("/verify/matches"))
    row = page.locator(f"#match-{match.id}")
    assert row.get_attribute("data-status") == "pending"
    assert row.locator("[data-testid=match-claim]").inner_text() == match.claim_text
    pending = number(page.locator("[data-testid=match-count-pending]").inner_text())
    page.evaluate("window.e2eSamePage = true")  # gone if the page loads again
    with page.expect_request(f"**/verify/matches/{match.id}/review") as sent:
        row.locator("[data-testid=match-note-input]").fill("Same claim, checked by e2e")
        row.locator("[data-testid=match-confirm]").click()
    assert sent.value.headers.get("hx-request") == "true"
    page.locator(f"#match-{match.id}[data-status=confirmed]").wait_for()
    assert page.evaluate("window.e2eSamePage") is True, "the page was reloaded"
    assert page.url == site.url("/verify/matches")
    assert page.locator(f"#match-{match.id}").count() == 1  # swapped, not added
    assert ANALYST in row.locator("[data-testid=match-reviewed]").inner_text()
    assert row.locator("[data-testid=match-reopen]").count() == 1
    assert [m.status for m in claim_queue.of_post(world.engine, match.post_id)
            if m.id == match.id] == ["confirmed"]  # fmt: skip

    page.reload()  # the pending queue no longer has it; the confirmed one does
    assert page.locator(f"#match-{match.id}").count() == 0
    assert number(page.locator("[data-testid=match-count-pending]").inner_text()) == pending - 1
    page.click("[data-testid=match-filters] [data-filter=confirmed]")
    page.wait_for_url("**/verify/matches?status=confirmed")
    kept = page.locator(f"#match-{match.id}")
    assert kept.get_attribute("data-status") == "confirmed"
    assert kept.locator("[data-testid=match-note]").inner_text() == "Same claim, checked by e2e"
    assert browser_errors.entries == []


def test_narrative_timeline_then_prepare_a_response(
    verify_page: Page, world: World, browser_errors: BrowserErrors
) -> None:
    page, site = verify_page, world.site
    sign_in(page, site, ANALYST)
    page.goto(site.url(f"/verify/narratives/{world.narrative_id}"))
    assert page.locator("[data-testid=narrative-label]").inner_text() == FERRY
    drawn = chart(page, "#narrative-timeline")
    assert drawn["type"] == "bar"
    assert set(drawn["labels"]) == {"English (en)", "Indonesian (id)"}, drawn["labels"]
    table = page.locator("[data-testid=timeline-table] tbody tr").evaluate_all(
        "(rows) => rows.map((r) => [...r.querySelectorAll('td.num')].map((c) => +c.textContent))"
    )  # the table under the chart (folded away, so read as text)
    by_hour = [sum(column) for column in zip(*drawn["data"], strict=True)]
    assert by_hour == [sum(row) for row in table]  # the chart draws the table's figures
    assert sum(by_hour) == number(page.locator("[data-testid=narrative-posts]").inner_text())
    page.click("[data-testid=timeline-platforms]")
    page.locator("#narrative-timeline[data-series=platforms]").wait_for()
    assert {"X (Twitter)", "Bluesky"} <= set(chart(page, "#narrative-timeline")["labels"])

    with page.expect_navigation():
        page.click("[data-testid=narrative-respond] button[type=submit]")
    assert re.fullmatch(re.escape(site.url("/verify/drafts/")) + r"\d+", page.url), page.url
    texts = page.locator("[data-testid=draft-text]")
    assert sorted(texts.evaluate_all("(all) => all.map((s) => s.dataset.language)")) == ["en", "id"]
    english = page.locator("#text-en [data-testid=draft-body]").input_value()
    indonesian = page.locator("#text-id [data-testid=draft-body]").input_value()
    assert english.startswith(FRAMES["en"]["heading"])
    assert FERRY in english and POSITION in english and POSITION_URL in english
    assert indonesian.startswith(FRAMES["id"]["heading"])
    assert FERRY_ID in indonesian and FERRY not in indonesian  # each language's fact-check
    sources = page.locator("[data-testid=draft-source]")
    chosen = {int(fact) for fact in sources.evaluate_all("(r) => r.map((x) => x.dataset.factId)")}
    assert {world.facts["ferry"], world.facts["position"]} <= chosen
    assert page.locator(f"[data-testid=draft-sources] a[href='{POSITION_URL}']").count() == 1
    assert page.get_attribute("[data-testid=draft-narrative]", "href") == (
        f"/verify/narratives/{world.narrative_id}"
    )
    assert browser_errors.entries == []


def test_network_view_and_charts(
    verify_page: Page, world: World, browser_errors: BrowserErrors
) -> None:
    page, site = verify_page, world.site
    sign_in(page, site, ANALYST)
    page.goto(site.url("/verify/network"))
    svg = page.locator("[data-testid=network-svg]")
    nodes = svg.locator("g.nodes circle")
    assert nodes.count() > 10 and nodes.count() == int(svg.get_attribute("data-nodes") or 0)
    box = svg.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 200, box
    first = nodes.first.bounding_box()
    assert first is not None and first["width"] > 0  # drawn inside the view, not collapsed
    assert svg.locator("g.edges line").count() > 0
    communities = page.locator("[data-testid=community-row]").count()
    assert communities == number(page.locator("[data-testid=fig-communities]").inner_text()) > 1
    polarization = chart(page, "#chart-polarization")
    reach = chart(page, "#chart-reach")
    assert len(polarization["data"][0]) == len(reach["data"][0]) == 2  # two days of snapshots
    assert None not in reach["data"][0]  # the ministry's correction was reposted each day
    assert svg.locator("[data-testid=official-node]").count() == 1
    assert page.locator("#chart-error").is_hidden()
    assert browser_errors.entries == []


def test_account_reasons_and_charts(
    verify_page: Page, world: World, browser_errors: BrowserErrors
) -> None:
    page, site = verify_page, world.site
    sign_in(page, site, ANALYST)
    page.goto(site.url("/verify/accounts"))
    rows = page.locator("[data-testid=account-row]")
    assert rows.count() > 0
    top = rows.first
    listed = top.locator("ul.reasons li").all_inner_texts()
    assert listed, "the highest-scored account shows no reason"
    with page.expect_navigation():
        top.locator("[data-testid=account-link]").click()
    assert "/verify/accounts/" in page.url
    reasons = page.locator("[data-testid=account-reason] td:first-child").all_inner_texts()
    assert reasons and set(listed) <= set(reasons)
    charted = number(page.locator("[data-testid=account-charted]").inner_text())
    gaps = chart(page, "#chart-gaps")
    assert len(gaps["data"][0]) == charted - 1  # one gap before each post but the first
    for selector in ("#chart-hours", "#chart-seconds"):
        assert sum(chart(page, selector)["data"][0]) == charted
    assert browser_errors.entries == []


def test_coordination_clusters(
    verify_page: Page, world: World, browser_errors: BrowserErrors
) -> None:
    page, site = verify_page, world.site
    sign_in(page, site, ANALYST)
    page.goto(site.url("/verify/coordination"))
    assert page.locator("[data-testid=run-row]").count() == 1
    rows = page.locator("[data-testid=cluster-row]")
    assert rows.count() == world.clusters >= 2  # both planted groups
    with page.expect_navigation():
        rows.first.locator("[data-testid=cluster-link]").click()
    members = page.locator("[data-testid=member-row]").count()
    assert members >= 5
    drawn = chart(page, "#coordination-gaps")
    assert sum(drawn["data"][0]) > 0
    assert page.locator("[data-testid=item-row]").count() > 0
    assert browser_errors.entries == []


def test_verify_in_bahasa_indonesia(
    verify_page: Page, world: World, browser_errors: BrowserErrors
) -> None:
    page, site = verify_page, world.site
    english, indonesian = catalog("en"), catalog("id")
    keys = ("matches.title", "verify.tab.matches", "verify.tab.narratives", "matches.confirm")
    for key in keys:  # otherwise the test could not tell the languages apart
        assert english[key] != indonesian[key], key
    sign_in(page, site, POLYGLOT)
    page.goto(site.url("/verify/matches"))
    assert page.locator("h1").inner_text() == english["matches.title"]
    with page.expect_navigation():
        page.click("[data-testid=lang-id]")
    assert page.url == site.url("/verify/matches")
    assert page.get_attribute("html", "lang") == "id"
    assert page.locator("h1").inner_text() == indonesian["matches.title"]
    assert page.locator("#tab-matches").inner_text() == indonesian["verify.tab.matches"]
    assert page.locator("#tab-narratives").inner_text() == indonesian["verify.tab.narratives"]
    confirm = page.locator("[data-testid=match-confirm]").first.inner_text()
    assert confirm == indonesian["matches.confirm"]
    page.click("#tab-narratives")  # the next page keeps the language
    page.wait_for_url(site.url("/verify/narratives"))
    assert page.get_attribute("html", "lang") == "id"
    assert page.locator("h1").inner_text() == indonesian["narratives.title"]
    assert browser_errors.entries == []


def test_verify_pages_on_a_phone(
    verify_phone: Page, world: World, browser_errors: BrowserErrors
) -> None:
    page, site = verify_phone, world.site
    sign_in(page, site, ANALYST)
    ready = {
        "/verify/matches": None,
        f"/verify/narratives/{world.narrative_id}": "#narrative-timeline",
        "/verify/narratives": None,
        "/verify/network": "#chart-reach",
        "/verify/accounts": None,
        "/verify/accounts/x/g1m1": "#chart-seconds",
        "/verify/coordination": None,
    }
    for path, canvas in ready.items():
        page.goto(site.url(path))
        if canvas:
            chart(page, canvas)
        assert_fits(page, path)
    cluster = page.get_attribute("[data-testid=cluster-link] >> nth=0", "href")
    assert cluster is not None
    page.goto(site.url(cluster))
    chart(page, "#coordination-gaps")
    assert_fits(page, "/verify/coordination/clusters/{id}")
    for path in ("/verify/drafts", "/verify/facts", f"/verify/facts/{world.facts['ferry']}"):
        page.goto(site.url(path))
        assert_fits(page, path)
    assert browser_errors.entries == []
