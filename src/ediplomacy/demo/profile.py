"""The demo's listening profile: the fictional ministry of Sagara Jaya listening to the world.

`generate()` writes it as `listen.toml` beside the scenario; `ediplomacy demo` copies it into the
data directory so that stance, topics and geography read the scenario's own names.
"""

# ruff: noqa: RUF001  (Chinese punctuation in the examples is meant)

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path

from ediplomacy.demo.world import (
    COUNTRY_CODE,
    HOST_CODE,
    LANGUAGES,
    MISSIONS,
    NAMES,
    OFFICIAL_MASTODON_HOST,
)

PROFILE_FILE = "listen.toml"

# Cities and towns of the two fictional countries (the demo's profile locations and posts).
COUNTRY_PLACES = ("Kota Bahari", "Tanjung Seruni", "Bukit Kencana", "Muara Jaya", "Pulau Melati")
HOST_PLACES = ("Qadira", "Dar Salwa", "دار سلوى")

# Topics of the scenario, each described by example sentences in several languages.
TOPICS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "earthquake",
        "Earthquake and rescue",
        "Gempa dan penyelamatan",
        (
            "A strong earthquake struck the city, buildings collapsed and people are trapped",
            "Rescue teams search the rubble after the quake; aftershocks are still felt",
            "Gempa bumi kuat mengguncang kota, banyak bangunan runtuh",
            "Gempa kuat melanda bandar itu, pasukan penyelamat tiba",
            "زلزال قوي يضرب المدينة وانهيار المباني",
            "强烈地震袭击城市，建筑物倒塌",
            "Un fuerte terremoto sacude la ciudad y derrumba edificios",
            "Un violent séisme frappe la ville, des immeubles se sont effondrés",
        ),
    ),
    (
        "evacuation",
        "Evacuation and citizens abroad",
        "Evakuasi dan pelindungan WNI",
        (
            "The government is arranging free evacuation flights for its citizens",
            "The consulate is helping citizens register for the evacuation flight home",
            "Pemerintah menyiapkan penerbangan evakuasi gratis bagi warga negara",
            "Warga yang ingin dievakuasi silakan mendaftar ke konsulat",
            "Kerajaan mengatur penerbangan pemindahan percuma untuk rakyatnya",
            "الحكومة تنظم رحلات إجلاء مجانية لمواطنيها",
            "政府为本国公民安排免费撤离航班",
            "El gobierno organiza vuelos de evacuación gratuitos para sus ciudadanos",
            "Le gouvernement organise des vols d'évacuation gratuits pour ses ressortissants",
        ),
    ),
    (
        "evacuation-fee",
        "Claims of an evacuation fee",
        "Isu biaya evakuasi",
        (
            "Citizens are being charged money to get a seat on the evacuation flight",
            "The ministry makes workers pay before they can be evacuated",
            "Evakuasi ternyata tidak gratis, warga diminta membayar jutaan",
            "Pekerja diminta bayar sebelum naik pesawat evakuasi",
            "Pekerja dikenakan bayaran untuk dipindahkan pulang",
            "يطلبون من العمال دفع المال مقابل الإجلاء",
            "撤离要收费，工人必须先付钱才能登机",
            "Cobran dinero a los trabajadores por la evacuación",
            "On fait payer les travailleurs pour être évacués",
        ),
    ),
    (
        "consular-services",
        "Passports, visas and consular services",
        "Paspor, visa dan layanan konsuler",
        (
            "How do I renew my passport at the embassy?",
            "What documents do I need for a tourist visa?",
            "Layanan paspor buka Senin sampai Jumat, silakan pesan jadwal",
            "Bagaimana cara memperbaharui pasport di kedutaan?",
            "ما هي الوثائق المطلوبة للحصول على تأشيرة؟",
            "如何在大使馆更新护照？",
            "¿Cómo renuevo mi pasaporte en la embajada?",
            "Comment renouveler mon passeport à l'ambassade ?",
        ),
    ),
    (
        "diplomacy",
        "Diplomacy and cooperation",
        "Diplomasi dan kerja sama",
        (
            "The foreign minister met her counterpart and both sides agreed to deepen cooperation",
            "The two countries signed a memorandum of understanding on maritime cooperation",
            "Menteri Luar Negeri bertemu mitranya dan menandatangani nota kesepahaman",
            "Menteri Luar bertemu rakan sejawatnya untuk mengukuhkan kerjasama",
            "وزير الخارجية يلتقي نظيره ويوقعان مذكرة تفاهم",
            "外交部长会见对方同行，双方同意深化合作",
            "El canciller se reunió con su homólogo para reforzar la cooperación",
            "Le ministre des Affaires étrangères a rencontré son homologue",
        ),
    ),
    (
        "culture-tourism",
        "Culture, food and travel",
        "Budaya, kuliner dan wisata",
        (
            "Culture week opens with dance, music and traditional food",
            "Planning a holiday to the beaches and islands next spring",
            "Festival budaya menampilkan tari, musik dan kuliner khas",
            "Pantai yang indah dan orang-orang yang ramah, ingin kembali berlibur",
            "أسبوع ثقافي يضم الرقص والموسيقى والطعام التقليدي",
            "文化周开幕，有舞蹈、音乐和美食",
            "Semana cultural con danza, música y comida tradicional",
            "Semaine culturelle avec danse, musique et cuisine traditionnelle",
        ),
    ),
    (
        "migrant-workers",
        "Migrant workers",
        "Pekerja migran",
        (
            "Migrant workers abroad face long hours and tough conditions",
            "Nasib pekerja migran di luar negeri perlu diperhatikan pemerintah",
            "Pekerja asing di sana bekerja berjam-jam dengan gaji rendah",
            "العمال المهاجرون يعانون من ظروف عمل صعبة",
            "海外务工人员工作时间长、条件艰苦",
            "Los trabajadores migrantes sufren largas jornadas",
            "Les travailleurs migrants subissent des conditions difficiles",
        ),
    ),
)


def _strings(values: Iterable[str]) -> str:
    return "[" + ", ".join(json.dumps(value, ensure_ascii=False) for value in values) + "]"


def _names(slot: str) -> list[str]:
    return list(dict.fromkeys(NAMES[slot][lang] for lang in LANGUAGES))


def demo_profile_toml() -> str:
    """The demo's listening profile as TOML text (docs/listen.md describes the format)."""
    country = _names("country")
    aliases = [*country, "Sagara Jaya's", "SJ", "Kemlu SJ", "KemluSJ_demo", "@KemluSJ_demo",
               "WNSJ", "Republik Sagara Jaya", "Republic of Sagara Jaya"]  # fmt: skip
    ministry = ["Kemlu SJ", "KemluSJ_demo", "Foreign Ministry of Sagara Jaya",
                "Kementerian Luar Negeri Sagara Jaya"]  # fmt: skip
    lines = [
        "# The demo's listening profile: the fictional Republic of Sagara Jaya (XJ).",
        "# Written by the demo generator; see docs/listen.md for the format.",
        "",
        "[country]",
        f'code = "{COUNTRY_CODE}"',
        'name = "Sagara Jaya"',
        "",
        "[[targets]]",
        'id = "sagara-jaya"',
        'name = "Sagara Jaya"',
        f"aliases = {_strings(aliases)}",
        "",
        "[[targets]]",
        'id = "ministry"',
        'name = "Kemlu SJ (the foreign ministry)"',
        f"aliases = {_strings(ministry)}",
        "",
    ]
    for topic_id, english, indonesian, examples in TOPICS:
        lines += [
            "[[topics]]",
            f'id = "{topic_id}"',
            f"name = {{ en = {json.dumps(english)}, id = {json.dumps(indonesian)} }}",
            f"examples = {_strings(examples)}",
            "",
        ]
    for code, slots, places in (
        (COUNTRY_CODE, ("country", "capital"), COUNTRY_PLACES),
        (HOST_CODE, ("host", "city"), HOST_PLACES),
    ):
        names = [name for slot in slots for name in _names(slot)]
        names += [place for place in places if place not in names]
        lines += ["[[places]]", f'code = "{code}"', f"names = {_strings(names)}", ""]
    lines += [
        "[share_of_voice]",
        f'countries = ["{COUNTRY_CODE}", "{HOST_CODE}", "MY", "ID", "SG", "AU"]',
        "",
        "[officials]",
        f"accounts = {_strings(official_accounts())}",
    ]
    return "\n".join(lines) + "\n"


def official_accounts() -> list[str]:
    """The ministry's and missions' handles on every platform, as the profile names them."""
    accounts = []
    for mission in MISSIONS:
        accounts.append(f"x:{mission.x}")
        if mission.bluesky:
            accounts.append(f"bluesky:{mission.bluesky}")
        if mission.mastodon:
            accounts.append(f"mastodon:{mission.mastodon}@{OFFICIAL_MASTODON_HOST}")
    return accounts


def install_profile(source: Path, data_dir: Path) -> Path | None:
    """Copy the demo's profile to `data_dir/listen.toml` unless one is there; the path if copied."""
    target = data_dir / PROFILE_FILE
    if target.exists():
        return None
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target
