"""The accounts of the scenario: officials, media, the public, citizens abroad, a network, bots."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from random import Random
from typing import Any, TypeVar

from ediplomacy.demo.ids import IdMaker
from ediplomacy.demo.model import DemoActor
from ediplomacy.demo.phrasebook import BOOKS
from ediplomacy.demo.world import (
    HOST_TZ,
    MASTODON_HOSTS,
    MISSIONS,
    OFFICIAL_MASTODON_HOST,
    TIMEZONES,
    Mission,
)

# Share of the public writing in each language, and the platforms each language's public uses.
LANG_SHARE = {"id": 0.34, "en": 0.22, "ms": 0.12, "ar": 0.11, "zh": 0.08, "es": 0.07, "fr": 0.06}
PLATFORM_SHARE = {
    "id": (0.60, 0.25, 0.15),
    "en": (0.40, 0.40, 0.20),
    "ms": (0.60, 0.26, 0.14),
    "ar": (0.72, 0.15, 0.13),
    "zh": (0.50, 0.32, 0.18),
    "es": (0.42, 0.40, 0.18),
    "fr": (0.36, 0.34, 0.30),
}
PLATFORM_ORDER = ("x", "bluesky", "mastodon")
MASTODON_HOST_SHARE = (0.45, 0.2, 0.2, 0.15)
T = TypeVar("T")

# The two coordinated groups: (group id, [(platform, lang, count)], creation days of the accounts)
GROUPS = (
    ("net-1", (("x", "id", 14), ("x", "ms", 5), ("x", "en", 5)), ("2026-07-02", "2026-07-03")),
    (
        "net-2",
        (("x", "ar", 4), ("x", "zh", 3), ("x", "es", 3), ("x", "fr", 2), ("bluesky", "en", 4)),
        ("2026-09-10",),
    ),
)
GROUP_HANDLE_PARTS = {
    "net-1": (
        ("Suara", "Rakyat", "Pejuang", "Bela", "Warga", "Migran", "Nusa", "Sagara"),
        ("Bersatu", "Peduli", "Watch", "Voice", "Merdeka", "Jaya", "Kritis"),
    ),
    "net-2": (
        ("Global", "World", "Daily", "Truth", "Free", "Open", "Real"),
        ("Eye", "Pulse", "Voice", "Lens", "Report", "Wire"),
    ),
}
BOT_PLATFORMS = (("x", 0.8), ("bluesky", 0.12), ("mastodon", 0.08))
BOT_LANGS = (
    ("id", 0.4),
    ("en", 0.25),
    ("ms", 0.1),
    ("ar", 0.1),
    ("zh", 0.05),
    ("es", 0.05),
    ("fr", 0.05),
)
BOT_APPS = ("AutoPost Pro", "SocialBlaster v3", "trend_poster", "PostQueue 2.1")
PUBLIC_APPS = (
    ("Twitter for Android", 0.45),
    ("Twitter for iPhone", 0.35),
    ("Twitter Web App", 0.2),
)
MEDIA = {  # handle stem, display name
    "id": (("KabarHarian", "Kabar Harian"), ("BeritaNusa", "Berita Nusa")),
    "en": (("DailyCourier", "The Daily Courier"), ("WorldWire", "World Wire")),
    "ms": (("BeritaSemasa", "Berita Semasa"),),
    "ar": (("AkhbarAlmaraya", "أخبار ألمارايا"),),
    "zh": (("HaiwaiXinwen", "海外新闻"),),
    "es": (("DiarioMundial", "Diario Mundial"),),
    "fr": (("LeQuotidienMonde", "Le Quotidien"),),
}


def _ts(day: str) -> float:
    return datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()


def _roman(name: str) -> str:
    """The Latin form of a name: after the slash where one is given, accents dropped."""
    roman = name.split("/")[-1]
    return unicodedata.normalize("NFKD", roman).encode("ascii", "ignore").decode("ascii")


def _display(name: str) -> str:
    return name.split("/")[0]


@dataclass(slots=True)
class Cast:
    """Every account, with the indexes the story draws authors from."""

    actors: list[DemoActor] = field(default_factory=list)
    officials: dict[tuple[str, str], DemoActor] = field(default_factory=dict)  # (org, platform)
    pools: dict[tuple[str, str, str], list[DemoActor]] = field(default_factory=dict)
    groups: dict[str, list[DemoActor]] = field(default_factory=dict)
    bots: list[DemoActor] = field(default_factory=list)
    media: dict[str, list[DemoActor]] = field(default_factory=dict)  # by language


class CastBuilder:
    """Builds the cast for a story of a given size, from one random stream."""

    def __init__(self, rng: Random, ids: IdMaker) -> None:
        self.rng = rng
        self.ids = ids
        self.cast = Cast()
        self._handles: dict[str, set[str]] = {p: set() for p in PLATFORM_ORDER}

    def build(self, n_actors: int, scale: float) -> Cast:
        for mission in MISSIONS:
            self._officials(mission)
        for lang, outlets in MEDIA.items():
            for stem, name in outlets:
                self._media(lang, stem, name)
        for group, members, days in GROUPS:
            for platform, lang, count in members:
                for _ in range(max(2, round(count * scale))):
                    self._coordinated(group, platform, lang, days)
        for _ in range(max(10, round(100 * scale))):
            self._bot()
        rest = n_actors - len(self.cast.actors)
        citizens = round(rest * 0.12)
        for _ in range(citizens):
            lang = self._weighted((("id", 0.7), ("ms", 0.15), ("en", 0.15)))
            self._person("citizen_abroad", lang, HOST_TZ)
        for _ in range(rest - citizens):
            lang = self._weighted(tuple(LANG_SHARE.items()))
            self._person("public", lang, self._weighted(TIMEZONES[lang]))
        return self.cast

    # -- kinds of account -------------------------------------------------------------------

    def _officials(self, mission: Mission) -> None:
        created = _ts("2010-03-01") + self.rng.uniform(0, 3 * 365 * 86400)
        accounts = [("x", mission.x), ("bluesky", mission.bluesky), ("mastodon", mission.mastodon)]
        for platform, handle in accounts:
            if handle is None:
                continue
            share = {"x": 1.0, "bluesky": 0.08, "mastodon": 0.04}[platform]
            followers = int(mission.followers * share * self.rng.uniform(0.9, 1.1))
            actor = self._add(
                platform=platform,
                role="official",
                lang=mission.langs[0],
                tz=mission.tz,
                handle=handle,
                name=mission.names["x"],
                bio=self._official_bio(mission),
                location=mission.location,
                created_at=created
                if platform == "x"
                else _ts("2023-05-01") + self.rng.uniform(0, 3e7),
                followers=followers,
                following=self.rng.randint(80, 900),
                statuses=self.rng.randint(3_000, 28_000),
                listed=followers // 150,
                weight=1.0,
                host=OFFICIAL_MASTODON_HOST if platform == "mastodon" else "",
                verified=platform == "x",
                org=mission.org,
                app=self.rng.choice(("Twitter Web App", "Hootsuite Inc.", "TweetDeck Web App")),
            )
            self.cast.officials[(mission.org, platform)] = actor

    def _official_bio(self, mission: Mission) -> str:
        if mission.kind == "ministry":
            return (
                "Akun resmi Kementerian Luar Negeri Republik Sagara Jaya. Official account of "
                "the Ministry of Foreign Affairs. Hotline +999 21 5550 1234. (fictional demo)"
            )
        return f"Official account: {mission.names['x']}. Fictional account for a demo scenario."

    def _media(self, lang: str, stem: str, name: str) -> None:
        for platform in PLATFORM_ORDER:
            if platform != "x" and self.rng.random() < 0.5:
                continue
            followers = int(self.rng.lognormvariate(11.5, 0.8))
            actor = self._add(
                platform=platform,
                role="media",
                lang=lang,
                tz=self._weighted(TIMEZONES[lang]),
                handle=stem,
                name=name,
                bio=f"{name}: news, every day. (fictional outlet)",
                location="",
                created_at=_ts("2009-06-01") + self.rng.uniform(0, 6 * 365 * 86400),
                followers=followers,
                following=self.rng.randint(50, 2000),
                statuses=self.rng.randint(40_000, 400_000),
                listed=followers // 90,
                weight=self.rng.uniform(2.0, 5.0),
                verified=platform == "x",
                app="SocialFlow",
            )
            self.cast.media.setdefault(lang, []).append(actor)

    def _coordinated(self, group: str, platform: str, lang: str, days: tuple[str, ...]) -> None:
        first, last = self._name(lang)
        parts = GROUP_HANDLE_PARTS[group]
        stem = self.rng.choice(parts[0]) + self.rng.choice(parts[1])
        actor = self._add(
            platform=platform,
            role="coordinated",
            lang=lang,
            tz=self._weighted(TIMEZONES[lang]),
            handle=f"{stem}_{self.rng.randint(10, 99)}",
            name=f"{first} {last}" if lang not in ("zh",) else last + first,
            bio=self.rng.choice(BOOKS[lang].bios),
            location=self.rng.choice(BOOKS[lang].locations),
            created_at=_ts(self.rng.choice(days)) + self.rng.uniform(0, 86400),
            followers=self.rng.randint(40, 700),
            following=self.rng.randint(300, 1600),
            statuses=self.rng.randint(900, 6000),
            listed=0,
            weight=self.rng.uniform(0.5, 1.5),
            group=group,
            app="Twitter for Android",
        )
        self.cast.groups.setdefault(group, []).append(actor)

    def _bot(self) -> None:
        platform = self._weighted(BOT_PLATFORMS)
        lang = self._weighted(BOT_LANGS)
        first, _ = self._name(lang)
        digits = "".join(str(self.rng.randrange(10)) for _ in range(8))
        handle = (_roman(first).capitalize() if platform == "x" else _roman(first).lower())[:7]
        followers = self.rng.randint(0, 25)
        actor = self._add(
            platform=platform,
            role="bot",
            lang=lang,
            tz=self._weighted(TIMEZONES[lang]),
            handle=handle + digits,
            name=_display(first),
            bio="",
            location="",
            created_at=_ts("2026-10-01") + self.rng.uniform(0, 44 * 86400),
            followers=followers,
            following=self.rng.randint(150, 900),
            statuses=self.rng.randint(3_000, 40_000),
            listed=0,
            weight=1.0,
            declares_bot=platform == "mastodon" and self.rng.random() < 0.5,
            app=self.rng.choice(BOT_APPS),
        )
        self.cast.bots.append(actor)

    def _person(self, role: str, lang: str, tz: int) -> None:
        platform = self.rng.choices(PLATFORM_ORDER, weights=PLATFORM_SHARE[lang])[0]
        first, last = self._name(lang)
        book = BOOKS[lang]
        followers = int(self.rng.lognormvariate(4.6 if role == "citizen_abroad" else 5.3, 1.5))
        abroad_bios = [b for b in book.bios if "Qadira" in b] or list(book.bios)
        actor = self._add(
            platform=platform,
            role=role,
            lang=lang,
            tz=tz,
            handle=self._person_handle(first, last),
            name=self._person_name(lang, first, last),
            bio=self.rng.choice(abroad_bios if role == "citizen_abroad" else book.bios),
            location="Qadira, Almaraya"
            if role == "citizen_abroad"
            else self.rng.choice(book.locations),
            created_at=_ts("2009-03-01") + (self.rng.random() ** 0.7) * 16.5 * 365 * 86400,
            followers=followers,
            following=int(self.rng.lognormvariate(5.5, 1.0)),
            statuses=int(self.rng.lognormvariate(7.0, 1.6)),
            listed=followers // 200,
            weight=self.rng.lognormvariate(0.0, 1.1) * (1.3 if role == "citizen_abroad" else 1.0),
            app=self._weighted(PUBLIC_APPS),
        )
        self.cast.pools.setdefault((role, platform, lang), []).append(actor)

    # -- helpers ------------------------------------------------------------------------------

    def _add(self, **fields: Any) -> DemoActor:
        """A new account, with a handle free on its platform and the platform's kind of id."""
        actor = DemoActor(index=len(self.cast.actors), **fields)
        actor.handle = self._unique_handle(actor.platform, actor.handle)
        if actor.platform == "x":
            actor.external_id = self.ids.x_user_id(actor.created_at)
        elif actor.platform == "bluesky":
            if "." not in actor.handle:
                actor.handle = f"{actor.handle.lower().replace('_', '-')}.bsky.social"
            actor.external_id = self.ids.did()
        else:
            actor.host = actor.host or self.rng.choices(MASTODON_HOSTS, MASTODON_HOST_SHARE)[0]
            actor.handle = actor.handle.lower()
            actor.external_id = f"https://{actor.host}/@{actor.handle}"
            actor.local_id = self.ids.mastodon_id(actor.created_at)
        self.cast.actors.append(actor)
        return actor

    def _unique_handle(self, platform: str, handle: str) -> str:
        taken = self._handles[platform]
        candidate = handle[:15] if platform == "x" else handle
        while candidate.lower() in taken:
            suffix = str(self.rng.randint(1, 999))
            candidate = (handle[: 15 - len(suffix)] if platform == "x" else handle) + suffix
        taken.add(candidate.lower())
        return candidate

    def _name(self, lang: str) -> tuple[str, str]:
        book = BOOKS[lang]
        return self.rng.choice(book.first_names), self.rng.choice(book.last_names)

    def _person_name(self, lang: str, first: str, last: str) -> str:
        if lang == "zh":
            return _display(last) + _display(first)
        style = self.rng.random()
        if style < 0.2:
            return _display(first)
        if style < 0.27:
            return f"{_display(first)} {self.rng.choice(('🌸', '⚽', '☕', '🌊', '✨'))}"
        return f"{_display(first)} {_display(last)}"

    def _person_handle(self, first: str, last: str) -> str:
        f, s = _roman(first).lower().replace(" ", ""), _roman(last).lower().replace(" ", "")
        pattern = self.rng.randrange(5)
        if pattern == 0:
            return f"{f}{s}"
        if pattern == 1:
            return f"{f}_{s}"
        if pattern == 2:
            return f"{f}{s[:1]}{self.rng.randint(70, 99)}"
        if pattern == 3:
            return f"{f.capitalize()}{s.capitalize()}"
        return f"{f}_{self.rng.randint(1, 2026)}"

    def _weighted(self, options: tuple[tuple[T, float], ...]) -> T:
        values = [value for value, _ in options]
        weights = [weight for _, weight in options]
        return self.rng.choices(values, weights=weights)[0]
