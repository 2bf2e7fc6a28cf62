"""The ministry's fact-check base for the demo week: its two debunks (in English and
Indonesian), the official positions behind them, and unrelated fact-checks as distractors.

Written as the project's fact-check CSV (docs/verify.md), dated when the ministry published
each; the claim matcher must find the false-claim posts in every language from these alone.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from ediplomacy.demo.timeline import Timeline
from ediplomacy.demo.world import OFFICIAL_SITE

PUBLISHER = "Ministry of Foreign Affairs of the Republic of Sagara Jaya"
COLUMNS = (
    "external_id",
    "kind",
    "claim_text",
    "verdict",
    "language",
    "review_date",
    "url",
    "title",
    "summary",
    "publisher",
    "sources",
    "source",
)
FEE_SOURCES = f"{OFFICIAL_SITE}/siaran-pers/evakuasi-qadira {OFFICIAL_SITE}/en/press/evacuation"
FLED_SOURCES = f"{OFFICIAL_SITE}/siaran-pers/konjen-qadira-buka"


def _rows(debunk: str, debunk2: str, announced: str) -> list[tuple[str, ...]]:
    fee_summary = (
        "Evacuation flights from Qadira are free; the state pays for them. The "
        "ministry announced this before the rumour started."
    )
    return [
        (
            "fee-en",
            "fact_check",
            "The foreign ministry charges citizens about USD 2,000 each for a seat on the "
            "evacuation flights from Qadira.",
            "false",
            "en",
            debunk,
            f"{OFFICIAL_SITE}/en/fact-check/evacuation-fee",
            "No, evacuation flights are not paid",
            fee_summary,
            PUBLISHER,
            FEE_SOURCES,
        ),
        (
            "fee-id",
            "fact_check",
            "Kemlu memungut biaya sekitar USD 2.000 per orang untuk kursi penerbangan evakuasi "
            "dari Qadira.",
            "false",
            "id",
            debunk,
            f"{OFFICIAL_SITE}/cek-fakta/biaya-evakuasi",
            "Tidak benar, evakuasi tidak dipungut biaya",
            "Penerbangan evakuasi dari Qadira gratis dan ditanggung negara.",
            PUBLISHER,
            FEE_SOURCES,
        ),
        (
            "fled-en",
            "fact_check",
            "The consulate staff in Qadira fled after the earthquake and left citizens behind.",
            "false",
            "en",
            debunk2,
            f"{OFFICIAL_SITE}/en/fact-check/consulate-open",
            "The consulate in Qadira never closed",
            "The consulate stayed open around the clock and ran the help post.",
            PUBLISHER,
            FLED_SOURCES,
        ),
        (
            "fled-id",
            "fact_check",
            "Staf konsulat di Qadira kabur setelah gempa dan meninggalkan warga.",
            "false",
            "id",
            debunk2,
            f"{OFFICIAL_SITE}/cek-fakta/konjen-tetap-buka",
            "Konsulat di Qadira tidak pernah tutup",
            "Konsulat tetap buka 24 jam dan menjalankan posko bantuan.",
            PUBLISHER,
            FLED_SOURCES,
        ),
        (
            "free-flights-en",
            "official_position",
            "Evacuation flights from Qadira are free of charge for every citizen; the state pays "
            "for them.",
            "true",
            "en",
            announced,
            f"{OFFICIAL_SITE}/en/press/evacuation",
            "Free evacuation flights from Qadira",
            "",
            PUBLISHER,
            FEE_SOURCES,
        ),
        (
            "free-flights-id",
            "official_position",
            "Penerbangan evakuasi dari Qadira gratis bagi seluruh WNI; biayanya ditanggung negara.",
            "true",
            "id",
            announced,
            f"{OFFICIAL_SITE}/siaran-pers/evakuasi-qadira",
            "Evakuasi gratis dari Qadira",
            "",
            PUBLISHER,
            FEE_SOURCES,
        ),
        (
            "consulate-open-en",
            "verified_fact",
            "The consulate in Qadira stayed open around the clock after the earthquake and ran the "
            "help post for citizens.",
            "true",
            "en",
            debunk2,
            f"{OFFICIAL_SITE}/en/press/consulate-open",
            "The consulate stayed open",
            "",
            PUBLISHER,
            FLED_SOURCES,
        ),
        # The missions publish the debunk in their host countries' languages too.
        (
            "fee-ms",
            "fact_check",
            "Kementerian Luar Negeri mengenakan bayaran kira-kira USD 2,000 seorang untuk tempat "
            "duduk penerbangan pemindahan dari Qadira.",
            "false",
            "ms",
            debunk,
            f"{OFFICIAL_SITE}/ms/semak-fakta/bayaran-pemindahan",
            "Palsu: penerbangan pemindahan adalah percuma",
            "",
            PUBLISHER,
            FEE_SOURCES,
        ),
        (
            "fee-ar",
            "fact_check",
            "وزارة الخارجية تفرض على المواطنين نحو 2000 دولار للمقعد الواحد "
            "في رحلات الإجلاء من قديرة.",
            "false",
            "ar",
            debunk,
            f"{OFFICIAL_SITE}/ar/fact-check/evacuation-fee",
            "رحلات الإجلاء مجانية",
            "",
            PUBLISHER,
            FEE_SOURCES,
        ),
        (
            "fee-fr",
            "fact_check",
            "Le ministère des Affaires étrangères fait payer environ 2 000 USD par personne "
            "pour une place dans les vols d'évacuation depuis Qadira.",
            "false",
            "fr",
            debunk,
            f"{OFFICIAL_SITE}/fr/verification/frais-evacuation",
            "Faux : les vols d'évacuation sont gratuits",
            "",
            PUBLISHER,
            FEE_SOURCES,
        ),
        (
            "fee-es",
            "fact_check",
            "La Cancillería cobra unos 2.000 USD por persona por un asiento en los vuelos de "
            "evacuación desde Qadira.",
            "false",
            "es",
            debunk,
            f"{OFFICIAL_SITE}/es/verificacion/cobro-evacuacion",
            "Falso: los vuelos de evacuación son gratuitos",
            "",
            PUBLISHER,
            FEE_SOURCES,
        ),
        (
            "fee-zh",
            "fact_check",
            "外交部向每位公民收取约2000美元的卡迪拉撤离航班座位费。",
            "false",
            "zh",
            debunk,
            f"{OFFICIAL_SITE}/zh/fact-check/evacuation-fee",
            "不实, 撤离航班免费",
            "",
            PUBLISHER,
            FEE_SOURCES,
        ),
        (
            "fled-ar",
            "fact_check",
            "موظفو القنصلية في قديرة هربوا بعد الزلزال وتركوا المواطنين وحدهم.",
            "false",
            "ar",
            debunk2,
            f"{OFFICIAL_SITE}/ar/fact-check/consulate-open",
            "القنصلية في قديرة لم تغلق أبوابها",
            "",
            PUBLISHER,
            FLED_SOURCES,
        ),
        # Distractors: other rumours the base knows, unrelated to this week.
        (
            "visa-free-en",
            "fact_check",
            "Citizens of Sagara Jaya no longer need a visa to work in Almaraya.",
            "false",
            "en",
            "2026-10-02T09:00:00Z",
            f"{OFFICIAL_SITE}/en/fact-check/work-visa",
            "Work visas are still required",
            "",
            PUBLISHER,
            "",
        ),
        (
            "passport-fee-id",
            "fact_check",
            "Biaya pembuatan paspor naik menjadi lima juta rupiah mulai bulan depan.",
            "false",
            "id",
            "2026-09-15T03:00:00Z",
            f"{OFFICIAL_SITE}/cek-fakta/biaya-paspor",
            "Biaya paspor tidak naik",
            "",
            PUBLISHER,
            "",
        ),
        (
            "embassy-closed-en",
            "fact_check",
            "The embassy in Darsalwa is closed for good and will not renew passports.",
            "false",
            "en",
            "2026-08-20T08:00:00Z",
            f"{OFFICIAL_SITE}/en/fact-check/embassy-darsalwa",
            "The embassy in Darsalwa is open",
            "",
            PUBLISHER,
            "",
        ),
        (
            "vaccine-en",
            "fact_check",
            "Travellers to Almaraya must show a yellow fever vaccination certificate.",
            "mixed",
            "en",
            "2026-07-11T08:00:00Z",
            f"{OFFICIAL_SITE}/en/fact-check/yellow-fever",
            "Only when arriving from some countries",
            "",
            PUBLISHER,
            "",
        ),
    ]


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_fact_checks(path: Path, timeline: Timeline) -> int:
    rows = _rows(
        _iso(timeline.claim_debunk),
        _iso(timeline.claim2_debunk),
        _iso(timeline.evacuation_announced),
    )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([*row, "demo"])
    return len(rows)
