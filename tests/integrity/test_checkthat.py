"""CheckThat! files and metrics: the official scorer's definitions, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from ediplomacy.integrity.checkthat import (
    TaskFileError,
    average_precision,
    bundled_task,
    read_qrels,
    read_queries,
    read_verified_claims,
    recall_at,
    score_rankings,
    task_from_files,
)


def test_average_precision_divides_by_the_relevant_claims() -> None:
    assert average_precision(["a", "b"], {"a"}, 5) == 1.0
    assert average_precision(["x", "a"], {"a"}, 5) == 0.5
    assert average_precision(["x", "a"], {"a"}, 1) == 0.0
    # Two relevant, found at ranks 1 and 3: (1/1 + 2/3) / 2.
    assert average_precision(["a", "x", "b"], {"a", "b"}, 5) == pytest.approx((1 + 2 / 3) / 2)
    assert recall_at(["x", "y", "a"], {"a", "b"}, 5) == 0.5


def test_scores_count_unranked_queries_as_zero() -> None:
    scores = score_rankings({"q1": ["a"]}, {"q1": {"a"}, "q2": {"b"}})
    assert scores.queries == 2
    assert scores.map_1 == 0.5 and scores.map_5 == 0.5 and scores.recall_5 == 0.5


def test_reads_both_years_formats(tmp_path: Path) -> None:
    queries = tmp_path / "q.tsv"
    queries.write_text("\ttweet_content\n7\tThe moon is made of cheese\n", encoding="utf-8")
    qrels = tmp_path / "q.qrels"
    qrels.write_text("7\t0\t3\t1\n", encoding="utf-8")
    docs = tmp_path / "verified_claims.docs.tsv"
    docs.write_text("\tvclaim\ttitle\n3\tThe moon is cheese.\tMoon Cheese?\n", encoding="utf-8")
    task = task_from_files("mine", queries, qrels, docs)
    assert task.queries == {"7": "The moon is made of cheese"}
    assert task.claims["3"].title == "Moon Cheese?"
    jsonl = tmp_path / "vclaims.jsonl"
    jsonl.write_text('{"vclaim_id": "v1", "vclaim": "A claim", "title": "T"}\n\n', encoding="utf-8")
    assert read_verified_claims(jsonl)["v1"].text == "A claim"


def test_bad_lines_name_the_file_and_line(tmp_path: Path) -> None:
    qrels = tmp_path / "bad.qrels"
    qrels.write_text("1\t0\tv1\t1\n2\t0\tv2\n", encoding="utf-8")
    with pytest.raises(TaskFileError, match=r"bad.qrels:2: expected"):
        read_qrels(qrels)
    jsonl = tmp_path / "v.jsonl"
    jsonl.write_text('{"vclaim_id": "v1", "vclaim": "x"}\n{oops\n', encoding="utf-8")
    with pytest.raises(TaskFileError, match=r"v.jsonl:2: not JSON"):
        read_verified_claims(jsonl)
    with pytest.raises(TaskFileError, match="no such file"):
        read_queries(tmp_path / "missing.tsv")


def test_qrels_must_point_at_known_claims(tmp_path: Path) -> None:
    (tmp_path / "q.tsv").write_text("1\ttext\n", encoding="utf-8")
    (tmp_path / "r.qrels").write_text("1\t0\tnope\t1\n", encoding="utf-8")
    (tmp_path / "v.jsonl").write_text('{"vclaim_id": "v1", "vclaim": "x"}\n', encoding="utf-8")
    with pytest.raises(TaskFileError, match="not in"):
        task_from_files("t", tmp_path / "q.tsv", tmp_path / "r.qrels", tmp_path / "v.jsonl")


def test_bundled_sets_load(shared_data: Path) -> None:
    dev_test = bundled_task(shared_data / "claims", "checkthat2022-dev-test")
    assert len(dev_test.queries) >= 200 and len(dev_test.claims) > 14000
    assert set(dev_test.queries) <= set(dev_test.qrels)
    dev2020 = bundled_task(shared_data / "claims", "checkthat2020-dev")
    assert len(dev2020.queries) > 190 and len(dev2020.claims) > 10000
