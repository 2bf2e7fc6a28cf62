"""`ediplomacy eval claims` on the user's own CheckThat!-format files, with and without a ranker
that carries a claim projection."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from ediplomacy.cli.main import build
from ediplomacy.integrity.claim_projection import ClaimProjection
from ediplomacy.integrity.claim_ranker import ClaimRanker
from tests.models import e5_onnx_spec

CLAIMS = {
    "vc-ferry": "The Sagara Jaya ferry was secretly sold to a foreign navy",
    "vc-fee": "The embassy charges citizens a fee for evacuation flights",
    "vc-quake": "A magnitude 9 earthquake will hit Jakarta tomorrow",
    "vc-lemon": "Drinking hot water with lemon cures COVID-19",
    "vc-mrt": "Jakarta MRT fares will double next month",
    "vc-visa": "No visa is needed to work in Almaraya",
}
QUERIES = {
    "q1": "BREAKING: they sold the Sagara Jaya ferry to a foreign navy and nobody told us!!",
    "q2": "So now the embassy wants money from us before the evacuation flight? Shameful",
    "q3": "Hot lemon water cures covid, my aunt swears by it",
    "q4": "Heard MRT tickets in Jakarta are going to cost twice as much from next month",
}
QRELS = {"q1": "vc-ferry", "q2": "vc-fee", "q3": "vc-lemon", "q4": "vc-mrt"}


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("EDIPLOMACY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EDIPLOMACY_ACCURATE_EMBEDDER", e5_onnx_spec())
    queries, qrels, vclaims = tmp_path / "q.tsv", tmp_path / "qrels.tsv", tmp_path / "vc.jsonl"
    queries.write_text("".join(f"{q}\t{text}\n" for q, text in QUERIES.items()))
    qrels.write_text("".join(f"{q}\t0\t{c}\t1\n" for q, c in QRELS.items()))
    vclaims.write_text(
        "".join(
            json.dumps({"vclaim_id": c, "vclaim": text, "title": ""}) + "\n"
            for c, text in CLAIMS.items()
        )
    )
    return ["--queries", str(queries), "--qrels", str(qrels), "--vclaims", str(vclaims)]


def evaluate(files: list[str], *extra: str) -> dict:
    result = CliRunner().invoke(build(), ["eval", "claims", *files, "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # progress bars go to stderr


def test_own_files_are_scored_with_the_baselines(files: list[str]) -> None:
    figures = evaluate(files)
    assert figures["queries"] == 4
    assert figures["map_5"] >= 0.75 and figures["recall_5"] == 1.0  # paraphrases are found
    assert set(figures["baselines"]) == {"dense", "bm25", "ranker"}
    assert figures["ranker"] == ClaimRanker.load().version
    table = CliRunner().invoke(build(), ["eval", "claims", *files])
    assert table.exit_code == 0 and "MAP@5" in table.output and "0.8179" in table.output


def test_a_ranker_with_a_projection_ranks_through_it(files: list[str], tmp_path: Path) -> None:
    bundled = ClaimRanker.load()
    plain = evaluate(files)

    def saved(matrix: np.ndarray, name: str) -> str:
        path = tmp_path / name
        ClaimRanker(
            bundled.full, bundled.dense, bundled.threshold, name, bundled.card,
            ClaimProjection(matrix.astype(np.float32)),
        ).save(path)  # fmt: skip
        return str(path)

    # A scaled identity maps every vector to itself: the same figures as without.
    same = evaluate(files, "--ranker", saved(np.eye(384) * 2.0, "identity.json"))
    assert same["baselines"]["dense"] == plain["baselines"]["dense"]
    assert same["ranker"] == "identity.json"
    # A map that keeps a single direction makes every claim alike: dense ranking falls apart.
    flat = np.zeros((384, 384))
    flat[:, 0] = 1.0
    collapsed = evaluate(files, "--ranker", saved(flat, "flat.json"))
    assert collapsed["baselines"]["dense"]["map_5"] < plain["baselines"]["dense"]["map_5"]
