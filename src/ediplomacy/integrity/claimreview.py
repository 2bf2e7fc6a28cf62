"""Fact-check records read from the formats fact-checkers publish, and ClaimReview written back.

Readers turn each input into `FactRecord`s, or a `MalformedRecord` naming what is wrong with one
record, so the importer can set it aside and keep the rest. Formats:

- schema.org ClaimReview JSON-LD: one object, a list, or an `@graph`;
- the Google Fact Check Tools `claims:search` response (`claims[].claimReview[]`);
- CSV with the columns in `CSV_COLUMNS` (`claim_text` required);
- CheckThat! 2022 `vclaims.jsonl` and CheckThat! 2020 `verified_claims.docs.tsv`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

from ediplomacy.domain.errors import MalformedRecord
from ediplomacy.ingest.timeparse import parse_iso

KINDS = ("fact_check", "verified_fact", "official_position")
VERDICTS = ("false", "misleading", "true", "mixed", "unproven", "other")
CSV_COLUMNS = (
    "kind", "claim_text", "verdict_text", "verdict", "rating_value", "language", "claimant",
    "claim_date", "review_date", "url", "title", "summary", "publisher", "sources", "languages",
    "source", "external_id",
)  # fmt: skip

# Textual ratings as fact-checkers publish them, folded (lower case, no accents), by verdict.
# Checked in order: the first verdict whose word appears in the rating wins, so "mostly false"
# is false, "half true" is mixed and "misleading" wins over "true" in "true but misleading".
_RATING_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "misleading",
        (
            "misleading",
            "menyesatkan",
            "enganoso",
            "enganosa",
            "trompeur",
            "trompeuse",
            "missing context",
            "out of context",
            "konteks keliru",
            "konten menyesatkan",
            "sin contexto",
            "hors contexte",
            "fuera de contexto",
            "irrefuhrend",
            "ingannevole",
        ),
    ),
    (
        "mixed",
        (
            "half true",
            "half-true",
            "mixture",
            "mixed",
            "partly",
            "partially",
            "sebagian",
            "separuh",
            "mezcla",
            "en parte",
            "parcialmente",
            "mostly true",
            "partiellement",
            "en partie",
            "teilweise",
        ),
    ),
    (
        "unproven",
        (
            "unproven",
            "unverified",
            "unsubstantiated",
            "no evidence",
            "not proven",
            "belum terbukti",
            "tidak terbukti",
            "sin pruebas",
            "no verificado",
            "infonde",
            "non prouve",
            "inverifiable",
            "unbelegt",
        ),
    ),
    (
        "false",
        (
            "false",
            "fake",
            "hoax",
            "hoaks",
            "hoax",
            "salah",
            "palsu",
            "bohong",
            "keliru",
            "disinformasi",
            "fabricated",
            "pants on fire",
            "incorrect",
            "wrong",
            "falso",
            "falsa",
            "faux",
            "fausse",
            "bulo",
            "infox",
            "falsch",
            "satire",
            "scam",
            "penipuan",
            "not true",
            "untrue",
            "inaccurate",
            "debunked",
        ),
    ),
    (
        "true",
        (
            "true",
            "correct",
            "accurate",
            "benar",
            "fakta",
            "akurat",
            "verdadero",
            "verdadera",
            "cierto",
            "vrai",
            "exact",
            "richtig",
            "wahr",
            "vero",
            "confirmed",
        ),
    ),
)


def fold(text: str) -> str:
    """Lower case without accents, so 'Engañoso' and 'enganoso' compare alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalise_verdict(rating: str | None, value: float | None = None) -> str:
    """One of VERDICTS from a textual rating in any of several languages (or a 1-5 value)."""
    if rating:
        folded = f" {re.sub(r'[^a-z0-9]+', ' ', fold(rating))} "
        for verdict, words in _RATING_WORDS:
            if any(f" {word.replace('-', ' ')} " in folded for word in words):
                return verdict
    if value is not None and 1 <= value <= 5:  # schema.org 1 (false) .. 5 (true)
        return {1: "false", 2: "misleading", 3: "mixed", 4: "true", 5: "true"}[round(value)]
    return "other"


@dataclass(slots=True)
class FactRecord:
    """One entry of the fact-check base as read from an input, before it is stored."""

    claim_text: str
    kind: str = "fact_check"
    verdict: str = "other"
    verdict_text: str | None = None
    rating_value: float | None = None
    language: str | None = None
    claimant: str | None = None
    claim_date: datetime | None = None
    review_date: datetime | None = None
    url: str | None = None
    title: str | None = None
    summary: str | None = None
    publisher: str | None = None
    sources: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    source: str | None = None
    external_id: str | None = None

    def check(self) -> FactRecord:
        """The record itself, or MalformedRecord saying which field is wrong."""
        self.claim_text = (self.claim_text or "").strip()
        if not self.claim_text:
            raise MalformedRecord("the claim text is empty")
        if self.kind not in KINDS:
            raise MalformedRecord(f"kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.verdict not in VERDICTS:
            raise MalformedRecord(f"verdict {self.verdict!r} is not one of {', '.join(VERDICTS)}")
        if self.url is not None:
            self.url = self.url.strip() or None
        if self.url is not None and not re.match(r"^https?://\S+$", self.url):
            raise MalformedRecord(f"url {self.url!r} is not an http(s) address")
        if self.language and not self.languages:
            self.languages = [self.language]
        return self


Item = FactRecord | MalformedRecord
Located = tuple[str, Item]  # (where: "file:line" or "file:#n", the record or what is wrong)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        value = value.get("name") or value.get("@id")
    if isinstance(value, list):
        value = value[0] if value else None
        return _text(value)
    text = str(value).strip()
    return text or None


def parse_date(value: Any, where: str = "date") -> datetime | None:
    """ISO 8601 ('2024-03-01', '2024-03-01T10:00:00Z') or '26 May 2015'; None when empty."""
    text = _text(value)
    if text is None:
        return None
    moment = parse_iso(text)
    if moment is None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        moment = datetime.fromisoformat(text).replace(tzinfo=UTC)
    if moment is None:
        for pattern in ("%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y"):
            try:
                moment = datetime.strptime(text, pattern).replace(tzinfo=UTC)
                break
            except ValueError:
                continue
    if moment is None:
        raise MalformedRecord(f"{where} {text!r} is not a date (write e.g. 2024-03-01)")
    return moment


def _float(value: Any, where: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise MalformedRecord(f"{where} {value!r} is not a number") from None


def _urls(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        url = item.get("url") if isinstance(item, Mapping) else item
        if isinstance(url, str) and url.strip():
            found.append(url.strip())
    return found


# ClaimReview JSON-LD -------------------------------------------------------------------


def _is_claim_review(node: Any) -> bool:
    if not isinstance(node, Mapping):
        return False
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return "ClaimReview" in kinds


def claim_review_nodes(document: Any) -> Iterator[Any]:
    """Every node of a JSON-LD document that is meant to be a ClaimReview, in order."""
    if isinstance(document, list):
        for node in document:
            yield from claim_review_nodes(node)
    elif isinstance(document, Mapping) and "@graph" in document:
        yield from claim_review_nodes(document["@graph"])
    else:
        yield document


def from_claim_review(node: Any) -> FactRecord:
    """One ClaimReview object as a FactRecord (MalformedRecord when it is not one)."""
    if not _is_claim_review(node):
        kind = node.get("@type") if isinstance(node, Mapping) else type(node).__name__
        raise MalformedRecord(f"not a ClaimReview (@type {kind!r})")
    rating = node.get("reviewRating") or {}
    if not isinstance(rating, Mapping):
        rating = {}
    item = node.get("itemReviewed") or {}
    if not isinstance(item, Mapping):
        item = {}
    verdict_text = _text(rating.get("alternateName")) or _text(rating.get("name"))
    value = _float(rating.get("ratingValue"), "reviewRating.ratingValue")
    language = _text(node.get("inLanguage"))
    author = node.get("author")
    return FactRecord(
        claim_text=_text(node.get("claimReviewed")) or "",
        kind="fact_check",
        verdict=normalise_verdict(verdict_text, value),
        verdict_text=verdict_text,
        rating_value=value,
        language=language,
        claimant=_text(item.get("author")),
        claim_date=parse_date(item.get("datePublished"), "itemReviewed.datePublished"),
        review_date=parse_date(node.get("datePublished"), "datePublished"),
        url=_text(node.get("url")),
        title=_text(node.get("name")) or _text(node.get("headline")),
        summary=_text(node.get("description")),
        publisher=_text(author),
        sources=_urls(item.get("appearance")) or _urls(item.get("firstAppearance")),
        languages=[language] if language else [],
        source="claimreview",
        external_id=None,
    ).check()


def read_claim_review(data: bytes, name: str) -> Iterator[Located]:
    document = orjson.loads(data)
    for index, node in enumerate(claim_review_nodes(document), start=1):
        yield (
            f"{name}:#{index}",
            _guarded(lambda node=node: apply_extensions(from_claim_review(node), node)),
        )


def to_claim_review(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row (see store.factchecks.FactCheck.as_dict) as a ClaimReview object."""
    rating: dict[str, Any] = {"@type": "Rating"}
    if row.get("verdict_text"):
        rating["alternateName"] = row["verdict_text"]
    else:
        rating["alternateName"] = row["verdict"]
    if row.get("rating_value") is not None:
        rating["ratingValue"] = row["rating_value"]
    item: dict[str, Any] = {"@type": "Claim"}
    if row.get("claimant"):
        item["author"] = {"@type": "Organization", "name": row["claimant"]}
    if row.get("claim_date"):
        item["datePublished"] = row["claim_date"].isoformat()
    if row.get("sources"):
        item["appearance"] = [{"@type": "CreativeWork", "url": url} for url in row["sources"]]
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": row["claim_text"],
        "reviewRating": rating,
        "itemReviewed": item,
        # Kept so that a re-import gives the same rows: the base's own fields, not schema.org.
        "additionalProperty": {
            "ediplomacy:kind": row["kind"],
            "ediplomacy:verdict": row["verdict"],
            "ediplomacy:verdict_text": row.get("verdict_text"),
            "ediplomacy:source": row.get("source"),
            "ediplomacy:external_id": row.get("external_id"),
            "ediplomacy:languages": row.get("languages") or [],
        },
    }
    if row.get("summary"):
        review["description"] = row["summary"]
    for key, column in (("url", "url"), ("name", "title"), ("inLanguage", "language")):
        if row.get(column):
            review[key] = row[column]
    if row.get("publisher"):
        review["author"] = {"@type": "Organization", "name": row["publisher"]}
    if row.get("review_date"):
        review["datePublished"] = row["review_date"].isoformat()
    return review


def apply_extensions(record: FactRecord, node: Any) -> FactRecord:
    """Restore the base's own fields that an export keeps in `additionalProperty`."""
    extra = node.get("additionalProperty") if isinstance(node, Mapping) else None
    if not isinstance(extra, Mapping):
        return record
    record.kind = str(extra.get("ediplomacy:kind") or record.kind)
    record.verdict = str(extra.get("ediplomacy:verdict") or record.verdict)
    record.source = extra.get("ediplomacy:source") or record.source
    record.external_id = extra.get("ediplomacy:external_id")
    if "ediplomacy:verdict_text" in extra:
        record.verdict_text = extra["ediplomacy:verdict_text"]
    languages = extra.get("ediplomacy:languages")
    if isinstance(languages, list):
        record.languages = [str(code) for code in languages]
    return record.check()


# Google Fact Check Tools claims:search -----------------------------------------------------


def from_google_claim(claim: Any) -> list[FactRecord]:
    """One entry of `claims`: a FactRecord per claimReview it carries."""
    if not isinstance(claim, Mapping):
        raise MalformedRecord("a claim is not a JSON object")
    reviews = claim.get("claimReview")
    if not isinstance(reviews, list) or not reviews:
        raise MalformedRecord("the claim has no claimReview")
    records = []
    for review in reviews:
        if not isinstance(review, Mapping):
            raise MalformedRecord("a claimReview is not a JSON object")
        publisher = review.get("publisher") or {}
        rating = _text(review.get("textualRating"))
        language = _text(review.get("languageCode"))
        records.append(
            FactRecord(
                claim_text=_text(claim.get("text")) or "",
                verdict=normalise_verdict(rating),
                verdict_text=rating,
                language=language,
                claimant=_text(claim.get("claimant")),
                claim_date=parse_date(claim.get("claimDate"), "claimDate"),
                review_date=parse_date(review.get("reviewDate"), "reviewDate"),
                url=_text(review.get("url")),
                title=_text(review.get("title")),
                publisher=_text(publisher.get("name")) or _text(publisher.get("site")),
                source="google",
            ).check()
        )
    return records


def read_google(data: bytes, name: str) -> Iterator[Located]:
    document = orjson.loads(data)
    if not isinstance(document, Mapping) or not isinstance(document.get("claims", []), list):
        raise MalformedRecord(f"{name}: not a claims:search response (no 'claims' list)")
    for index, claim in enumerate(document.get("claims", []), start=1):
        where = f"{name}:#{index}"
        try:
            records = from_google_claim(claim)
        except MalformedRecord as error:
            yield where, error
            continue
        for record in records:
            yield where, record


# CSV and the CheckThat! files -------------------------------------------------------------


def from_csv_row(row: Mapping[str, str | None]) -> FactRecord:
    def get(column: str) -> str | None:
        value = row.get(column)
        return value.strip() or None if isinstance(value, str) else None

    verdict_text = get("verdict_text")
    value = _float(get("rating_value"), "rating_value")
    verdict = get("verdict") or normalise_verdict(verdict_text, value)
    split = re.compile(r"[\s;|]+")
    return FactRecord(
        claim_text=get("claim_text") or "",
        kind=get("kind") or "fact_check",
        verdict=verdict.lower(),
        verdict_text=verdict_text,
        rating_value=value,
        language=get("language"),
        claimant=get("claimant"),
        claim_date=parse_date(get("claim_date"), "claim_date"),
        review_date=parse_date(get("review_date"), "review_date"),
        url=get("url"),
        title=get("title"),
        summary=get("summary"),
        publisher=get("publisher"),
        sources=[url for url in split.split(get("sources") or "") if url],
        languages=[code for code in split.split(get("languages") or "") if code],
        source=get("source") or "csv",
        external_id=get("external_id"),
    ).check()


def read_csv(data: bytes, name: str) -> Iterator[Located]:
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None or "claim_text" not in reader.fieldnames:
        raise MalformedRecord(f"{name}: the CSV has no claim_text column (see docs/verify.md)")
    for row in reader:
        where = f"{name}:{reader.line_num}"
        if None in row:
            yield where, MalformedRecord("the row has more fields than the header")
            continue
        yield where, _guarded(lambda row=row: from_csv_row(row))


def from_checkthat2022(entry: Any) -> FactRecord:
    if not isinstance(entry, Mapping):
        raise MalformedRecord("the line is not a JSON object")
    vclaim_id = _text(entry.get("vclaim_id"))
    if not vclaim_id:
        raise MalformedRecord("the line has no vclaim_id")
    return FactRecord(
        claim_text=_text(entry.get("vclaim")) or "",
        kind="verified_fact",
        title=_text(entry.get("title")),
        claimant=None,
        publisher=_text(entry.get("author")),
        review_date=_lenient_date(entry.get("date")),
        language="en",
        source="checkthat2022",
        external_id=vclaim_id,
        summary=_text(entry.get("subtitle")),
    ).check()


def _lenient_date(value: Any) -> datetime | None:
    """The dataset's dates as written ('26 May 2015', '21February 2009'); None when garbled.

    A few vclaims.jsonl lines carry a sentence in `date`: the verified claim is still good.
    """
    text = re.sub(r"(\d)([A-Za-z])", r"\1 \2", _text(value) or "")
    try:
        return parse_date(text)
    except MalformedRecord:
        return None


def read_checkthat2022(data: bytes, name: str) -> Iterator[Located]:
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            entry = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            yield where, MalformedRecord(f"not JSON: {error}")
            continue
        yield where, _guarded(lambda entry=entry: from_checkthat2022(entry))


def read_checkthat2020(data: bytes, name: str) -> Iterator[Located]:
    """verified_claims.docs.tsv: a header (blank, vclaim, title), then id, claim, title.

    A field in double quotes may hold a line break, as some claims in the v3.0 file do.
    """
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter="\t")
    header = next(reader, [])
    if header[1:3] != ["vclaim", "title"]:
        raise MalformedRecord(f"{name}: not a CheckThat! 2020 verified_claims TSV")
    line = reader.line_num + 1
    for fields in reader:
        where, line = f"{name}:{line}", reader.line_num + 1
        if not any(field.strip() for field in fields):
            continue
        if len(fields) != 3:
            yield where, MalformedRecord(f"{len(fields)} tab-separated fields, 3 expected")
            continue
        record = FactRecord(
            claim_text=fields[1],
            kind="verified_fact",
            title=fields[2].strip() or None,
            language="en",
            source="checkthat2020",
            external_id=fields[0].strip(),
        )
        yield where, _guarded(record.check)


def _guarded(make: Any) -> Item:
    try:
        result: FactRecord = make()
        return result
    except MalformedRecord as error:
        return error
