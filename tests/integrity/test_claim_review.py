"""The analyst's side of claim matching: reviews (kept, audited), the feedback export, and the
alerts raised when matches to a false claim spike; on both databases."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from ediplomacy.domain.errors import NotFound
from ediplomacy.integrity import claim_queue
from ediplomacy.integrity.alerting import CLAIM_SPIKE
from ediplomacy.integrity.claim_review import check_claim_spikes, export_reviews, review_match
from ediplomacy.listen import watch
from ediplomacy.security import audit
from tests.integrity.claim_data import NOW, Item, Posts, add_fact, add_match, settings_for

pytestmark = pytest.mark.postgres  # `engine` is SQLite, then PostgreSQL (tests/conftest.py)
HOUR = timedelta(hours=1)


def test_review_is_kept_audited_and_can_be_reopened(engine: Engine) -> None:
    fact = add_fact(engine, "The Sagara Jaya ferry was sold to a foreign navy")
    [post] = Posts(engine).add([Item("Kapal Sagara Jaya dijual ke luar negeri", "id")])
    match_id = add_match(engine, post, fact, 0.91)
    confirmed = review_match(
        engine, match_id, status="confirmed", actor="sari", note="  same claim  ", ip="10.0.0.7"
    )
    assert (confirmed.status, confirmed.reviewed_by, confirmed.note) == (
        "confirmed", "sari", "same claim"
    )  # fmt: skip
    assert confirmed.reviewed_at is not None
    [entry], total = audit.recent_entries(engine, action_prefix="claim_match.")
    assert total == 1 and (entry.actor, entry.target, entry.ip) == (
        "sari",
        str(match_id),
        "10.0.0.7",
    )
    assert entry.detail == {"post_id": post, "fact_check_id": fact, "from": "pending",
                            "to": "confirmed"}  # fmt: skip
    reopened = review_match(engine, match_id, status="pending", actor="budi")
    assert (reopened.status, reopened.reviewed_by, reopened.reviewed_at) == ("pending", None, None)
    assert audit.recent_entries(engine, action_prefix="claim_match.")[1] == 2
    assert audit.verify_chain(engine).ok
    with pytest.raises(ValueError, match="one of pending, confirmed, rejected"):
        review_match(engine, match_id, status="maybe", actor="sari")
    with pytest.raises(NotFound):
        review_match(engine, 987654, status="rejected", actor="sari")
    assert claim_queue.get(engine, match_id).status == "pending"


def test_export_holds_only_reviewed_pairs(engine: Engine, tmp_path: Path) -> None:
    ferry = add_fact(engine, "The Sagara Jaya ferry was sold to a foreign navy")
    quake = add_fact(engine, "A magnitude 9 earthquake will hit Jakarta tomorrow")
    writer = Posts(engine)
    a, b, c = writer.add([
        Item("Kapal Sagara Jaya\ndijual!", "id"),
        Item("Gempa 9 SR besok di Jakarta", "id"),
        Item("Gempa kecil kemarin", "id"),
    ])  # fmt: skip
    yes = add_match(engine, a, ferry)
    no = add_match(engine, c, quake, 0.6)
    add_match(engine, b, quake)  # left pending: not feedback yet
    review_match(engine, yes, status="confirmed", actor="sari")
    review_match(engine, no, status="rejected", actor="budi", note="a different quake")
    out = tmp_path / "reviews.tsv"
    assert export_reviews(engine, out) == 2
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert [(r["post_id"], r["fact_check_id"], r["relevant"], r["reviewed_by"]) for r in rows] == [
        (str(a), str(ferry), "1", "sari"),
        (str(c), str(quake), "0", "budi"),
    ]
    assert rows[0]["post_text"] == "Kapal Sagara Jaya dijual!"  # one line per pair
    assert rows[1]["claim_text"] == "A magnitude 9 earthquake will hit Jakarta tomorrow"
    assert rows[0]["reviewed_at"].startswith(str(NOW.year))


def spread(engine: Engine, writer: Posts, fact: int, times: list, text: str) -> list[int]:
    ids = writer.add([Item(f"{text} #{n}", "id", at) for n, at in enumerate(times)])
    return [add_match(engine, post_id, fact) for post_id in ids]


def test_a_burst_of_matches_to_a_false_claim_alerts_once(engine: Engine, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    burst_hour = NOW - 3 * HOUR
    hoax = add_fact(engine, "Vaccines at the Jakarta clinics contain microchips")
    true = add_fact(engine, "The new Jakarta MRT line opens on Monday", verdict="true")
    refuted = add_fact(engine, "Rice prices tripled overnight", verdict="misleading")
    writer = Posts(engine)
    # The database has a week of ordinary posts, so an hour with no match is a known zero.
    writer.add([Item(f"ordinary post {n}", "en", NOW - (n * 7 + 1) * HOUR) for n in range(24)])
    spread(engine, writer, hoax, [NOW - 50 * HOUR, NOW - 30 * HOUR], "vaksin mikrocip")
    spread(engine, writer, hoax, [burst_hour + n * timedelta(minutes=4) for n in range(12)],
           "vaksin di klinik Jakarta berisi mikrocip")  # fmt: skip
    # The same burst to a true claim, or made of rejected matches, raises nothing.
    spread(engine, writer, true, [burst_hour + n * timedelta(minutes=4) for n in range(12)],
           "MRT baru buka Senin")  # fmt: skip
    burst = [burst_hour + n * timedelta(minutes=4) for n in range(12)]
    rejected = spread(engine, writer, refuted, burst, "harga beras")
    for match_id in rejected:
        review_match(engine, match_id, status="rejected", actor="sari")

    report = check_claim_spikes(engine, settings, until=NOW)
    assert len(report.new_alerts) == 1
    alert = watch.get_alert(engine, report.new_alerts[0])
    assert alert.kind == CLAIM_SPIKE and alert.rule_id is None
    assert (alert.window_start, alert.window_end) == (burst_hour, burst_hour + HOUR)
    assert alert.observed == 12 and alert.expected < 1
    assert alert.details["link"] == f"/verify/matches?fact_check={hoax}"
    assert alert.details["title"] == "Vaccines at the Jakarta clinics contain microchips"
    assert alert.details["verdict"] == "false" and alert.details["fact_check_id"] == hoax
    assert sum(alert.details["series"]["counts"]) == 12

    again = check_claim_spikes(engine, settings, until=NOW + HOUR)
    assert again.new_alerts == []
    assert watch.list_alerts(engine)[1] == 1


def test_the_first_burst_of_a_new_hoax_alerts(engine: Engine, tmp_path: Path) -> None:
    """A claim never seen before that arrives in a burst is the case that matters most."""
    hoax = add_fact(engine, "The president resigned this morning")
    writer = Posts(engine)
    writer.add([Item(f"ordinary post {n}", "en", NOW - (n * 5 + 2) * HOUR) for n in range(30)])
    burst_hour = NOW - 2 * HOUR
    spread(engine, writer, hoax, [burst_hour + n * timedelta(minutes=5) for n in range(8)],
           "presiden mundur pagi ini")  # fmt: skip
    report = check_claim_spikes(engine, settings_for(tmp_path), until=NOW)
    assert len(report.new_alerts) == 1
    assert watch.get_alert(engine, report.new_alerts[0]).window_start == burst_hour
