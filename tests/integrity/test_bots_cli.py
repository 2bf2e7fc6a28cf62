"""`ediplomacy bots` as a user runs it: score, list, show, label, labels, eval, and bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ediplomacy.cli.main import build
from ediplomacy.store.migrate import open_database
from tests.integrity.test_bots import people, person, scheduler, store

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    engine = open_database(url)
    store(engine, scheduler("bot") + person("sari") + person("budi", 3), people())
    engine.dispose()
    return {"EDIPLOMACY_DATABASE_URL": url, "EDIPLOMACY_DATA_DIR": str(tmp_path)}


def run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(build(), list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_score_list_show_label_export(env: dict[str, str], tmp_path: Path) -> None:
    code, _, err = run(env, "bots", "score")
    assert code == 0, err
    assert "scored 3 accounts" in err and "1 at or above 0.7" in err and "not a verdict" in err

    code, out, _ = run(env, "bots", "list", "--json")
    body = json.loads(out)
    assert body["total"] == 3 and "not a verdict" in body["notice"]
    top = body["items"][0]
    assert top["external_id"] == "bot" and top["score"] > 0.9
    assert top["reasons"][0]["text"]["en"].startswith("posts on a fixed clock")
    assert top["reasons"][0]["text"]["id"].startswith("mengunggah dengan jadwal tetap")

    code, out, _ = run(env, "bots", "list", "--min-score", "0.5")
    assert code == 0 and "x:bot" in out and "x:sari" not in out and "1 of 1 shown" in out

    code, _, err = run(env, "bots", "label", "x:bot", "automated", "--note", "posts every 10 min")
    assert code == 0 and "labelled x:bot automated" in err
    code, out, _ = run(env, "bots", "list", "--labelled", "no", "--json")
    assert [item["external_id"] for item in json.loads(out)["items"]] == ["sari", "budi"]
    code, out, _ = run(env, "bots", "list", "--labelled", "yes", "--json")
    [labelled] = json.loads(out)["items"]
    assert labelled["label"]["label"] == "automated"
    assert labelled["label"]["labeled_by"].startswith("cli")

    code, out, _ = run(env, "bots", "show", "x:bot", "--lang", "id")
    assert code == 0
    assert "mengunggah dengan jadwal tetap" in out and "label automated" in out

    target = tmp_path / "out" / "labels.csv"
    code, _, err = run(env, "bots", "labels", "--out", str(target))
    assert code == 0 and f"wrote 1 labels to {target}" in err
    with target.open(encoding="utf-8", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert (row["platform"], row["external_id"], row["label"]) == ("x", "bot", "automated")


def test_eval_against_a_demo_truth_and_against_labels(env: dict[str, str], tmp_path: Path) -> None:
    run(env, "bots", "score")
    truth = tmp_path / "ground_truth.json"
    planted = [{"platform": "x", "external_id": "bot", "handle": "Galih98959508"}]
    truth.write_text(json.dumps({"accounts": {"bot_like": planted}}), encoding="utf-8")
    code, out, _ = run(env, "bots", "eval", "--truth", str(truth), "--json")
    figures = json.loads(out)
    assert code == 0
    assert (figures["k"], figures["precision_at_k"], figures["roc_auc"]) == (1, 1.0, 1.0)
    code, _, err = run(env, "bots", "eval")
    assert code == 1 and "label some with `ediplomacy bots label`" in err
    run(env, "bots", "label", "x:bot", "automated")
    run(env, "bots", "label", "x:sari", "human")
    code, out, _ = run(env, "bots", "eval")
    assert code == 0 and "precision@1 1.000" in out and "ROC-AUC 1.000" in out


def test_bad_input_is_a_one_line_error(env: dict[str, str], tmp_path: Path) -> None:
    code, _, err = run(env, "bots", "label", "1234", "human")
    assert code == 1 and "write PLATFORM:ID" in err
    code, _, err = run(env, "bots", "label", "x:bot", "robot")
    assert code == 1 and "choose automated, human, unsure" in err
    code, _, err = run(env, "bots", "label", "x:nobody", "human")
    assert code == 1 and "No account x:nobody" in err
    code, _, err = run(env, "bots", "score", "--since", "yesterday")
    assert code == 1 and "--since 'yesterday' is not a date" in err
    code, _, err = run(env, "bots", "eval", "--truth", str(tmp_path / "missing.json"))
    assert code == 1 and "cannot read it" in err
    code, _, err = run(env, "bots", "list", "--labelled", "maybe")
    assert code == 2 and "choose any, yes, no" in err
