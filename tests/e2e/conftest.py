"""Browser end-to-end fixtures: the real app under uvicorn, real imported data, real Chromium.

One server per test session, in a background thread, on a free port of 127.0.0.1, over a
temporary SQLite database filled by the importer from shared-data samples (X, Bluesky,
Mastodon). Debian's Chromium (`/usr/bin/chromium`, or EDIPLOMACY_E2E_CHROMIUM) is driven by
Playwright's sync API; Playwright never downloads a browser. Without Chromium the tests skip,
except under CI (CI=true), where they fail.

Each test gets a fresh browser context (no cookies) and saves one screenshot under a temporary
directory (EDIPLOMACY_E2E_SCREENSHOTS to choose another one), never in the repository.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import uvicorn

from ediplomacy.config import Settings
from ediplomacy.domain.people import Role
from ediplomacy.ingest.importer import Importer
from ediplomacy.security.accounts import add_user
from ediplomacy.store.migrate import open_database
from ediplomacy.web.app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = os.environ.get("EDIPLOMACY_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SAMPLES = (
    "formats/x-v2/twarc-csv/brexit.jsonl",
    "formats/bluesky/bskyr/getAuthorFeed.json",
    "formats/mastodon/mastodon-py/status_110446223051565765.json",
)
PASSWORD = "e2e correct horse battery"
# One account per concern: the language switch is saved on the user, and failed sign-ins
# count towards a lockout, so neither may leak into the other tests.
ANALYST = "e2e-analyst"
POLYGLOT = "e2e-polyglot"
TYPO = "e2e-typo"
LOCALES = Path(__file__).resolve().parents[2] / "src" / "ediplomacy" / "web" / "locales"
TIMEOUT_MS = 10_000


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def catalog(locale: str) -> dict[str, str]:
    """The UI's message catalog for `locale`, as shipped."""
    data: dict[str, str] = json.loads((LOCALES / f"{locale}.json").read_text(encoding="utf-8"))
    return data


@dataclass
class Site:
    """The running app: its URL, what was imported, and who can sign in."""

    base_url: str
    posts_imported: int
    sources: tuple[Path, ...]
    password: str = PASSWORD

    def url(self, path: str) -> str:
        return self.base_url + path


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _wait_until_up(url: str, thread: threading.Thread, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    last: Exception | None = None
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the uvicorn thread ended before the server answered")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError as error:  # connection refused while uvicorn starts
            last = error
        time.sleep(0.05)
    raise RuntimeError(f"the server at {url} did not answer within {seconds:.0f} s: {last}")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Site]:
    """The real app on a free local port, over a database filled by the importer."""
    data_dir = tmp_path_factory.mktemp("e2e-data")
    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'e2e.db'}")
    engine = open_database(settings.resolved_database_url())
    sources = tuple(shared_data / sample for sample in SAMPLES)
    importer = Importer(engine, data_dir=data_dir)
    imported = 0
    for source in sources:  # one collection per file, as a desk officer would import them
        report = importer.run([source])
        assert report.counts.rejected == 0, f"{source} had rejected records"
        imported += report.counts.new
    assert imported > 0
    for username in (ANALYST, POLYGLOT, TYPO):
        add_user(engine, username, PASSWORD, Role.ANALYST, actor="e2e")

    sock = _free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings, engine), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url, thread)
        yield Site(base_url=base_url, posts_imported=imported, sources=sources)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless; skips without it, but fails under CI."""
    if not Path(CHROMIUM).is_file():
        message = (
            f"Chromium not found at {CHROMIUM}: install it (apt-get install -y chromium) "
            "or set EDIPLOMACY_E2E_CHROMIUM; the browser tests need it"
        )
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("EDIPLOMACY_E2E_SCREENSHOTS")
    if chosen:
        path = Path(chosen)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("e2e-screenshots")


@dataclass
class BrowserErrors:
    """What the page reported as broken: script errors, console errors, failed requests."""

    entries: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.entries.append(f"page error: {error}"))
        page.on(
            "console",
            lambda message: (
                self.entries.append(f"console {message.type}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        page.on(
            "requestfailed",
            lambda request: self.entries.append(
                f"request failed: {request.method} {request.url} ({request.failure})"
            ),
        )


@pytest.fixture
def browser_errors() -> BrowserErrors:
    return BrowserErrors()


def _new_page(
    browser: Browser,
    site: Site,
    errors: BrowserErrors,
    request: pytest.FixtureRequest,
    shots: Path,
    **context_options: Any,
) -> Iterator[Page]:
    context = browser.new_context(base_url=site.base_url, locale="en-GB", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors.watch(page)
    try:
        yield page
    finally:
        try:
            page.screenshot(path=str(shots / f"{request.node.name}.png"), full_page=True)
        finally:
            context.close()


@pytest.fixture
def page(
    browser: Browser,
    site: Site,
    browser_errors: BrowserErrors,
    request: pytest.FixtureRequest,
    screenshots: Path,
) -> Iterator[Page]:
    """A fresh desktop-sized page (1280x900); its screenshot is saved when the test ends."""
    yield from _new_page(
        browser, site, browser_errors, request, screenshots, viewport={"width": 1280, "height": 900}
    )


@pytest.fixture
def phone_page(
    browser: Browser,
    site: Site,
    browser_errors: BrowserErrors,
    request: pytest.FixtureRequest,
    screenshots: Path,
) -> Iterator[Page]:
    """A fresh page at a 390x844 phone viewport, with touch and the mobile meta viewport."""
    yield from _new_page(
        browser,
        site,
        browser_errors,
        request,
        screenshots,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )


def sign_in(page: Page, site: Site, username: str = ANALYST) -> None:
    """Sign in through the form, as a person does, and wait for the overview."""
    page.goto(site.url("/login"))
    page.fill("#username", username)
    page.fill("#password", site.password)
    with page.expect_navigation():
        page.click("[data-testid=login-submit]")
    assert page.url == site.url("/"), f"sign-in landed on {page.url}"
    # Let the overview finish loading its chart data: leaving earlier aborts that request.
    page.locator("#chart-posts-per-day[data-chart-ready=true]").wait_for()
