"""The fact-check base: every import format, bad records set aside, re-imports, export round trip.

Runs on SQLite and PostgreSQL through the `engine` fixture.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ediplomacy.domain.errors import UnknownFormat, UnreadableInput
from ediplomacy.integrity import factcheck
from ediplomacy.integrity.claimreview import normalise_verdict
from ediplomacy.security import audit
from ediplomacy.store.schema import fact_checks

CLAIM_REVIEW: dict[str, Any] = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://cekfakta.example.id/2024/03/kapal-sagara",
    "claimReviewed": "The ministry sold the Sagara Jaya ferry to a foreign navy.",
    "datePublished": "2024-03-02",
    "name": "Hoaks: kapal Sagara Jaya dijual",
    "inLanguage": "id",
    "author": {"@type": "Organization", "name": "Cek Fakta"},
    "reviewRating": {"@type": "Rating", "ratingValue": 1, "alternateName": "Hoaks"},
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "@sagara_truth"},
        "datePublished": "2024-02-28T09:15:00Z",
        "appearance": [{"@type": "CreativeWork", "url": "https://x.example/status/1"}],
    },
}

GOOGLE = {
    "claims": [
        {
            "text": "Vaccines contain microchips",
            "claimant": "Viral post",
            "claimDate": "2021-01-05T00:00:00Z",
            "claimReview": [
                {
                    "publisher": {"name": "Full Fact", "site": "fullfact.org"},
                    "url": "https://fullfact.example/vaccine-chips",
                    "title": "No, vaccines do not contain microchips",
                    "reviewDate": "2021-01-07T00:00:00Z",
                    "textualRating": "False",
                    "languageCode": "en",
                },
                {
                    "publisher": {"name": "Maldita", "site": "maldita.es"},
                    "url": "https://maldita.example/bulo-microchips",
                    "title": "Las vacunas no llevan microchips",
                    "reviewDate": "2021-01-08T00:00:00Z",
                    "textualRating": "Falso",
                    "languageCode": "es",
                },
            ],
        },
        {"text": "No review here", "claimReview": []},
    ],
    "nextPageToken": "CAo",
}

CSV = (
    "kind,claim_text,verdict_text,language,publisher,review_date,url,sources,languages\n"
    "official_position,Indonesia supports a two-state solution.,,en,MFA,2024-01-10,"
    "https://kemlu.example/position,https://kemlu.example/a https://kemlu.example/b,en id\n"
    "fact_check,Gempa 9 SR akan terjadi besok,Salah,id,Cek Fakta,2024-02-01,"
    "https://cekfakta.example/gempa,,\n"
    "fact_check,,False,en,,,,,\n"
    "fact_check,A claim with a bad date,False,en,,31/31/2024,,,\n"
)


@pytest.fixture
def base(engine: Engine) -> Iterator[Engine]:
    """The engine with an empty fact-check base (PostgreSQL's database is shared)."""
    with engine.begin() as connection:
        connection.execute(fact_checks.delete())
    yield engine


def write(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else orjson.dumps(content))
    return path


def rejects_of(report: factcheck.ImportReport) -> list[dict[str, Any]]:
    assert report.rejects_path is not None
    return [orjson.loads(line) for line in Path(report.rejects_path).read_bytes().splitlines()]


@pytest.mark.parametrize(
    ("rating", "verdict"),
    [
        ("False", "false"),
        ("Salah", "false"),
        ("Hoaks", "false"),
        ("HOAX", "false"),
        ("Falso", "false"),
        ("Faux", "false"),
        ("Pants on Fire!", "false"),
        ("Mostly False", "false"),
        ("Engañoso", "misleading"),
        ("Misleading", "misleading"),
        ("Konten Menyesatkan", "misleading"),
        ("Trompeur", "misleading"),
        ("Missing context", "misleading"),
        ("True", "true"),
        ("Benar", "true"),
        ("Verdadero", "true"),
        ("Half True", "mixed"),
        ("Mixture", "mixed"),
        ("Unproven", "unproven"),
        ("Satire", "false"),
        ("Labelled as opinion", "other"),
        ("", "other"),
    ],
)
def test_verdicts_from_textual_ratings(rating: str, verdict: str) -> None:
    assert normalise_verdict(rating) == verdict


def test_rating_value_alone_gives_a_verdict() -> None:
    assert normalise_verdict(None, 1) == "false"
    assert normalise_verdict(None, 5) == "true"
    assert normalise_verdict(None, 17) == "other"


@pytest.mark.parametrize("shape", ["object", "list", "graph"])
def test_claim_review_shapes(base: Engine, tmp_path: Path, shape: str) -> None:
    other = {**CLAIM_REVIEW, "url": "https://cekfakta.example.id/other", "reviewRating": {
        "@type": "Rating", "alternateName": "Benar"}}  # fmt: skip
    document: Any = {
        "object": CLAIM_REVIEW,
        "list": [CLAIM_REVIEW, other],
        "graph": {"@context": "https://schema.org", "@graph": [CLAIM_REVIEW, other]},
    }[shape]
    path = write(tmp_path, "reviews.json", document)
    report = factcheck.import_files(base, [path], rejects_path=tmp_path / "rejects.jsonl")
    assert report.formats[str(path)] == "claimreview"
    assert report.added == (1 if shape == "object" else 2)
    assert report.rejected == 0
    [fact] = factcheck.search(base, query="sagara jaya", verdict="false")[0]
    assert fact.verdict_text == "Hoaks"
    assert fact.rating_value == 1
    assert fact.claimant == "@sagara_truth"
    assert fact.publisher == "Cek Fakta"
    assert fact.claim_date == datetime(2024, 2, 28, 9, 15, tzinfo=UTC)
    assert fact.review_date == datetime(2024, 3, 2, tzinfo=UTC)
    assert fact.sources == ["https://x.example/status/1"]
    assert fact.languages == ["id"]
    assert fact.kind == "fact_check"


def test_claim_review_bad_records_are_set_aside(base: Engine, tmp_path: Path) -> None:
    no_claim = {**CLAIM_REVIEW, "url": "https://a.example/1", "claimReviewed": ""}
    bad_date = {**CLAIM_REVIEW, "url": "https://a.example/2", "datePublished": "yesterday"}
    not_review = {"@type": "NewsArticle", "headline": "x"}
    path = write(tmp_path, "mixed.jsonld", [no_claim, CLAIM_REVIEW, bad_date, not_review])
    report = factcheck.import_files(base, [path], rejects_path=tmp_path / "rejects.jsonl")
    assert report.added == 1
    assert report.rejected == 3
    rejects = rejects_of(report)
    assert {entry["file"] for entry in rejects} == {str(path)}
    assert rejects[0]["reason"] == "record 1: the claim text is empty"
    assert rejects[1]["reason"].startswith("record 3: datePublished 'yesterday' is not a date")
    assert rejects[2]["reason"].startswith("record 4: not a ClaimReview")


def test_google_claims_search_response(base: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "search.json", GOOGLE)
    report = factcheck.import_files(base, [path], rejects_path=tmp_path / "rejects.jsonl")
    assert report.formats[str(path)] == "google"
    assert (report.added, report.rejected) == (2, 1)
    assert "no claimReview" in rejects_of(report)[0]["reason"]
    facts = {fact.publisher: fact for fact in factcheck.all_facts(base)}
    assert facts["Full Fact"].verdict == "false"
    assert facts["Maldita"].verdict_text == "Falso"
    assert facts["Maldita"].verdict == "false"
    assert facts["Maldita"].language == "es"
    assert facts["Full Fact"].claimant == "Viral post"
    assert facts["Full Fact"].claim_date == datetime(2021, 1, 5, tzinfo=UTC)


def test_csv_with_line_numbers_for_bad_rows(base: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "facts.csv", CSV.encode())
    report = factcheck.import_files(base, [path], rejects_path=tmp_path / "rejects.jsonl")
    assert (report.added, report.rejected) == (2, 2)
    assert [entry["line"] for entry in rejects_of(report)] == [4, 5]
    [position] = factcheck.search(base, kind="official_position")[0]
    assert position.sources == ["https://kemlu.example/a", "https://kemlu.example/b"]
    assert position.languages == ["en", "id"]
    [gempa] = factcheck.search(base, query="GEMPA")[0]
    assert gempa.verdict == "false"


def test_checkthat_files(base: Engine, tmp_path: Path, shared_data: Path) -> None:
    claims = shared_data / "claims"
    lines = (claims / "checkthat2022/vclaims.jsonl").read_bytes().splitlines()[:40]
    v2022 = write(tmp_path, "vclaims.jsonl", b"\n".join([*lines, b"{not json", b'{"vclaim": "x"}']))
    tsv = (claims / "checkthat2020/v3.0/verified_claims.docs.tsv").read_bytes()
    v2020 = write(tmp_path, "verified_claims.docs.tsv", tsv[: tsv.index(b"\n40\t")])
    report = factcheck.import_files(base, [v2022, v2020], rejects_path=tmp_path / "r.jsonl")
    assert report.formats == {str(v2022): "checkthat2022", str(v2020): "checkthat2020"}
    assert (report.added, report.rejected) == (80, 2)
    assert [entry["line"] for entry in rejects_of(report)] == [41, 42]
    first = orjson.loads(lines[0])
    [fact] = factcheck.search(base, query="Any Size Fries")[0]
    assert fact.external_id == first["vclaim_id"]
    assert fact.kind == "verified_fact"
    assert fact.summary == first["subtitle"]
    assert fact.review_date == datetime(2015, 5, 26, tzinfo=UTC)
    assert factcheck.search(base, query="Guantanamo")[1] >= 1


def test_checkthat2020_whole_file_reads_quoted_line_breaks(shared_data: Path) -> None:
    from ediplomacy.integrity.claimreview import FactRecord, read_checkthat2020

    path = shared_data / "claims/checkthat2020/v3.0/verified_claims.docs.tsv"
    items = list(read_checkthat2020(path.read_bytes(), "v"))
    records = [item for _, item in items if isinstance(item, FactRecord)]
    assert len(records) == len(items) == 10375
    assert [record.external_id for record in records] == [str(n) for n in range(10375)]
    assert "\n" in records[3057].claim_text  # a quoted claim that spans two lines


def test_reimport_updates_instead_of_doubling(base: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "one.json", CLAIM_REVIEW)
    rejects = tmp_path / "rejects.jsonl"
    factcheck.import_files(base, [path], rejects_path=rejects)
    again = factcheck.import_files(base, [path], rejects_path=rejects)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
    changed = {**CLAIM_REVIEW, "reviewRating": {"@type": "Rating", "alternateName": "Menyesatkan"}}
    third = factcheck.import_files(base, [write(tmp_path, "two.json", changed)],
                                   rejects_path=rejects)  # fmt: skip
    assert (third.added, third.updated) == (0, 1)
    [fact] = factcheck.all_facts(base)
    assert fact.verdict == "misleading"


def test_export_then_import_gives_the_same_rows(
    base: Engine, tmp_path: Path, shared_data: Path, sqlite_engine: Engine
) -> None:
    lines = (shared_data / "claims/checkthat2022/vclaims.jsonl").read_bytes().splitlines()[:10]
    inputs = [
        write(tmp_path, "a.json", {"@graph": [CLAIM_REVIEW]}),
        write(tmp_path, "b.json", GOOGLE),
        write(tmp_path, "c.csv", CSV.encode()),
        write(tmp_path, "vclaims.jsonl", b"\n".join(lines)),
    ]
    factcheck.import_files(base, inputs, rejects_path=tmp_path / "r.jsonl")
    exported = tmp_path / "out" / "base.jsonld"
    assert factcheck.export_claim_review(base, exported) == 15
    document = orjson.loads(exported.read_bytes())
    assert {node["@type"] for node in document["@graph"]} == {"ClaimReview"}
    target = sqlite_engine if base.dialect.name == "postgresql" else base
    if target is base:
        with base.begin() as connection:
            connection.execute(fact_checks.delete())
    report = factcheck.import_files(target, [exported], rejects_path=tmp_path / "r2.jsonl")
    assert (report.added, report.rejected) == (15, 0)
    expected = sorted((fact.content() for fact in _facts_before(inputs, tmp_path)), key=repr)
    assert sorted((fact.content() for fact in factcheck.all_facts(target)), key=repr) == expected


def _facts_before(inputs: list[Path], tmp_path: Path) -> list[Any]:
    from ediplomacy.store.migrate import open_database

    fresh = open_database(f"sqlite:///{tmp_path / 'fresh.db'}")
    factcheck.import_files(fresh, inputs, rejects_path=tmp_path / "r3.jsonl")
    facts = factcheck.all_facts(fresh)
    fresh.dispose()
    return facts


def test_whole_file_errors(base: Engine, tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match="cannot read"):
        factcheck.import_files(base, [tmp_path / "missing.json"], rejects_path=tmp_path / "r")
    with pytest.raises(UnknownFormat, match="--format"):
        factcheck.import_files(base, [write(tmp_path, "x.txt", b"hello")],
                               rejects_path=tmp_path / "r")  # fmt: skip
    with pytest.raises(UnreadableInput, match="not readable as claimreview"):
        factcheck.import_files(base, [write(tmp_path, "x.json", b"{broken")],
                               rejects_path=tmp_path / "r")  # fmt: skip
    with pytest.raises(UnreadableInput, match="no claim_text column"):
        factcheck.import_files(base, [write(tmp_path, "x.csv", b"a,b\n1,2\n")],
                               rejects_path=tmp_path / "r")  # fmt: skip
    with base.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(fact_checks)).scalar() == 0


def test_saving_by_hand_is_audited(base: Engine) -> None:
    record = factcheck.record_from_form(
        {
            "kind": "official_position",
            "claim_text": "Our position.",
            "verdict": "true",
            "url": "https://kemlu.example/p",
        }
    )
    fact = factcheck.save(base, record, actor="ana")
    edited = factcheck.record_from_form({"claim_text": "Our position, amended.", "verdict": "true",
                                         "kind": "official_position"})  # fmt: skip
    factcheck.save(base, edited, fact_id=fact.id, actor="ana")
    assert factcheck.get(base, fact.id).claim_text == "Our position, amended."
    entries = [entry for entry in audit.recent_entries(base, limit=10)[0] if entry.actor == "ana"]
    assert {entry.action for entry in entries} >= {factcheck.ADDED, factcheck.EDITED}
    other = factcheck.record_from_form({"claim_text": "Dup", "url": "https://kemlu.example/x"})
    factcheck.save(base, other)
    clash = factcheck.record_from_form({"claim_text": "Dup 2", "url": "https://kemlu.example/x"})
    with pytest.raises(factcheck.InvalidFactCheck, match="has the address"):
        factcheck.save(base, clash)


def test_cli_import_list_export(tmp_path: Path) -> None:
    env = {**os.environ, "EDIPLOMACY_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    env.pop("EDIPLOMACY_DATABASE_URL", None)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "ediplomacy", "factcheck", *args],
                              env=env, capture_output=True, text=True)  # fmt: skip

    path = write(tmp_path, "facts.csv", CSV.encode())
    done = cli("import", str(path), "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert "2 new, 0 updated, 0 unchanged, 2 rejected" in done.stderr
    assert "rejected records with file, line and reason" in done.stderr
    listed = cli("list", "--search", "gempa")
    assert "Gempa 9 SR" in listed.stdout and "1 of 1 shown" in listed.stdout
    done = cli("export", "--out", str(tmp_path / "base.jsonld"))
    assert done.returncode == 0 and "wrote 2 ClaimReview" in done.stderr
    bad = cli("import", str(tmp_path / "nope.json"))
    assert bad.returncode != 0 and "cannot read" in bad.stderr
