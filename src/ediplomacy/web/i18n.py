"""Message catalogs (one JSON file per locale) and locale-aware formatting with Babel.

Keys name what a string is for (`nav.listen`, `login.error.locked`); values may hold
`{name}` placeholders filled at render time. English is the fallback for a missing key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import orjson
from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALES = ("en", "id")
NOTHING = "\u2013"  # an en dash stands for a missing value
FALLBACK = "en"
LOCALES_DIR = Path(__file__).with_name("locales")


def load_catalog(locale: str, folder: Path = LOCALES_DIR) -> dict[str, str]:
    catalog: dict[str, str] = orjson.loads((folder / f"{locale}.json").read_bytes())
    return catalog


def negotiate(*candidates: str | None, default: str = FALLBACK) -> str:
    """The first candidate that is a supported locale, else `default`."""
    for candidate in candidates:
        if candidate and candidate[:2].lower() in LOCALES:
            return candidate[:2].lower()
    return default


@dataclass(frozen=True, slots=True)
class Translator:
    """Strings and formats of one locale; templates call it as `t('key', name=value)`."""

    locale: str
    catalog: dict[str, str]
    fallback: dict[str, str]

    def __call__(self, key: str, **params: object) -> str:
        text = self.catalog.get(key) or self.fallback.get(key) or key
        return text.format(**params) if params else text

    def get(self, key: str, default: str) -> str:
        """The text for `key`, or `default` for values outside the catalog (a new platform)."""
        return self.catalog.get(key) or self.fallback.get(key) or default

    def number(self, value: int | float | None) -> str:
        return NOTHING if value is None else format_decimal(value, locale=self.locale)

    def moment(self, value: datetime | None) -> str:
        """A UTC date and time, said as such: desks in many time zones read the same page."""
        if value is None:
            return NOTHING
        return format_datetime(value, "d MMM y, HH:mm", tzinfo=UTC, locale=self.locale) + " UTC"

    def day(self, value: date | None) -> str:
        return NOTHING if value is None else format_date(value, "d MMM y", locale=self.locale)

    def language_name(self, code: str | None) -> str:
        """'Indonesian (id)' for 'id'; the code alone when Babel does not know it."""
        if not code or code in ("und", "other"):
            return self(f"language.{code or 'und'}")
        name = Locale.parse(self.locale).languages.get(code.split("-")[0])
        return f"{name} ({code})" if name else code


class Catalogs:
    """Every locale's catalog, loaded once when the app is created."""

    def __init__(self, folder: Path = LOCALES_DIR) -> None:
        self.catalogs = {locale: load_catalog(locale, folder) for locale in LOCALES}

    def translator(self, locale: str) -> Translator:
        locale = locale if locale in self.catalogs else FALLBACK
        return Translator(locale, self.catalogs[locale], self.catalogs[FALLBACK])
