"""The data commands as a user runs them: ingest, analyze, stats, export, and a kill -9."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pyarrow.parquet as pq
import pytest

BRexit = "formats/x-v2/twarc-csv/brexit.jsonl"


def cli(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EDIPLOMACY_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    env.pop("EDIPLOMACY_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "ediplomacy", *args], env=env, capture_output=True, text=True
    )
    if check and done.returncode != 0:
        pytest.fail(f"ediplomacy {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def test_ingest_analyze_stats_export(tmp_path: Path, shared_data: Path) -> None:
    data = tmp_path / "data"
    done = cli(data, "ingest", str(shared_data / BRexit), "--collection", "brexit")
    assert "imported collection 1" in done.stderr
    assert "0 rejected" in done.stderr
    again = cli(data, "ingest", str(shared_data / BRexit))
    assert " 0 new, 0 updated" in again.stderr
    cli(data, "analyze")
    figures = json.loads(cli(data, "stats", "--json").stdout)
    assert figures["collections"] == 2
    assert figures["by_platform"] == {"x": figures["posts"]}
    assert sum(figures["by_language"].values()) == figures["posts"]
    assert {"en", "de", "es"} <= set(figures["by_language"])

    lines = cli(data, "export", "--format", "jsonl", "--language", "de").stdout.splitlines()
    exported = [orjson.loads(line) for line in lines]
    assert exported and all(post["detected_language"] == "de" for post in exported)

    out = tmp_path / "all.csv"
    cli(data, "export", "--format", "csv", "--out", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == figures["posts"]
    parquet = tmp_path / "all.parquet"
    cli(data, "export", "--format", "parquet", "--out", str(parquet), "--platform", "x")
    table = pq.read_table(parquet)
    assert table.num_rows == figures["posts"]
    assert "hashtags" in table.column_names


def test_exported_csv_imports_again(tmp_path: Path, shared_data: Path) -> None:
    cli(tmp_path / "a", "ingest", str(shared_data / BRexit))
    out = tmp_path / "posts.csv"
    cli(tmp_path / "a", "export", "--format", "csv", "--out", str(out))
    done = cli(tmp_path / "b", "ingest", "--format", "csv", str(out))
    first = json.loads(cli(tmp_path / "a", "stats", "--json").stdout)
    second = json.loads(cli(tmp_path / "b", "stats", "--json").stdout)
    assert second["posts"] == first["posts"], done.stderr


def test_unreadable_file_is_one_line_and_non_zero(tmp_path: Path) -> None:
    done = cli(tmp_path, "ingest", str(tmp_path / "nope.jsonl"), check=False)
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0
    assert "no such file" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_date_is_a_clear_error(tmp_path: Path) -> None:
    done = cli(tmp_path, "export", "--since", "yesterday", check=False)
    assert done.returncode == 1
    assert "YYYY-MM-DD" in done.stderr


def post_count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return int(conn.execute("SELECT count(*) FROM posts").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_kill_9_mid_import_then_rerun_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    source = tmp_path / "big.jsonl"
    total = 60_000
    from ediplomacy.demo.bulk import write_x_v2_bulk

    write_x_v2_bulk(source, total, seed=3)
    data = tmp_path / "data"
    env = {**os.environ, "EDIPLOMACY_DATA_DIR": str(data), "EDIPLOMACY_BATCH_SIZE": "500"}
    env.pop("EDIPLOMACY_DATABASE_URL", None)
    child = subprocess.Popen(
        [sys.executable, "-m", "ediplomacy", "ingest", str(source)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    db = data / "ediplomacy.db"
    deadline = time.monotonic() + 120
    while post_count(db) < 2_000:
        assert child.poll() is None, "the import finished before it could be killed"
        assert time.monotonic() < deadline, "the import never got going"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    stored = post_count(db)
    assert 0 < stored < total
    done = cli(data, "ingest", str(source))
    figures = json.loads(cli(data, "stats", "--json").stdout)
    assert figures["posts"] == total
    with sqlite3.connect(db) as conn:
        keys = conn.execute("SELECT count(DISTINCT platform || external_id) FROM posts").fetchone()
        statuses = [row[0] for row in conn.execute("SELECT status FROM collections ORDER BY id")]
    assert keys[0] == total
    assert statuses == ["interrupted", "done"]
    assert f"{total - stored} new" in done.stderr


def test_export_to_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    done = cli(tmp_path, "export", "--out", str(tmp_path / "nope" / "x.jsonl"), check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "check the path" in done.stderr
