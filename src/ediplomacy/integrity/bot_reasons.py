"""The reasons behind a bot-likeness score, said in English and Bahasa Indonesia.

A stored reason is language-neutral ({code, contribution, params}); `describe` says it in one
language with its numbers written the way that language writes them. The CLI, the web pages and
the JSON API all read reasons through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TEXTS: dict[str, dict[str, str]] = {
    "regular_period": {
        "en": "posts on a fixed clock: every {period_s} ± {jitter_s} (or a whole multiple of it) "
        "in {share} of {gaps} gaps between posts",
        "id": "mengunggah dengan jadwal tetap: setiap {period_s} ± {jitter_s} (atau kelipatannya) "
        "pada {share} dari {gaps} jeda antarunggahan",
    },
    "even_gaps": {
        "en": "gaps between posts hardly vary: coefficient of variation {cv} (people's gaps "
        "usually vary by more than 1)",
        "id": "jeda antarunggahan hampir tidak berubah: koefisien variasi {cv} (jeda unggahan "
        "manusia biasanya bervariasi lebih dari 1)",
    },
    "few_gap_lengths": {
        "en": "gaps between posts come in few lengths: entropy {entropy} of a possible 1",
        "id": "panjang jeda antarunggahan hanya sedikit ragamnya: entropi {entropy} dari "
        "maksimum 1",
    },
    "same_second": {
        "en": "{share} of its posts are sent within the same {width} seconds of the minute "
        "(:{start} to :{end})",
        "id": "{share} unggahannya dikirim pada {width} detik yang sama dalam satu menit "
        "(:{start} sampai :{end})",
    },
    "around_the_clock": {
        "en": "posts around the clock: {share} of its posts fall in its quietest {hours} hours "
        "of the day (people sleep; an even spread gives 25%)",
        "id": "mengunggah siang dan malam: {share} unggahannya jatuh pada {hours} jam tersepinya "
        "(manusia tidur; sebaran merata memberi 25%)",
    },
    "fast_here": {
        "en": "posted {rate} times a day in this collection",
        "id": "mengunggah {rate} kali sehari dalam koleksi ini",
    },
    "fast_lifetime": {
        "en": "{rate} posts a day since the account was created ({count} posts in {days_s})",
        "id": "{rate} unggahan sehari sejak akun dibuat ({count} unggahan dalam {days_s})",
    },
    "young_account": {
        "en": "account created {age_s} before its first post here",
        "id": "akun dibuat {age_s} sebelum unggahan pertamanya di sini",
    },
    "copies": {
        "en": "{share} of its last {texts} posts are copies or near-copies of each other "
        "({identical} identical)",
        "id": "{share} dari {texts} unggahan terakhirnya adalah salinan atau hampir salinan satu "
        "sama lain ({identical} identik)",
    },
    "reposts": {
        "en": "{share} of its {posts} posts are reposts of others",
        "id": "{share} dari {posts} unggahannya adalah unggahan ulang milik akun lain",
    },
    "few_followers": {
        "en": "follows {following} accounts and is followed by {followers}",
        "id": "mengikuti {following} akun dan diikuti oleh {followers}",
    },
    "no_description": {"en": "no profile description", "id": "tidak ada deskripsi profil"},
    "default_name": {
        "en": "no display name, or one that only repeats the handle",
        "id": "tanpa nama tampilan, atau nama tampilan hanya mengulang nama pengguna",
    },
    "digit_handle": {
        "en": "handle with a run of {digits} digits ({handle}), like the handles platforms "
        "suggest to new accounts",
        "id": "nama pengguna dengan {digits} angka berturut-turut ({handle}), seperti yang "
        "disarankan platform untuk akun baru",
    },
    "default_avatar": {"en": "default profile picture", "id": "foto profil bawaan"},
    "bot_flag": {
        "en": "marked as automated by its owner (the platform's bot flag)",
        "id": "ditandai sebagai akun otomatis oleh pemiliknya (penanda bot dari platform)",
    },
    "calls_itself_bot": {
        "en": "calls itself a bot or automated in its {where}",
        "id": "menyebut dirinya bot atau otomatis di {where}",
    },
    "verified": {"en": "verified account", "id": "akun terverifikasi"},
    "old_account": {"en": "account is {years} years old", "id": "akun berusia {years} tahun"},
    "many_followers": {
        "en": "followed by {followers} accounts",
        "id": "diikuti oleh {followers} akun",
    },
    "timing_unknown": {
        "en": "timing not measured: not enough posts ({posts} of the {needed} needed)",
        "id": "pola waktu tidak diukur: unggahan belum cukup ({posts} dari {needed} yang "
        "diperlukan)",
    },
    "copies_unknown": {
        "en": "copies not measured: not enough texts of its own ({texts} of the {needed} needed)",
        "id": "salinan tidak diukur: teks milik sendiri belum cukup ({texts} dari {needed} yang "
        "diperlukan)",
    },
    "no_profile": {
        "en": "no profile in the data: age, followers and profile defaults not measured",
        "id": "tidak ada profil dalam data: usia, pengikut, dan profil bawaan tidak diukur",
    },
}
WHERE = {
    "handle": {"en": "handle", "id": "nama pengguna"},
    "name": {"en": "display name", "id": "nama tampilan"},
    "description": {"en": "profile description", "id": "deskripsi profil"},
    "flag": {"en": "platform flag", "id": "penanda platform"},
}
UNITS = {
    "en": {"s": "s", "min": "min", "h": "h", "day": "day", "days": "days"},
    "id": {"s": "detik", "min": "menit", "h": "jam", "day": "hari", "days": "hari"},
}


def number(value: float, lang: str, digits: int = 0) -> str:
    """1,234.5 in English, 1.234,5 in Indonesian."""
    text = f"{value:,.{digits}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def duration(seconds: float | None, lang: str) -> str:
    """A length of time in the unit that reads best: 4 s, 10 min, 2 h, 3.5 days."""
    if seconds is None:
        return "?"
    unit = UNITS.get(lang, UNITS["en"])
    if seconds < 120:
        return f"{number(seconds, lang, 0 if seconds >= 10 else 1)} {unit['s']}"
    if seconds < 90 * 60:
        minutes = seconds / 60
        return f"{number(minutes, lang, 0 if minutes >= 10 else 1)} {unit['min']}"
    if seconds < 2 * 86_400:
        return f"{number(seconds / 3600, lang, 1)} {unit['h']}"
    days = seconds / 86_400
    return f"{number(days, lang, 0 if days >= 10 else 1)} {unit['days']}"


def _param(name: str, value: Any, lang: str) -> str:
    if value is None:
        return "?"
    if name.endswith("_s"):
        return duration(float(value), lang)
    if name == "share":
        return f"{number(float(value) * 100, lang)}%"
    if name in ("cv", "entropy"):
        return number(float(value), lang, 2)
    if name in ("rate", "years"):
        return number(float(value), lang, 1 if float(value) < 10 else 0)
    if name == "where":
        return WHERE.get(str(value), {}).get(lang, str(value))
    if name in ("start", "end"):
        return f"{int(value):02d}"
    if isinstance(value, int | float):
        return number(float(value), lang)
    return str(value)


def describe(reason: Mapping[str, Any], lang: str = "en") -> str:
    """One reason in `lang` (en or id), its numbers filled in."""
    code = str(reason.get("code"))
    texts = TEXTS.get(code)
    if texts is None:
        return code  # a reason of a newer model version than this code knows
    params = dict(reason.get("params") or {})
    if code == "same_second" and params.get("start") is not None:
        params["end"] = (int(params["start"]) + int(params.get("width") or 0)) % 60
    values = {name: _param(name, value, lang) for name, value in params.items()}
    try:
        return texts.get(lang, texts["en"]).format(**values)
    except (KeyError, IndexError):
        return texts.get(lang, texts["en"])


def described(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reasons with their text in every language, as the JSON API gives them."""
    return [{**reason, "text": {lang: describe(reason, lang) for lang in ("en", "id")}}
            for reason in reasons]  # fmt: skip
