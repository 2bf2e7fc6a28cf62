"""Ground truth: what the integrity detectors found in the demo week, against what was planted.

    .venv/bin/ediplomacy demo --no-serve        # builds data/ with every detector run
    .venv/bin/python bench/ground_truth.py [--data-dir data]

Reads the database and `demo/ground_truth.json` as the demo left them (nothing is re-run) and
prints precision and recall of:
- claim matching: posts matched to the two false claims' fact-checks; a match is right when the
  post asserts, asks about or refutes the claim, or reposts a post that does; recall over the
  posts that assert it;
- coordination: accounts in coordinated clusters of the latest detection run, against the
  planted coordinated accounts;
- bot-likeness: the top-k accounts by score (k = number of planted bots) against the planted
  bot-like accounts.
Writes bench/out/ground_truth.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa

from ediplomacy.store.engine import make_engine


def ratio(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def claims(connection: sa.Connection, truth: dict[str, Any]) -> dict[str, Any]:
    posts = truth["posts"]
    planted = {(p["platform"], p["external_id"]) for p in posts["false_claim"]}
    about = planted | {(p["platform"], p["external_id"]) for p in posts["claim_responses"]}
    rows = connection.execute(
        sa.text(
            "SELECT DISTINCT p.platform, p.external_id, p.repost_of_external_id "
            "FROM claim_matches m JOIN posts p ON p.id = m.post_id "
            "JOIN fact_checks f ON f.id = m.fact_check_id "
            "WHERE m.status != 'rejected' AND f.kind = 'fact_check' AND f.verdict = 'false' "
            "AND f.source = 'demo' AND (f.external_id LIKE 'fee-%' OR f.external_id LIKE 'fled-%')"
        )
    ).all()
    matched = {(r.platform, r.external_id) for r in rows}
    right = {
        (r.platform, r.external_id)
        for r in rows
        if (r.platform, r.external_id) in about or (r.platform, r.repost_of_external_id) in about
    }
    found = len(matched & planted)
    return {
        "planted": len(planted),
        "matched": len(matched),
        "right": len(right),
        "precision": ratio(len(right), len(matched)),
        "recall": ratio(found, len(planted)),
    }


def coordination(connection: sa.Connection, truth: dict[str, Any]) -> dict[str, Any]:
    planted = {f"{a['platform']}:{a['external_id']}" for a in truth["accounts"]["coordinated"]}
    latest = connection.execute(sa.text("SELECT max(id) FROM coordination_runs")).scalar()
    members: set[str] = set()
    clusters = 0
    for (text,) in connection.execute(
        sa.text("SELECT members FROM coordination_clusters WHERE run_id = :run"), {"run": latest}
    ):
        clusters += 1
        members.update(member["key"] for member in orjson.loads(text))
    found = len(members & planted)
    return {
        "planted": len(planted),
        "clusters": clusters,
        "flagged": len(members),
        "precision": ratio(found, len(members)),
        "recall": ratio(found, len(planted)),
    }


def bots(connection: sa.Connection, truth: dict[str, Any]) -> dict[str, Any]:
    planted = {(a["platform"], a["external_id"]) for a in truth["accounts"]["bot_like"]}
    ranked = connection.execute(
        sa.text("SELECT platform, external_id FROM account_scores ORDER BY score DESC LIMIT :k"),
        {"k": len(planted)},
    ).all()
    found = len({(r.platform, r.external_id) for r in ranked} & planted)
    return {
        "planted": len(planted),
        "precision_at_k": ratio(found, len(ranked)),
        "recall_at_k": ratio(found, len(planted)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    args = parser.parse_args()
    truth = json.loads((args.data_dir / "demo" / "ground_truth.json").read_text())
    engine = make_engine(f"sqlite:///{args.data_dir / 'ediplomacy.db'}")
    with engine.connect() as connection:
        figures = {
            "claims": claims(connection, truth),
            "coordination": coordination(connection, truth),
            "bots": bots(connection, truth),
        }
    for name, values in figures.items():
        print(f"{name:>13}: " + ", ".join(f"{k} {v}" for k, v in values.items()))
    out = Path("bench/out")
    out.mkdir(parents=True, exist_ok=True)
    (out / "ground_truth.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
