"""Verify → Echo chambers: /verify/network and GET /api/v1/network/polarization."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.domain.people import Role
from ediplomacy.integrity import polarization
from ediplomacy.integrity.polarization_snapshots import compute_polarization
from tests.integrity.polarization_rows import Rows, two_communities


@pytest.fixture
def network(engine: Engine, settings: Settings) -> dict[str, int]:
    """Two communities of six; a0 is the ministry's account (named in listen.toml)."""
    (settings.data_dir / "listen.toml").write_text('[officials]\naccounts = ["Kemlu_RI"]\n')
    rows = Rows(engine)
    rows.actor("a0", "Kemlu_RI")
    return two_communities(rows)


def test_the_page_draws_the_network_and_the_figures(
    client: TestClient,
    engine: Engine,
    settings: Settings,
    network: dict[str, int],
    signed_in: Callable[[Role], str],
) -> None:
    compute_polarization(engine, settings)
    signed_in(Role.EDITOR)
    page = client.get("/verify/network")
    assert page.status_code == 200
    html = page.text
    assert 'aria-current="page"' in html.split('id="tab-network"')[1][:40]
    svg = html[html.index('data-testid="network-svg"') : html.index("</svg>")]
    assert svg.count("<circle") == 12 and 'data-nodes="12"' in svg
    assert svg.count('data-testid="official-node"') == 1 and "@Kemlu_RI" in svg
    assert len(set(re.findall(r'data-community="(\d+)"', svg))) == 2
    assert 'data-testid="fig-modularity"' in html
    figures = polarization.analyze(engine, settings, narrative_id=None).report
    shown = re.search(r'data-testid="fig-ei" data-value="([^"]+)"', html)
    assert shown and float(shown.group(1)) == pytest.approx(figures.ei_index)
    assert html.count('data-testid="community-row"') == 2
    assert html.count('data-official="true"') == 1
    assert html.count('data-testid="exposure-cell"') == 4
    assert html.count('data-testid="reach-row"') == 1
    assert "#kitabersatu" in html and "#hoax" in html
    # The stored snapshots make the charts over time, with the same figures in a table.
    assert 'data-testid="chart-polarization"' in html and 'id="network-data"' in html
    data = json.loads(re.search(r'id="network-data">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    assert [point["accounts"] for point in data["series"]] == [12]
    assert html.count('data-testid="series-row"') == 1
    assert '<script src="/static/js/network.js"' in html
    assert client.get("/static/js/network.js").status_code == 200
    assert client.get("/static/css/network.css").status_code == 200


def test_the_page_in_indonesian_and_with_filters(
    client: TestClient, network: dict[str, int], signed_in: Callable[[Role], str]
) -> None:
    token = signed_in(Role.ANALYST)
    client.post("/language", data={"locale": "id", "next": "/", "csrf_token": token})
    page = client.get(
        "/verify/network", params={"platform": "x", "top": 10, "interactions": "repost"}
    )
    assert page.status_code == 200
    assert "Ruang gema" in page.text and "Modularitas" in page.text
    assert 'value="repost" checked' in page.text and 'value="reply" checked' not in page.text
    svg = page.text[page.text.index('data-testid="network-svg"') : page.text.index("</svg>")]
    assert svg.count("<circle") == 10 and "@Kemlu_RI" in svg  # the busiest, the official too
    # Without snapshots, the page says how they are made.
    assert 'data-testid="series-empty"' in page.text
    bad = client.get("/verify/network", params={"since": "kemarin"})
    assert bad.status_code == 200 and "kemarin" in bad.text
    assert client.get("/verify/network", params={"top": 5}).status_code == 400


def test_an_empty_window_is_explained(client: TestClient, signed_in: Callable[[Role], str]) -> None:
    signed_in(Role.APPROVER)
    page = client.get("/verify/network")
    assert page.status_code == 200
    assert 'data-testid="network-empty"' in page.text and "<svg" not in page.text


def test_narratives_are_listed_and_have_their_own_view(
    client: TestClient,
    engine: Engine,
    network: dict[str, int],
    signed_in: Callable[[Role], str],
) -> None:
    narrative = Rows(engine).narrative("Evacuation fee hoax", [network["b0"], network["b1"]])
    signed_in(Role.ANALYST)
    page = client.get("/verify/network").text
    assert page.count('data-testid="narrative-row"') == 1 and "Evacuation fee hoax" in page
    assert f"narrative={narrative}" in page
    own = client.get("/verify/network", params={"narrative": narrative})
    assert own.status_code == 200 and "Evacuation fee hoax" in own.text
    svg = own.text[own.text.index('data-testid="network-svg"') : own.text.index("</svg>")]
    assert svg.count("<circle") == 6
    assert client.get("/verify/network", params={"narrative": narrative + 50}).status_code == 404


def test_the_api_returns_the_report_series_and_layout(
    client: TestClient,
    engine: Engine,
    settings: Settings,
    network: dict[str, int],
    signed_in: Callable[[Role], str],
) -> None:
    compute_polarization(engine, settings)
    signed_in(Role.ANALYST)
    response = client.get("/api/v1/network/polarization")
    assert response.status_code == 200
    body = response.json()
    report = body["report"]
    assert (report["accounts"], report["ties"], report["interactions"]) == (12, 31, 61)
    assert report["community_count"] == 2 and report["ei_index"] == pytest.approx(-29 / 31)
    assert report["reach"]["found"] == 1 and report["reach"]["share"] == pytest.approx(1 / 6)
    assert {c["hashtags"][0] for c in report["communities"]} == {"#kitabersatu", "#hoax"}
    assert len(body["series"]) == 1 and body["narratives"] == []
    assert "network" not in body
    laid_out = client.get("/api/v1/network/polarization", params={"top": 5}).json()["network"]
    assert laid_out["shown"] == 5 and laid_out["total"] == 12
    assert [node["handle"] for node in laid_out["nodes"] if node["official"]] == ["@Kemlu_RI"]
    assert all(0 <= node["x"] <= laid_out["width"] for node in laid_out["nodes"])
    replies = client.get("/api/v1/network/polarization", params={"interactions": "reply"}).json()
    assert replies["report"]["interactions"] == 1
    bad = client.get("/api/v1/network/polarization", params={"platform": "myspace"})
    assert bad.status_code == 400 and "choose one of" in bad.json()["detail"]
    unknown = client.get("/api/v1/network/polarization", params={"interactions": "likes"})
    assert unknown.status_code == 400 and "choose from" in unknown.json()["detail"]
    missing = client.get("/api/v1/network/polarization", params={"narrative": 99})
    assert missing.status_code == 404


def test_viewers_may_not_enter(client: TestClient, signed_in: Callable[[Role], str]) -> None:
    signed_in(Role.VIEWER)
    assert client.get("/verify/network").status_code == 403
    assert client.get("/api/v1/network/polarization").status_code == 403
