"""CheckThat! verified-claim retrieval tasks: their files, the bundled sets, and the metrics.

Formats, as the CheckThat! labs publish them:
- queries: TSV `query_id<TAB>text`, no header (2022), or with a header row (2020's
  `<TAB>tweet_content`);
- qrels: TSV `query_id<TAB>0<TAB>vclaim_id<TAB>relevance`;
- verified claims: 2022 `vclaims.jsonl` (`vclaim_id`, `vclaim`, `title`), 2020
  `verified_claims.docs.tsv` (header `<TAB>vclaim<TAB>title`, id in the first column), or a
  folder of one JSON object per file (2021 and 2022 releases).

MAP@k is the official scorer's: a query's average precision sums precision@i at each relevant
rank i <= k and divides by the number of relevant claims; Recall@k is the share of a query's
relevant claims in its top k.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from ediplomacy.domain.errors import EdiplomacyError


class TaskFileError(EdiplomacyError):
    """A CheckThat! file that cannot be read; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class VerifiedClaim:
    id: str
    text: str
    title: str = ""


@dataclass(slots=True)
class RetrievalTask:
    name: str
    queries: dict[str, str]
    qrels: dict[str, set[str]]
    claims: dict[str, VerifiedClaim] = field(default_factory=dict)

    def judged(self) -> list[str]:
        """Query ids that have a query text and at least one relevant claim."""
        return [qid for qid in self.queries if self.qrels.get(qid)]


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise TaskFileError(f"{path}: no such file") from error
    except UnicodeDecodeError as error:
        raise TaskFileError(f"{path}: not UTF-8 text ({error})") from error
    reader = csv.reader(io.StringIO(text), delimiter="\t", quotechar='"')
    return [(number, row) for number, row in enumerate(reader, start=1) if row]


def read_queries(path: Path) -> dict[str, str]:
    """Query id -> text; a 2020-style header row is skipped."""
    queries: dict[str, str] = {}
    for number, row in _rows(path):
        if number == 1 and row[0] in ("", "id", "query_id", "tweet_id"):
            continue
        if len(row) < 2:
            raise TaskFileError(f"{path}:{number}: expected 'query_id<TAB>text'")
        queries[row[0]] = "\t".join(row[1:])
    return queries


def read_qrels(path: Path) -> dict[str, set[str]]:
    """Query id -> ids of its relevant verified claims (relevance > 0)."""
    qrels: dict[str, set[str]] = {}
    for number, row in _rows(path):
        if len(row) != 4:
            raise TaskFileError(
                f"{path}:{number}: expected 'query_id<TAB>0<TAB>vclaim_id<TAB>relevance'"
            )
        try:
            relevant = int(row[3]) > 0
        except ValueError as error:
            raise TaskFileError(f"{path}:{number}: relevance {row[3]!r} is not a number") from error
        if relevant:
            qrels.setdefault(row[0], set()).add(row[2])
    return qrels


def _claim(entry: Mapping[str, object], where: str) -> VerifiedClaim:
    claim_id, text = entry.get("vclaim_id"), entry.get("vclaim")
    if not isinstance(claim_id, str | int) or not isinstance(text, str) or not text.strip():
        raise TaskFileError(f"{where}: a verified claim needs 'vclaim_id' and 'vclaim'")
    title = entry.get("title")
    return VerifiedClaim(
        str(claim_id), text.strip(), title.strip() if isinstance(title, str) else ""
    )


def read_verified_claims(path: Path) -> dict[str, VerifiedClaim]:
    """Verified claims from a .jsonl, a .tsv or a folder of .json files, by id."""
    claims: dict[str, VerifiedClaim] = {}
    if path.is_dir():
        for item in sorted(path.glob("*.json")):
            try:
                entry = orjson.loads(item.read_bytes())
            except orjson.JSONDecodeError as error:
                raise TaskFileError(f"{item}: not JSON ({error})") from error
            claim = _claim(entry, str(item))
            claims[claim.id] = claim
    elif path.suffix == ".jsonl":
        try:
            lines = path.read_bytes().splitlines()
        except FileNotFoundError as error:
            raise TaskFileError(f"{path}: no such file") from error
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                entry = orjson.loads(line)
            except orjson.JSONDecodeError as error:
                raise TaskFileError(f"{path}:{number}: not JSON ({error})") from error
            claim = _claim(entry, f"{path}:{number}")
            claims[claim.id] = claim
    else:
        rows = _rows(path)
        if not rows or rows[0][1][1:2] != ["vclaim"]:
            raise TaskFileError(f"{path}: expected a header '<TAB>vclaim<TAB>title'")
        for number, row in rows[1:]:
            if len(row) < 2:
                raise TaskFileError(f"{path}:{number}: expected 'id<TAB>vclaim<TAB>title'")
            claim = _claim(
                {"vclaim_id": row[0], "vclaim": row[1], "title": row[2] if len(row) > 2 else ""},
                f"{path}:{number}",
            )
            claims[claim.id] = claim
    if not claims:
        raise TaskFileError(f"{path}: no verified claims found")
    return claims


def task_from_files(name: str, queries: Path, qrels: Path, vclaims: Path) -> RetrievalTask:
    given = read_queries(queries)
    # Only the given queries are scored: a qrels file may cover more (a translated subset).
    judgements = {qid: relevant for qid, relevant in read_qrels(qrels).items() if qid in given}
    task = RetrievalTask(name, given, judgements, read_verified_claims(vclaims))
    unknown = {cid for relevant in task.qrels.values() for cid in relevant} - task.claims.keys()
    if unknown:
        raise TaskFileError(
            f"{qrels}: {len(unknown)} relevant claim id(s) are not in {vclaims}, "
            f"e.g. {sorted(unknown)[0]!r}"
        )
    if not task.judged():
        raise TaskFileError(f"{queries}: no query has a relevant claim in {qrels}")
    return task


# The sets in ../shared/data/claims ---------------------------------------------------------

CT2022 = "checkthat2022"
CT2020 = "checkthat2020/v3.0"
BUNDLED = {
    # name: (queries, qrels, vclaims), relative to the claims folder
    "checkthat2022-train": (
        f"{CT2022}/CT2022-Task2A-EN-Train-Dev_Queries.tsv",
        f"{CT2022}/CT2022-Task2A-EN-Train_QRELs.tsv",
        f"{CT2022}/vclaims.jsonl",
    ),
    "checkthat2022-dev": (
        f"{CT2022}/CT2022-Task2A-EN-Train-Dev_Queries.tsv",
        f"{CT2022}/CT2022-Task2A-EN-Dev_QRELs.tsv",
        f"{CT2022}/vclaims.jsonl",
    ),
    "checkthat2022-dev-test": (
        f"{CT2022}/CT2022-Task2A-EN-Dev-Test_Queries.tsv",
        f"{CT2022}/CT2022-Task2A-EN-Dev-Test_QRELs.tsv",
        f"{CT2022}/vclaims.jsonl",
    ),
    "checkthat2020-train": (
        f"{CT2020}/train/tweets.queries.tsv",
        f"{CT2020}/train/tweet-vclaim-pairs.qrels",
        f"{CT2020}/verified_claims.docs.tsv",
    ),
    "checkthat2020-dev": (
        f"{CT2020}/dev/tweets.queries.tsv",
        f"{CT2020}/dev/tweet-vclaim-pairs.qrels",
        f"{CT2020}/verified_claims.docs.tsv",
    ),
}
EVALUATED = ("checkthat2020-dev", "checkthat2022-dev", "checkthat2022-dev-test")
TRAINING = ("checkthat2020-train", "checkthat2022-train")


def bundled_task(claims_dir: Path, name: str) -> RetrievalTask:
    if name not in BUNDLED:
        raise TaskFileError(f"unknown set {name!r}; known: {', '.join(BUNDLED)}")
    queries, qrels, vclaims = (claims_dir / part for part in BUNDLED[name])
    task = task_from_files(name, queries, qrels, vclaims)
    task.queries = {qid: text for qid, text in task.queries.items() if qid in task.qrels}
    return task


# Metrics -------------------------------------------------------------------------------------


def average_precision(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    hits, total = 0, 0.0
    for index, claim_id in enumerate(ranked[:k], start=1):
        if claim_id in relevant:
            hits += 1
            total += hits / index
    return total / len(relevant) if relevant else 0.0


def recall_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


@dataclass(frozen=True, slots=True)
class RetrievalScores:
    queries: int
    map_1: float
    map_5: float
    recall_5: float

    def as_dict(self) -> dict[str, float | int]:
        return {
            "queries": self.queries,
            "map_1": round(self.map_1, 4),
            "map_5": round(self.map_5, 4),
            "recall_5": round(self.recall_5, 4),
        }


def score_rankings(
    rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, set[str]]
) -> RetrievalScores:
    """MAP@1, MAP@5 and Recall@5 over the judged queries (a query not ranked scores 0)."""
    judged = [qid for qid, relevant in qrels.items() if relevant]
    if not judged:
        raise TaskFileError("no judged queries to score")

    def mean(values: list[float]) -> float:
        return sum(values) / len(values)

    return RetrievalScores(
        queries=len(judged),
        map_1=mean([average_precision(rankings.get(q, []), qrels[q], 1) for q in judged]),
        map_5=mean([average_precision(rankings.get(q, []), qrels[q], 5) for q in judged]),
        recall_5=mean([recall_at(rankings.get(q, []), qrels[q], 5) for q in judged]),
    )
