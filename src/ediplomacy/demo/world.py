"""The fictional setting: the country, its ministry and missions, the city struck, places, sites.

Everything here is invented. Fictional countries use ISO 3166 user-assigned codes (XJ, QM) so
that no real country is implied. Every web address is under the reserved `.example` domain.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("id", "en", "ms", "ar", "zh", "es", "fr")
EMERGENCY_LANGUAGES = ("id", "ms", "en")

COUNTRY_CODE = "XJ"  # Republic of Sagara Jaya
HOST_CODE = "QM"  # Kingdom of Almaraya, where the earthquake strikes

# Names that templates use through slots, in each language.
NAMES: dict[str, dict[str, str]] = {
    "country": {
        "id": "Sagara Jaya",
        "en": "Sagara Jaya",
        "ms": "Sagara Jaya",
        "ar": "ساغارا جايا",
        "zh": "萨加拉贾亚",
        "es": "Sagara Jaya",
        "fr": "Sagara Jaya",
    },
    "host": {
        "id": "Almaraya",
        "en": "Almaraya",
        "ms": "Almaraya",
        "ar": "ألمارايا",
        "zh": "阿尔马拉亚",
        "es": "Almaraya",
        "fr": "Almaraya",
    },
    "city": {
        "id": "Qadira",
        "en": "Qadira",
        "ms": "Qadira",
        "ar": "قديرة",
        "zh": "卡迪拉",
        "es": "Qadira",
        "fr": "Qadira",
    },
    "capital": {
        "id": "Kota Bahari",
        "en": "Kota Bahari",
        "ms": "Kota Bahari",
        "ar": "كوتا بهاري",
        "zh": "哥打巴哈里",
        "es": "Kota Bahari",
        "fr": "Kota Bahari",
    },
    "ministry": {
        "id": "Kemlu SJ",
        "en": "the Foreign Ministry",
        "ms": "Kemlu SJ",
        "ar": "وزارة الخارجية",
        "zh": "外交部",
        "es": "la Cancillería",
        "fr": "le ministère",
    },
    "embassy": {
        "id": "KBSJ Dar Salwa",
        "en": "the embassy",
        "ms": "kedutaan",
        "ar": "السفارة",
        "zh": "大使馆",
        "es": "la embajada",
        "fr": "l'ambassade",
    },
}

HOTLINE = "+999 21 5550 1234"
HOTLINE_WA = "+999 811 5550 2026"


@dataclass(frozen=True, slots=True)
class Mission:
    """The ministry or one of its missions, with its accounts on each platform."""

    org: str
    kind: str  # ministry | office | embassy | consulate
    names: dict[str, str]  # display name by platform kind: "x" is also used for Bluesky
    langs: tuple[str, ...]
    tz: int
    location: str
    x: str
    bluesky: str | None = None
    mastodon: str | None = None  # username on OFFICIAL_MASTODON_HOST
    followers: int = 20_000


OFFICIAL_MASTODON_HOST = "diplomasi.sj.example"

# X handles are at most 15 characters; each ends in "_demo" so none can pass for a real one.
MISSIONS: tuple[Mission, ...] = (
    Mission(
        "ministry",
        "ministry",
        {"x": "Kemlu Sagara Jaya (demo)"},
        ("id", "en"),
        7,
        "Kota Bahari, Sagara Jaya",
        "KemluSJ_demo",
        "kemlu-sj-demo.bsky.social",
        "kemlusj_demo",
        1_450_000,
    ),
    Mission(
        "spokesperson",
        "office",
        {"x": "Jubir Kemlu SJ (demo)"},
        ("id", "en"),
        7,
        "Kota Bahari, Sagara Jaya",
        "JubirSJ_demo",
        followers=310_000,
    ),
    Mission(
        "protection",
        "office",
        {"x": "Pelindungan WNSJ (demo)"},
        ("id", "en"),
        7,
        "Kota Bahari, Sagara Jaya",
        "LindungSJ_demo",
        followers=185_000,
    ),
    Mission(
        "emb-darsalwa",
        "embassy",
        {"x": "KBSJ Dar Salwa (demo)"},
        ("ar", "en", "id"),
        3,
        "Dar Salwa, Almaraya",
        "EmbSJ_DSW_demo",
        "kbsj-darsalwa-demo.bsky.social",
        followers=42_000,
    ),
    Mission(
        "cons-qadira",
        "consulate",
        {"x": "Konsulat SJ Qadira (demo)"},
        ("id", "ar", "en"),
        3,
        "Qadira, Almaraya",
        "KonsSJ_QDR_demo",
        None,
        "konsulat_qadira_demo",
        21_000,
    ),
    Mission(
        "emb-kualalumpur",
        "embassy",
        {"x": "KBSJ Kuala Lumpur (demo)"},
        ("ms", "en"),
        8,
        "Kuala Lumpur, Malaysia",
        "EmbSJ_KUL_demo",
        followers=66_000,
    ),
    Mission(
        "emb-canberra",
        "embassy",
        {"x": "SJ Embassy Canberra (demo)"},
        ("en",),
        10,
        "Canberra, Australia",
        "EmbSJ_CBR_demo",
        "embsj-canberra-demo.bsky.social",
        followers=18_000,
    ),
    Mission(
        "emb-london",
        "embassy",
        {"x": "SJ Embassy London (demo)"},
        ("en",),
        0,
        "London, United Kingdom",
        "EmbSJ_LON_demo",
        followers=24_000,
    ),
    Mission(
        "emb-cairo",
        "embassy",
        {"x": "سفارة ساغارا جايا بالقاهرة (demo)"},
        ("ar", "en"),
        2,
        "Cairo, Egypt",
        "EmbSJ_CAI_demo",
        followers=15_000,
    ),
    Mission(
        "emb-beijing",
        "embassy",
        {"x": "萨加拉贾亚驻华使馆 (demo)"},
        ("zh", "en"),
        8,
        "Beijing, China",
        "EmbSJ_BJS_demo",
        followers=38_000,
    ),
    Mission(
        "emb-madrid",
        "embassy",
        {"x": "Embajada de Sagara Jaya en Madrid (demo)"},
        ("es", "en"),
        1,
        "Madrid, España",
        "EmbSJ_MAD_demo",
        followers=9_500,
    ),
    Mission(
        "emb-cdmx",
        "embassy",
        {"x": "Embajada de Sagara Jaya en México (demo)"},
        ("es",),
        -6,
        "Ciudad de México",
        "EmbSJ_MEX_demo",
        followers=7_200,
    ),
    Mission(
        "emb-paris",
        "embassy",
        {"x": "Ambassade de Sagara Jaya à Paris (demo)"},
        ("fr", "en"),
        1,
        "Paris, France",
        "EmbSJ_PAR_demo",
        "ambsj-paris-demo.bsky.social",
        "ambsj_paris_demo",
        12_000,
    ),
)

# Which mission answers for the public writing in each language, besides the ministry.
MISSION_FOR_LANG = {
    "id": "protection",
    "en": "emb-london",
    "ms": "emb-kualalumpur",
    "ar": "emb-cairo",
    "zh": "emb-beijing",
    "es": "emb-madrid",
    "fr": "emb-paris",
}

# Mastodon instances of ordinary accounts; the first is the server the data was read from.
MASTODON_HOSTS = ("mastodon.example", "kabar.example", "toot.example", "fedi.example")
VIEWER_HOST = MASTODON_HOSTS[0]

# X places: key -> (full_name, name, country, country_code, place_type)
PLACES: dict[str, tuple[str, str, str, str, str]] = {
    "qadira": ("Qadira, Almaraya", "Qadira", "Almaraya", HOST_CODE, "city"),
    "darsalwa": ("Dar Salwa, Almaraya", "Dar Salwa", "Almaraya", HOST_CODE, "city"),
    "kotabahari": ("Kota Bahari, Sagara Jaya", "Kota Bahari", "Sagara Jaya", COUNTRY_CODE, "city"),
    "kualalumpur": ("Kuala Lumpur, Malaysia", "Kuala Lumpur", "Malaysia", "MY", "city"),
    "sydney": ("Sydney, New South Wales", "Sydney", "Australia", "AU", "city"),
    "london": ("London, England", "London", "United Kingdom", "GB", "city"),
    "cairo": ("Cairo, Egypt", "Cairo", "Egypt", "EG", "city"),
    "shanghai": ("Shanghai, China", "Shanghai", "China", "CN", "city"),
    "madrid": ("Madrid, España", "Madrid", "España", "ES", "city"),
    "cdmx": ("Ciudad de México, México", "Ciudad de México", "México", "MX", "city"),
    "paris": ("Paris, France", "Paris", "France", "FR", "city"),
}
PLACES_FOR_LANG = {
    "id": ("kotabahari", "qadira"),
    "en": ("london", "sydney", "qadira"),
    "ms": ("kualalumpur", "qadira"),
    "ar": ("qadira", "darsalwa", "cairo"),
    "zh": ("shanghai",),
    "es": ("madrid", "cdmx"),
    "fr": ("paris",),
}

# Time zones where the public writing each language lives, with weights.
TIMEZONES: dict[str, tuple[tuple[int, float], ...]] = {
    "id": ((7, 0.9), (8, 0.1)),
    "en": ((0, 0.35), (-5, 0.3), (10, 0.2), (8, 0.15)),
    "ms": ((8, 1.0),),
    "ar": ((3, 0.8), (2, 0.2)),
    "zh": ((8, 1.0),),
    "es": ((1, 0.5), (-6, 0.5)),
    "fr": ((1, 0.9), (-5, 0.1)),
}
HOST_TZ = 3  # Almaraya's time zone, where the citizens abroad live

# Web sites the posts link to.
OFFICIAL_SITE = "https://kemlu.sj.example"
SAFE_TRAVEL_SITE = "https://safetravel.sj.example"
OFFICIAL_SHORTENER = "https://s.sj.example"
PUBLIC_SHORTENERS = ("https://lnk.example", "https://cutt.example")
NEWS_SITES: dict[str, tuple[str, ...]] = {
    "id": ("https://kabarharian.example", "https://beritanusa.example"),
    "en": ("https://dailycourier.example", "https://worldwire.example"),
    "ms": ("https://beritasemasa.example",),
    "ar": ("https://akhbar-almaraya.example",),
    "zh": ("https://haiwai-xinwen.example",),
    "es": ("https://diariomundial.example",),
    "fr": ("https://lequotidien.example",),
}
DISINFO_SITES = ("https://suara-pekerja.example", "https://rakyat-bicara.example")
