"""`ediplomacy eval ...`: how well the bundled models do on labelled data."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ediplomacy.cli.context import console, reports_errors, settings
from ediplomacy.cli.progress import StepBar
from ediplomacy.integrity.checkthat import EVALUATED, bundled_task, task_from_files
from ediplomacy.integrity.claim_eval import evaluate, prepare
from ediplomacy.integrity.claim_matcher import same_language
from ediplomacy.integrity.claim_ranker import ClaimRanker
from ediplomacy.integrity.claim_search import ClaimSearch
from ediplomacy.nlp.embedders import space_embedder
from ediplomacy.nlp.evaluation import (
    EMOTION,
    SENTIMENT,
    LabelScheme,
    SetReport,
    evaluate_emotion,
    evaluate_sentiment,
)
from ediplomacy.nlp.finetuned import FineTunedHeads, shared_finetuned

app = typer.Typer(no_args_is_help=True, help="Validation figures of the classifier heads.")

DATA_HELP = (
    "The shared data folder (default: $EDIPLOMACY_SHARED_DATA, else ../shared/data from here)."
)


def default_data_dir() -> Path:
    return Path(os.environ.get("EDIPLOMACY_SHARED_DATA") or Path.cwd().parent / "shared" / "data")


FILE_HELP = (
    "A labelled TSV or CSV (columns text and label; labels {labels}) to score instead of the "
    "shared data; repeatable."
)
LANG_HELP = "Language of the --file texts (ISO code), so the frozen head uses its weights{extra}."
FINETUNED_HELP = (
    "Also score the fine-tuned encoder's {task} head (built into the data directory on first "
    "use, as `ediplomacy models build` does) and the ensemble of the two heads."
)
JSON_HELP = "Print the figures as JSON."
BASELINE_NAMES = {"vader": "VADER"}
Evaluation = Callable[[FineTunedHeads | None], tuple[list[SetReport], SetReport | None]]


@app.command()
@reports_errors
def sentiment(
    file: Annotated[
        list[Path] | None,
        typer.Option("--file", help=FILE_HELP.format(labels="positive/neutral/negative or 0/1/2")),
    ] = None,
    data: Annotated[Path | None, typer.Option("--data", help=DATA_HELP)] = None,
    head: Annotated[
        str, typer.Option(help="The head to score: 'sentiment' or the path of a .npz head.")
    ] = "sentiment",
    lang: Annotated[
        str | None, typer.Option(help=LANG_HELP.format(extra="; 'en' adds the VADER baseline"))
    ] = None,
    finetuned: Annotated[
        bool,
        typer.Option("--finetuned/--frozen-only", help=FINETUNED_HELP.format(task="sentiment")),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Macro-F1 of the sentiment head per data set and language, beside simple baselines."""

    def score(classifier: FineTunedHeads | None) -> tuple[list[SetReport], SetReport | None]:
        return evaluate_sentiment(
            head,
            files=file or [],
            data_dir=data or default_data_dir(),
            file_language=lang,
            finetuned=classifier,
        )

    report_figures(
        score, SENTIMENT, finetuned=finetuned, as_json=as_json, files=bool(file),
        average_key="umsab_average",
    )  # fmt: skip


@app.command()
@reports_errors
def emotion(
    file: Annotated[
        list[Path] | None,
        typer.Option("--file", help=FILE_HELP.format(labels="/".join(EMOTION.labels))),
    ] = None,
    data: Annotated[Path | None, typer.Option("--data", help=DATA_HELP)] = None,
    head: Annotated[
        str, typer.Option(help="The head to score: 'emotion' or the path of a .npz head.")
    ] = "emotion",
    lang: Annotated[str | None, typer.Option(help=LANG_HELP.format(extra=""))] = None,
    finetuned: Annotated[
        bool,
        typer.Option("--finetuned/--frozen-only", help=FINETUNED_HELP.format(task="emotion")),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Macro-F1 and F1 by class of the emotion head on EmoT, beside the majority class."""

    def score(classifier: FineTunedHeads | None) -> tuple[list[SetReport], SetReport | None]:
        reports = evaluate_emotion(
            head,
            files=file or [],
            data_dir=data or default_data_dir(),
            file_language=lang,
            finetuned=classifier,
        )
        return reports, None

    report_figures(
        score, EMOTION, finetuned=finetuned, as_json=as_json, files=bool(file), by_class=True
    )


def report_figures(
    score: Evaluation,
    scheme: LabelScheme,
    *,
    finetuned: bool,
    as_json: bool,
    files: bool,
    average_key: str = "average",
    by_class: bool = False,
) -> None:
    """Runs an evaluation (with the fine-tuned classifier when asked) and prints its figures."""
    classifier = None
    if finetuned:
        config = settings()
        with console.status("loading the fine-tuned encoder (first use builds it)..."):
            classifier = shared_finetuned(config.data_dir, threads=config.model_threads)
    with console.status("embedding and scoring..."):
        reports, average = score(classifier)
    for report in reports:
        for problem in report.problems:
            console.print(f"[yellow]skipped[/] {problem}", highlight=False, soft_wrap=True)
    key = "files" if files else "datasets"
    if as_json:
        payload: dict[str, object] = {key: [report.as_json() for report in reports]}
        if average is not None:
            payload[average_key] = average.as_json()
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    print_table(reports, average, key, scheme)
    if by_class:
        print_class_table(reports, scheme)


def print_table(
    reports: list[SetReport], average: SetReport | None, key: str, scheme: LabelScheme
) -> None:
    tuned = any(report.finetuned for report in reports)
    caption = (
        f"Macro-F1 (rec.: macro-recall) over {', '.join(scheme.labels)}. frozen: the frozen "
        "head (EDIPLOMACY_CLASSIFIER=frozen); "
    )
    if tuned:
        caption += (
            "tuned: the fine-tuned encoder and head (finetuned); ensemble: the mean of their "
            "probabilities (ensemble, the default); "
        )
    table = Table(
        title=f"{scheme.task.capitalize()} head, validation ({key})",
        show_edge=False,  # nine columns in 80 characters
        collapse_padding=True,
        caption=caption + "then baselines.",
    )
    baselines = list(dict.fromkeys(name for report in reports for name in report.baselines))
    columns = ["data", "lang", "n", "frozen", "rec."]
    columns += ["tuned", "ensemble"] if tuned else []
    columns += [BASELINE_NAMES.get(name, name) for name in baselines]
    for column in columns:
        table.add_column(
            column, justify="left" if column in ("data", "lang") else "right", no_wrap=True
        )
    rows = [*reports, *([average] if average else [])]
    for report in rows:
        cells = [report.name, report.language or "", str(report.n)]
        cells += [f"{report.frozen.macro_f1:.3f}", f"{report.frozen.macro_recall:.3f}"]
        if tuned:
            cells += [_f1(report.finetuned.macro_f1 if report.finetuned else None)]
            cells += [_f1(report.ensemble.macro_f1 if report.ensemble else None)]
        cells += [_f1(_baseline_f1(report, name)) for name in baselines]
        table.add_row(*cells, end_section=report is reports[-1] and average is not None)
    Console().print(table)


def print_class_table(reports: list[SetReport], scheme: LabelScheme) -> None:
    table = Table(title=f"{scheme.task.capitalize()}: F1 by class")
    for column in ("data", "model", *scheme.labels):
        table.add_column(
            column, justify="left" if column in ("data", "model") else "right", no_wrap=True
        )
    for report in reports:
        models = [("frozen", report.frozen)]
        models += [("fine-tuned", report.finetuned)] if report.finetuned else []
        models += [("ensemble", report.ensemble)] if report.ensemble else []
        for model, figures in models:
            table.add_row(
                report.name,
                model,
                *[_f1(figures.f1_by_class.get(label)) for label in scheme.labels],
                end_section=model == models[-1][0],
            )
    Console().print(table)


def _baseline_f1(report: SetReport, name: str) -> float | None:
    figures = report.baselines.get(name)
    return figures.macro_f1 if figures else None


def _f1(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


@app.command()
@reports_errors
def claims(
    queries: Annotated[
        Path | None, typer.Option(help="Queries TSV (query_id<TAB>text), CheckThat! format.")
    ] = None,
    qrels: Annotated[
        Path | None, typer.Option(help="Qrels TSV (query_id<TAB>0<TAB>vclaim_id<TAB>relevance).")
    ] = None,
    vclaims: Annotated[
        Path | None,
        typer.Option(help="Verified claims: vclaims.jsonl, verified_claims.docs.tsv or a folder."),
    ] = None,
    data: Annotated[Path | None, typer.Option("--data", help=DATA_HELP)] = None,
    ranker: Annotated[
        Path | None, typer.Option(help="A claim ranker JSON instead of the bundled one.")
    ] = None,
    query_language: Annotated[
        str,
        typer.Option(
            help="Language of the --queries (ISO code). The verified claims are taken to be in "
            "English; other languages are ranked across languages (no word features)."
        ),
    ] = "en",
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """MAP@1, MAP@5 and Recall@5 of claim matching on CheckThat! sets (or your own files)."""
    given = [queries, qrels, vclaims]
    if any(given) and not all(given):
        raise typer.BadParameter("give --queries, --qrels and --vclaims together, or none of them")
    config = settings()
    if all(given):
        assert queries and qrels and vclaims
        tasks = [task_from_files(queries.name, queries, qrels, vclaims)]
    else:
        claims_dir = (data or default_data_dir()) / "claims"
        tasks = [bundled_task(claims_dir, name) for name in EVALUATED]
    claim_ranker = ClaimRanker.load(ranker)
    embedder = space_embedder(config, "accurate")
    cache = config.data_dir / "cache" / "vectors"
    searches: dict[tuple[str, ...], tuple[list[str], ClaimSearch]] = {}
    reports = []
    with StepBar(console) as bar:
        for task in tasks:
            prepared = prepare(
                task,
                embedder,
                cache,
                bar,
                searches=searches,
                projection=claim_ranker.projection_for(embedder.name, embedder.dim),
            )
            reports.append(
                evaluate(prepared, claim_ranker, lexical=same_language(query_language, "en"))
            )
    if as_json:
        if all(given):
            payload: dict[str, object] = dict(reports[0].scores["ranker"].as_dict())
            payload["baselines"] = {m: s.as_dict() for m, s in reports[0].scores.items()}
        else:
            payload = {"sets": [report.as_json() for report in reports]}
        payload["ranker"] = claim_ranker.version
        typer.echo(json.dumps(payload, indent=2))
        return
    table = Table(
        title=f"Claim matching ({claim_ranker.version}, {embedder.name})",
        caption="ranker: the app's ordering; dense (cosine, after the ranker's projection when "
        "it has one) and bm25 alone for comparison. "
        "CheckThat! 2022 2A official baseline MAP@5: 0.8179.",
    )
    for column in ("set", "method", "queries", "MAP@1", "MAP@5", "Recall@5"):
        table.add_column(column, justify="left" if column in ("set", "method") else "right")
    for report in reports:
        for method, scores in report.scores.items():
            table.add_row(
                report.name,
                method,
                str(scores.queries),
                f"{scores.map_1:.4f}",
                f"{scores.map_5:.4f}",
                f"{scores.recall_5:.4f}",
                end_section=method == "ranker",
            )
    Console().print(table)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="eval")
