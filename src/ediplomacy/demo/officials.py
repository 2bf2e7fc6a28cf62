"""What the ministry and its missions post during the week, and how they answer the public."""

from __future__ import annotations

import re

from ediplomacy.demo.model import DemoActor, DemoPost
from ediplomacy.demo.story import Story
from ediplomacy.demo.world import MISSION_FOR_LANG, MISSIONS, NAMES, Mission

CLAIM_FEE = "claim-evac-fee"
CLAIM_FLED = "claim-embassy-fled"

ROUTINE = {
    "ministry": (
        ("official_diplomacy", 0.5),
        ("official_consular", 0.25),
        ("official_culture", 0.25),
    ),
    "office": (("official_consular", 0.6), ("official_diplomacy", 0.4)),
    "embassy": (
        ("official_culture", 0.4),
        ("official_diplomacy", 0.35),
        ("official_consular", 0.25),
    ),
    "consulate": (("official_consular", 0.7), ("official_culture", 0.3)),
}
PER_DAY = {"ministry": 5.0, "office": 2.0, "embassy": 1.4, "consulate": 1.0}
CRISIS_ORGS = ("ministry", "protection", "cons-qadira", "emb-darsalwa")
LINK_KIND = {
    "official_crisis": "crisis",
    "official_evacuation": "evacuation",
    "official_debunk": "debunk",
    "official_debunk2": "debunk",
}
MIRROR_SHARE = {"bluesky": 0.6, "mastodon": 0.45}
_MENTION = re.compile(r"@@(\d+)")


def write_officials(story: Story, scale: float) -> None:
    """Routine posts all week, the crisis response, and the announcements that matter."""
    t = story.timeline
    for mission in MISSIONS:
        _routine(story, mission, scale)
    # First reactions to the earthquake, in the order a real crisis cell would post them.
    for org, delay_min, langs in (
        ("cons-qadira", 35, ("id", "ar")),
        ("ministry", 47, ("id", "en")),
        ("emb-darsalwa", 55, ("ar", "en")),
        ("protection", 70, ("id",)),
    ):
        _announce(story, org, t.quake + delay_min * 60, langs, "official_crisis")
    for mission in MISSIONS:
        if mission.org in CRISIS_ORGS:
            continue
        _announce(
            story,
            mission.org,
            t.quake + story.rng.uniform(3, 9) * 3600,
            mission.langs[:1],
            "official_crisis",
            mirrored=False,
        )
    evacuation = _announce(
        story, "ministry", t.evacuation_announced, ("id", "en"), "official_evacuation"
    )
    _reposted_by_missions(story, evacuation, 120, 2400)
    _announce(
        story, "cons-qadira", t.evacuation_announced + 600, ("id", "ar"), "official_evacuation"
    )
    for mission in MISSIONS:
        if mission.kind == "embassy":
            _announce(
                story,
                mission.org,
                t.evacuation_announced + story.rng.uniform(6, 14) * 3600,
                mission.langs[:1],
                "official_evacuation",
                mirrored=False,
            )
    fee = {"claim": CLAIM_FEE, "stance": "refutes"}
    debunk = _announce(story, "ministry", t.claim_debunk, ("id", "en"), "official_debunk", fee)
    _reposted_by_missions(story, debunk, 60, 1800)
    _announce(story, "spokesperson", t.claim_debunk + 360, ("id",), "official_debunk", fee)
    for mission in MISSIONS:
        if mission.kind in ("embassy", "consulate"):
            _announce(
                story,
                mission.org,
                t.claim_debunk + story.rng.uniform(0.6, 3.0) * 3600,
                mission.langs[:1],
                "official_debunk",
                fee,
                mirrored=False,
            )
    fled = {"claim": CLAIM_FLED, "stance": "refutes"}
    _announce(story, "cons-qadira", t.claim2_debunk, ("id",), "official_debunk2", fled)
    _announce(story, "emb-darsalwa", t.claim2_debunk + 900, ("ar", "en"), "official_debunk2", fled)


def _routine(story: Story, mission: Mission, scale: float) -> None:
    rng = story.rng
    actor = story.cast.officials[(mission.org, "x")]
    count = max(3, round(PER_DAY[mission.kind] * 7 * scale * rng.uniform(0.8, 1.2)))
    for _ in range(count):
        at = story.clock.draw("base", mission.tz, "office")
        lang = mission.langs[0] if rng.random() < 0.7 else rng.choice(mission.langs)
        crisis = at > story.timeline.quake and (mission.org in CRISIS_ORGS or rng.random() < 0.4)
        if crisis:
            category = "official_crisis"
        else:
            options = ROUTINE[mission.kind]
            category = rng.choices([c for c, _ in options], [w for _, w in options])[0]
        _official_post(story, actor, at, lang, category)


def _announce(
    story: Story,
    org: str,
    at: float,
    langs: tuple[str, ...],
    category: str,
    labels: dict[str, str] | None = None,
    *,
    mirrored: bool = True,
) -> DemoPost:
    """One statement per language, minutes apart, mirrored on the office's other platforms."""
    actor = story.cast.officials[(org, "x")]
    first: DemoPost | None = None
    for i, lang in enumerate(langs):
        post = _official_post(
            story,
            actor,
            at + i * story.rng.uniform(120, 300),
            lang,
            category,
            labels,
            mirror_share=1.0 if mirrored else None,
        )
        first = first or post
    assert first is not None
    return first


def _official_post(
    story: Story,
    actor: DemoActor,
    at: float,
    lang: str,
    category: str,
    labels: dict[str, str] | None = None,
    *,
    mirror_share: float | None = None,
) -> DemoPost:
    rng = story.rng
    body, _, _, _ = story.text(lang, category, "x")
    link = None
    if rng.random() < 0.6:
        link = story.official_link(LINK_KIND.get(category, "official"), lang, "x", at)
    post = story.add(actor, at, lang, body, "official", labels=dict(labels or {}), link=link)
    post.labels["statement"] = category
    for platform, share in MIRROR_SHARE.items():
        twin = story.cast.officials.get((actor.org or "", platform))
        if twin is None or rng.random() >= (mirror_share or share):
            continue
        mirrored_link = link and story.official_link(
            LINK_KIND.get(category, "official"), lang, platform, at
        )
        story.add(
            twin,
            at + rng.uniform(5, 240),
            lang,
            _retarget(story, body, platform, lang),
            "official",
            labels=dict(post.labels),
            link=mirrored_link,
        )
    return post


def _retarget(story: Story, body: str, platform: str, lang: str) -> str:
    """The same text for another platform: mentions point at that platform's accounts."""

    def swap(match: re.Match[str]) -> str:
        actor = story.cast.actors[int(match.group(1))]
        twin = story.cast.officials.get((actor.org or "", platform))
        return f"@@{twin.index}" if twin else NAMES["ministry"][lang]

    return _MENTION.sub(swap, body)


def _reposted_by_missions(story: Story, post: DemoPost, low_s: float, high_s: float) -> None:
    """Embassies share the ministry's key posts: legitimate, and not within seconds."""
    for mission in MISSIONS:
        if mission.org == "ministry":
            continue
        actor = story.cast.officials[(mission.org, "x")]
        story.add(
            actor,
            post.at + story.rng.uniform(low_s, high_s),
            post.lang,
            "",
            "official",
            kind="repost",
            ref=post,
            labels={"statement": "repost"},
        )


def write_answers(story: Story) -> None:
    """Officials answer some of the questions, emergencies and doubts addressed to them."""
    rng = story.rng
    t = story.timeline
    asks = [p for p in story.posts if p.category in ("question", "emergency", "claim_doubt")]
    for ask in asks:
        chance = {"emergency": 0.6, "claim_doubt": 0.5}.get(ask.category, 0.45)
        if ask.at < t.quake:
            chance = 0.3
        if rng.random() >= chance:
            continue
        responder = _addressee(story, ask)
        if responder is None:
            continue
        mission = next(m for m in MISSIONS if m.org == responder.org)
        lang = ask.lang if ask.lang in mission.langs else mission.langs[0]
        at = story.later(ask.at, 1800 if ask.at > t.quake else 5 * 3600, 1.0)
        if at is None:
            continue
        doubt = ask.category == "claim_doubt"
        category = "official_debunk" if doubt and at > t.claim_debunk else "official_answer"
        body, _, _, _ = story.text(lang, category, ask.platform)
        labels = {"statement": category}
        if doubt and category == "official_debunk":
            labels.update(claim=CLAIM_FEE, stance="refutes")
        story.add(
            responder,
            at,
            lang,
            body,
            "official",
            kind="reply",
            ref=ask,
            addressed=[ask.author],
            labels=labels,
        )


def _addressee(story: Story, ask: DemoPost) -> DemoActor | None:
    """The first official account the post mentions, else the mission for its language."""
    for match in _MENTION.finditer(ask.body):
        actor = story.cast.actors[int(match.group(1))]
        if actor.role == "official":
            return actor
    org = MISSION_FOR_LANG[ask.lang]
    return story.cast.officials.get((org, ask.platform)) or story.cast.officials.get(
        ("ministry", ask.platform)
    )
