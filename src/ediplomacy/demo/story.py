"""The shared workbench of the storyline: who writes, when, what text, which link."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from random import Random

from ediplomacy.demo.cast import LANG_SHARE, Cast
from ediplomacy.demo.ids import IdMaker
from ediplomacy.demo.model import Burst, DemoActor, DemoPost
from ediplomacy.demo.phrasebook import Phrasebook
from ediplomacy.demo.timeline import Timeline, TimeSampler
from ediplomacy.demo.world import (
    DISINFO_SITES,
    MISSION_FOR_LANG,
    NAMES,
    NEWS_SITES,
    OFFICIAL_SHORTENER,
    OFFICIAL_SITE,
    PLACES_FOR_LANG,
    PUBLIC_SHORTENERS,
    SAFE_TRAVEL_SITE,
)

# Which office a mention slot in a template stands for; the next one is tried when an office
# has no account on the platform.
MENTION_FALLBACK = {
    "ministry": ("ministry",),
    "protection": ("protection", "ministry"),
    "consulate": ("cons-qadira", "emb-darsalwa", "ministry"),
    "embassy": ("emb-darsalwa", "ministry"),
}
# Categories people write in their own words; offices, outlets, bots and networks keep the template.
WRITTEN_BY_PEOPLE = frozenset(
    ("chatter", "reply_support", "reply_critic", "reply_general", "quote_comment",
     "event_solidarity", "question_pre", "question_event", "emergency", "claim_doubt",
     "claim_refute")
)  # fmt: skip
PLACED_ROLES = {"public": 0.04, "citizen_abroad": 0.15}  # share of X posts with a place
UTM_SOURCE = {"x": "twitter", "bluesky": "bluesky", "mastodon": "mastodon"}
SLUGS = {
    "official": ("siaran-pers", "kunjungan-kerja", "forum-bisnis", "pekan-budaya"),
    "crisis": ("gempa-qadira-update", "posko-bantuan-qadira", "hotline-wnsj-qadira"),
    "evacuation": ("evakuasi-gratis-qadira", "jadwal-penerbangan-evakuasi"),
    "debunk": ("hoaks-biaya-evakuasi", "klarifikasi-evakuasi"),
    "news": ("earthquake-qadira", "quake-death-toll-rises", "rescue-teams-arrive", "aftershock"),
    "news_other": ("trade-forum", "culture-week", "economy-update", "travel-season", "football"),
    "claim": ("terbongkar-biaya-evakuasi", "evakuasi-tidak-gratis", "pekerja-diperas"),
}


class Story:
    """Holds the posts written so far and the tools every part of the script shares."""

    def __init__(self, cast: Cast, timeline: Timeline, rng: Random, ids: IdMaker) -> None:
        self.cast = cast
        self.timeline = timeline
        self.rng = rng
        self.ids = ids
        self.book = Phrasebook(rng)
        self.clock = TimeSampler(timeline, rng)
        self.posts: list[DemoPost] = []
        self.bursts: list[Burst] = []
        self.statements: list[DemoPost] = []  # official posts, the public replies under some
        self._cumulative: dict[tuple[str, str, str], list[float]] = {}

    # -- writing ---------------------------------------------------------------------------

    def add(
        self,
        author: DemoActor,
        at: float,
        lang: str,
        body: str,
        category: str,
        *,
        kind: str = "post",
        ref: DemoPost | None = None,
        labels: dict[str, str] | None = None,
        link: str | None = None,
        addressed: list[DemoActor] | None = None,
    ) -> DemoPost:
        """Records a post; a few X posts by people on the ground carry a place."""
        post = DemoPost(
            author=author,
            at=round(min(at, self.timeline.end - 1), 3),
            lang=lang,
            body=body,
            kind=kind,
            ref=ref,
            addressed=addressed or [],
            link=link,
            category=category,
            labels=labels or {},
        )
        placed = author.platform == "x" and kind != "repost" and author.role in PLACED_ROLES
        if placed and self.rng.random() < PLACED_ROLES[author.role]:
            places = ("qadira",) if author.role == "citizen_abroad" else PLACES_FOR_LANG[lang]
            post.place = self.rng.choice(places)
        author.n_posts += 1
        self.posts.append(post)
        if category == "official" and kind == "post":
            self.statements.append(post)
        return post

    def text(
        self, lang: str, category: str, platform: str, avoid: str = ""
    ) -> tuple[str, str, int, list[DemoActor]]:
        """A filled template: (body, label, template index, accounts it mentions)."""
        label, template, index = self.book.pick(lang, category, avoid)
        mentioned: list[DemoActor] = []

        def mention(role: str) -> str:
            actor = self.office(role, platform, lang)
            if actor is None:
                return NAMES["ministry"][lang]
            mentioned.append(actor)
            return f"@@{actor.index}"

        body = self.book.fill(template, lang, mention)
        if category in WRITTEN_BY_PEOPLE:
            body = self.book.dress(body, lang)
        return body, label, index, mentioned

    def office(self, role: str, platform: str, lang: str) -> DemoActor | None:
        """The official account a mention slot stands for on a platform, if it has one."""
        orgs = MENTION_FALLBACK.get(role) or (MISSION_FOR_LANG[lang], "ministry")
        for org in orgs:
            actor = self.cast.officials.get((org, platform))
            if actor is not None:
                return actor
        return None

    # -- who and when ----------------------------------------------------------------------

    def language(self, shares: tuple[tuple[str, float], ...] | None = None) -> str:
        """A language drawn from `shares`, by default the languages of the whole public."""
        options = shares or tuple(LANG_SHARE.items())
        return self.rng.choices([lang for lang, _ in options], [w for _, w in options])[0]

    def author(self, roles: tuple[str, ...], lang: str, platform: str | None = None) -> DemoActor:
        """An account of one of the roles writing `lang`, busier accounts more often."""
        pools = [
            (role, p, lang)
            for role in roles
            for p in ((platform,) if platform else ("x", "bluesky", "mastodon"))
            if self.cast.pools.get((role, p, lang))
        ]
        if not pools:
            if platform is None:
                raise LookupError(f"no account of {roles} writes {lang}")
            return self.author(roles, lang)
        sizes = [self._cumulative_for(key)[-1] for key in pools]
        key = self.rng.choices(pools, weights=sizes)[0]
        return self.rng.choices(self.cast.pools[key], cum_weights=self._cumulative_for(key))[0]

    def _cumulative_for(self, key: tuple[str, str, str]) -> list[float]:
        cumulative = self._cumulative.get(key)
        if cumulative is None:
            total, cumulative = 0.0, []
            for actor in self.cast.pools[key]:
                total += actor.weight
                cumulative.append(total)
            self._cumulative[key] = cumulative
        return cumulative

    def when(self, phase: str, actor: DemoActor) -> float:
        return self.clock.draw(phase, actor.tz, "any" if phase == "emergency" else "people")

    def later(self, after: float, median_s: float, spread: float = 1.3) -> float | None:
        """A time some while after `after` (log-normal delay), or None past the week's end."""
        room = self.timeline.end - 2 - after
        if room < 2:
            return None
        delay = self.rng.lognormvariate(math.log(median_s), spread)
        return after + min(max(delay, 2.0), room * self.rng.uniform(0.5, 1.0))

    # -- links -----------------------------------------------------------------------------

    def official_link(self, kind: str, lang: str, platform: str, at: float) -> str:
        roll = self.rng.random()
        if roll < 0.25:
            return f"{OFFICIAL_SHORTENER}/{self.ids.code(6)}"
        day = datetime.fromtimestamp(at, UTC)
        if kind in ("evacuation", "crisis") and roll < 0.5:
            base = f"{SAFE_TRAVEL_SITE}/lapor-diri"
        else:
            slug = self.rng.choice(SLUGS.get(kind, SLUGS["official"]))
            base = f"{OFFICIAL_SITE}/{lang}/berita/{day:%Y/%m}/{slug}-{self.rng.randint(100, 999)}"
        if self.rng.random() < 0.6:
            campaign = "gempa-qadira" if kind in ("crisis", "evacuation", "debunk") else "diplomasi"
            return (
                f"{base}?utm_source={UTM_SOURCE[platform]}&utm_medium=social"
                f"&utm_campaign={campaign}"
            )
        return base

    def news_link(self, lang: str, at: float, *, about_event: bool) -> str:
        """A news article's address: about the earthquake, or about anything else."""
        if self.rng.random() < 0.12:
            return f"{self.rng.choice(PUBLIC_SHORTENERS)}/{self.ids.code(7)}"
        day = datetime.fromtimestamp(at, UTC)
        site = self.rng.choice(NEWS_SITES[lang])
        slug = self.rng.choice(SLUGS["news" if about_event else "news_other"])
        url = f"{site}/{day:%Y/%m/%d}/{slug}-{self.rng.randint(1000, 9999)}"
        if self.rng.random() < 0.3:
            url += "?utm_source=twitter&utm_medium=social&utm_campaign=breaking"
        return url

    def disinfo_link(self) -> str:
        if self.rng.random() < 0.5:
            return f"{PUBLIC_SHORTENERS[1]}/{self.ids.code(6)}"
        slug = self.rng.choice(SLUGS["claim"])
        return (
            f"{self.rng.choice(DISINFO_SITES)}/artikel/{slug}"
            f"?utm_source=wa&utm_medium=broadcast&utm_campaign=evak01"
        )
