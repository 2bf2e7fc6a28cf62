"""`ediplomacy claims` as a user runs it, on the data folder's SQLite."""

from __future__ import annotations

import csv
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from ediplomacy.cli.main import build
from ediplomacy.integrity import claim_queue
from ediplomacy.security import audit
from ediplomacy.store.migrate import open_database
from tests.integrity.claim_data import NOW, Item, Posts, add_fact, add_match, embed_posts
from tests.models import e5_onnx_spec

HOUR = timedelta(hours=1)


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EDIPLOMACY_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("EDIPLOMACY_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.setenv("EDIPLOMACY_ACCURATE_EMBEDDER", e5_onnx_spec())  # the default, built once
    return tmp_path


@pytest.fixture
def engine(data: Path) -> Engine:
    engine = open_database(f"sqlite:///{data / 'ediplomacy.db'}")
    yield engine  # type: ignore[misc]
    engine.dispose()


def run(*args: str) -> str:
    result = CliRunner().invoke(build(), list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_list_review_and_export(engine: Engine, data: Path) -> None:
    ferry = add_fact(engine, "The Sagara Jaya ferry was sold to a foreign navy")
    quake = add_fact(engine, "A magnitude 9 earthquake will hit Jakarta tomorrow")
    a, b = Posts(engine).add([Item("Kapal Sagara Jaya dijual!", "id"), Item("Gempa 9 SR besok")])
    first = add_match(engine, a, ferry, 0.93)
    second = add_match(engine, b, quake, 0.71)
    listed = run("claims", "list")
    assert "93%" in listed and "71%" in listed and "Kapal Sagara Jaya dijual!" in listed
    assert listed.index("93%") < listed.index("71%")  # the most probable first
    assert "2 of 2 shown; 2 pending, 0 confirmed, 0 rejected" in listed
    reviewed = run("claims", "review", str(first), "confirm", "--note", "same hoax")
    assert f"match {first} (post {a}, fact-check {ferry}) is confirmed by cli:" in reviewed
    run("claims", "review", str(second), "reject")
    match = claim_queue.get(engine, first)
    assert match.status == "confirmed" and match.note == "same hoax"
    entries, total = audit.recent_entries(engine, action_prefix="claim_match.")
    assert total == 2 and all(entry.actor.startswith("cli:") for entry in entries)
    confirmed = json.loads(run("claims", "list", "--status", "confirmed", "--json"))
    assert [item["id"] for item in confirmed["items"]] == [first] and confirmed["total"] == 1
    assert confirmed["counts"] == {"pending": 0, "confirmed": 1, "rejected": 1}
    of_quake = json.loads(run("claims", "list", "--fact-check", str(quake), "--json"))
    assert [item["id"] for item in of_quake["items"]] == [second]
    run("claims", "review", str(second), "reopen")
    assert claim_queue.get(engine, second).status == "pending"
    out = data / "reviews.tsv"
    assert "wrote 1 reviewed match(es)" in run("claims", "reviews", "--out", str(out))
    with out.open(encoding="utf-8") as handle:
        [row] = list(csv.DictReader(handle, delimiter="\t"))
    assert (row["post_id"], row["fact_check_id"], row["relevant"]) == (str(a), str(ferry), "1")


def test_bad_input_is_a_clear_error(engine: Engine) -> None:
    missing = CliRunner().invoke(build(), ["claims", "review", "4242", "confirm"])
    assert missing.exit_code == 1
    assert "claim match 4242 does not exist" in missing.output
    assert "Traceback" not in missing.output
    wrong = CliRunner().invoke(build(), ["claims", "review", "1", "maybe"])
    assert wrong.exit_code == 2 and "confirm" in wrong.output
    assert "no matches yet: run `ediplomacy claims match`" in run("claims", "list")


def test_spikes_raise_a_new_alert_once(engine: Engine) -> None:
    hoax = add_fact(engine, "Vaccines at the Jakarta clinics contain microchips")
    writer = Posts(engine)
    writer.add([Item(f"ordinary post {n}", "en", NOW - (n * 6 + 1) * HOUR) for n in range(20)])
    burst = [NOW - 2 * HOUR + n * timedelta(minutes=5) for n in range(10)]
    for post_id in writer.add(
        [Item(f"vaksin mikrocip {n}", "id", at) for n, at in enumerate(burst)]
    ):
        add_match(engine, post_id, hoax)
    until = NOW.isoformat().replace("+00:00", "Z")
    first = run("claims", "spikes", "--until", until)
    assert "1 fact-check(s) with matches checked over 24 hour(s): 1 new alert(s)" in first
    assert "/listen/alerts/1" in first
    assert "0 new alert(s)" in run("claims", "spikes", "--until", until)
    assert "claim_spike" in run("alerts", "list")


def test_match_says_what_to_run_first(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDIPLOMACY_ACCURATE_EMBEDDER", "use-multilingual")  # quick to load
    empty = run("claims", "match")
    assert "the claim ranker was trained on multilingual-e5-small-int8" in empty
    assert "not calibrated" in empty
    assert "the fact-check base is empty" in empty and "ediplomacy factcheck import" in empty
    assert "no post has an accurate vector yet" in empty
    assert "ediplomacy analyze --stage embed_accurate" in empty
    add_fact(engine, "The Sagara Jaya ferry was sold to a foreign navy")
    Posts(engine).add([Item("They sold the Sagara Jaya ferry to a foreign navy")])
    waiting = run("claims", "match")
    assert "against 1 claim(s) (1 newly embedded)" in waiting
    assert "no post has an accurate vector yet" in waiting


def test_match_finds_the_paraphrase(engine: Engine) -> None:
    add_fact(engine, "The Sagara Jaya ferry was sold to a foreign navy")
    add_fact(engine, "A magnitude 9 earthquake will hit Jakarta tomorrow")
    ferry_post, _ = Posts(engine).add(
        [Item("They sold the Sagara Jaya ferry to a foreign navy!"),
         Item("Lovely sunset at the beach today")]
    )  # fmt: skip
    embed_posts(engine)  # with the default accurate embedder, as `ediplomacy analyze` does
    done = run("claims", "match")
    assert "not calibrated" not in done
    assert "matched 2 post(s) against 2 claim(s) (2 newly embedded): 1 post(s) with a match" in done
    assert "threshold 0." in done
    [match], _ = claim_queue.queue(engine)
    assert match.post_id == ferry_post and match.status == "pending"
    again = run("claims", "match")
    assert "matched 0 post(s) against 2 claim(s) (0 newly embedded)" in again
