"""Ground truth: the bot-like accounts the demo scenario plants rank at the top of the scores.

Builds the demo database as `ediplomacy demo` does (generate, import), scores every account and
compares with ground_truth.json's accounts.bot_like. Prints precision@k, recall@k and ROC-AUC,
overall and for each family of signals alone (docs/bots.md reports them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from ediplomacy.config import Settings
from ediplomacy.demo import generate
from ediplomacy.ingest.importer import Importer
from ediplomacy.integrity import bots
from ediplomacy.integrity.bot_score import BIAS
from ediplomacy.store.migrate import open_database

FAMILIES = {
    "timing": {"regular_period", "even_gaps", "few_gap_lengths", "same_second",
               "around_the_clock", "fast_here"},
    "content": {"copies", "reposts"},
    "profile": {"fast_lifetime", "young_account", "few_followers", "no_description",
                "default_name", "digit_handle", "default_avatar", "bot_flag", "calls_itself_bot",
                "verified", "old_account", "many_followers"},
}  # fmt: skip


@dataclass
class Demo:
    engine: Engine
    truth: dict[str, object]
    planted: set[tuple[str, str]]


def build(folder: Path, posts: int) -> Demo:
    manifest = generate(folder / "scenario", posts=posts)
    truth = json.loads((folder / "scenario" / "ground_truth.json").read_text(encoding="utf-8"))
    settings = Settings(data_dir=folder)
    engine = open_database(settings.resolved_database_url())
    files = [item.path for item in manifest.files if item.format != "ground-truth"]
    Importer(engine, data_dir=folder).run(files, collection="demo")
    summary = bots.score_accounts(engine, settings)
    assert summary.scored == truth["scenario"]["actors"]  # type: ignore[index]
    planted = {(a["platform"], a["external_id"]) for a in truth["accounts"]["bot_like"]}  # type: ignore[index]
    return Demo(engine, truth, planted)


def family_auc(engine: Engine, planted: set[tuple[str, str]], codes: set[str]) -> float | None:
    """ROC-AUC of the score rebuilt from one family's reasons only."""
    positives, negatives = [], []
    for item in bots.list_scores(engine, limit=1_000_000)[0]:
        logit = BIAS + sum(r["contribution"] for r in item.reasons if r["code"] in codes)
        (positives if (item.platform, item.external_id) in planted else negatives).append(logit)
    return bots.roc_auc(positives, negatives)


def report(demo: Demo, label: str) -> bots.Evaluation:
    result = bots.evaluate(demo.engine, demo.planted)
    print(
        f"\n{label}: {result.positives} planted bot-like accounts among {result.scored}; "
        f"precision@{result.k} {result.precision_at_k:.3f}, recall@{result.k} "
        f"{result.recall_at_k:.3f}, ROC-AUC {result.roc_auc:.3f}; score >= 0.5: precision "
        f"{result.precision_at_threshold:.3f}, recall {result.recall_at_threshold:.3f}"
    )
    for family, codes in FAMILIES.items():
        print(
            f"  {family} signals alone: ROC-AUC {family_auc(demo.engine, demo.planted, codes):.3f}"
        )
    return result


def test_planted_bots_rank_at_the_top_of_the_small_demo(tmp_path: Path) -> None:
    demo = build(tmp_path, 2_500)
    result = report(demo, "small demo (2,500 posts)")
    assert result.positives == result.positives_scored >= 10
    assert result.precision_at_k >= 0.9 and result.recall_at_k >= 0.9
    assert result.roc_auc is not None and result.roc_auc >= 0.97
    # Behaviour alone finds them, not only the handles and profiles they were given.
    behaviour = FAMILIES["timing"] | FAMILIES["content"]
    assert (family_auc(demo.engine, demo.planted, behaviour) or 0) >= 0.95
    timed = [
        item
        for item in bots.list_scores(demo.engine, limit=100_000)[0]
        if (item.platform, item.external_id) in demo.planted
    ]
    with_period = [i for i in timed if any(r["code"] == "regular_period" for r in i.reasons)]
    assert len(with_period) >= 0.9 * len(timed)
    demo.engine.dispose()


@pytest.mark.slow
def test_planted_bots_rank_at_the_top_of_the_full_demo(tmp_path: Path) -> None:
    demo = build(tmp_path, 20_000)
    result = report(demo, "full demo (20,000 posts)")
    assert result.positives == result.positives_scored == 100
    assert result.precision_at_k >= 0.95 and result.recall_at_k >= 0.95
    assert result.roc_auc is not None and result.roc_auc >= 0.99
    coordinated = {(a["platform"], a["external_id"]) for a in demo.truth["accounts"]["coordinated"]}  # type: ignore[index]
    top = bots.list_scores(demo.engine, limit=result.k)[0]
    # The coordinated network is people paid to post, not schedulers: coordination finds them.
    assert not coordinated & {(item.platform, item.external_id) for item in top}
    demo.engine.dispose()
