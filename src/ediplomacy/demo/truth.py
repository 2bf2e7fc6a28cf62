"""The planted ground truth, keyed the way importers key posts and accounts."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from ediplomacy.demo.model import DemoActor, DemoPost
from ediplomacy.demo.officials import CLAIM_FEE, CLAIM_FLED
from ediplomacy.demo.phrasebook import BOOKS
from ediplomacy.demo.story import Story
from ediplomacy.demo.world import COUNTRY_CODE, HOST_CODE, MISSIONS

SCHEMA = "ediplomacy-demo-ground-truth/1"
PEAK_WINDOW_S = 600
CLAIMS = {
    CLAIM_FEE: {
        "category": "claim",
        "statement_en": "The foreign ministry charges citizens about USD 2,000 each for a seat on "
        "the evacuation flights from Qadira.",
        "truth_en": "Evacuation flights are free; the state pays for them (announced before the "
        "claim started, and debunked by the ministry and every mission).",
    },
    CLAIM_FLED: {
        "category": "claim2",
        "statement_en": "The consulate staff in Qadira fled after the earthquake and left "
        "citizens behind.",
        "truth_en": "The consulate stayed open around the clock and ran the help post.",
    },
}


def iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{round(at * 1000) % 1000:03d}Z"
    )


def _key(post: DemoPost) -> dict[str, Any]:
    return {"platform": post.platform, "external_id": post.external_id}


def _account(actor: DemoActor) -> dict[str, Any]:
    return {"platform": actor.platform, "external_id": actor.external_id, "handle": actor.handle}


def ground_truth(story: Story, seed: int) -> dict[str, Any]:
    """Everything a detector should find, and the event timeline it should find it in."""
    cast, posts = story.cast, story.posts
    answers: dict[int, DemoPost] = {}
    for post in posts:
        if post.kind == "reply" and post.ref is not None and post.author.role == "official":
            answers.setdefault(id(post.ref), post)

    def answered(post: DemoPost) -> str | None:
        answer = answers.get(id(post))
        return answer.external_id if answer else None

    false_claim, responses, questions, emergencies = [], [], [], []
    for post in posts:
        labels = post.labels
        if labels.get("stance") == "asserts":
            false_claim.append(
                {
                    **_key(post),
                    "claim": labels["claim"],
                    "variant": labels.get("variant"),
                    "lang": post.lang,
                    "kind": "near_duplicate"
                    if labels.get("coord") == "near_duplicate"
                    else post.kind,
                    "group": labels.get("group"),
                }
            )
        elif labels.get("stance") in ("asks", "refutes"):
            responses.append(
                {
                    **_key(post),
                    "claim": labels["claim"],
                    "stance": labels["stance"],
                    "lang": post.lang,
                    "official": post.author.role == "official",
                }
            )
        if post.category == "question" or post.category == "claim_doubt":
            questions.append(
                {
                    **_key(post),
                    "topic": labels.get("topic", "claim_check"),
                    "lang": post.lang,
                    "answered_by": answered(post),
                }
            )
        elif post.category == "emergency":
            emergencies.append(
                {
                    **_key(post),
                    "need": labels["need"],
                    "lang": post.lang,
                    "answered_by": answered(post),
                }
            )

    bursts = []
    for burst in story.bursts:
        if not burst.posts:
            continue
        times = [p.at for p in burst.posts]
        bursts.append(
            {
                "id": burst.id,
                "group": burst.group,
                "platform": burst.platform,
                "topic": burst.topic,
                "start": iso(min(times)),
                "end": iso(max(times)),
                "span_s": round(max(times) - min(times), 3),
                "posts": [{**_key(p), "role": p.labels["coord"]} for p in burst.posts],
            }
        )

    missions = {m.org: m for m in MISSIONS}
    by_platform = Counter(p.platform for p in posts)
    return {
        "schema": SCHEMA,
        "scenario": {
            "seed": seed,
            "posts": len(posts),
            "posts_by_platform": {k: by_platform[k] for k in ("x", "bluesky", "mastodon")},
            "actors": len(cast.actors),
            "languages": sorted({p.lang for p in posts}),
            "country": {"name": "Republic of Sagara Jaya", "code": COUNTRY_CODE, "fictional": True},
            "host_country": {"name": "Kingdom of Almaraya", "code": HOST_CODE, "fictional": True},
            "note": "Every account, name, site and event here is invented.",
        },
        "keys": {
            "posts": {
                "x": "tweet id",
                "bluesky": "at:// URI of the post",
                "mastodon": "status id, as the server the data was read from gave it",
            },
            "actors": {"x": "user id", "bluesky": "DID", "mastodon": "account url"},
        },
        "timeline": _timeline(story),
        "claims": [
            {
                "id": claim,
                **{k: v for k, v in about.items() if k != "category"},
                "variants": _variants(str(about["category"])),
            }
            for claim, about in CLAIMS.items()
        ],
        "accounts": {
            "official": [
                {**_account(a), "org": a.org, "kind": missions[a.org or ""].kind}
                for a in cast.actors
                if a.role == "official"
            ],
            "coordinated": [
                {**_account(a), "group": a.group} for a in cast.actors if a.role == "coordinated"
            ],
            "bot_like": [
                {**_account(a), "period_s": round(a.period_s, 1), "declares_bot": a.declares_bot}
                for a in cast.bots
            ],
            "news_outlets": [_account(a) for a in cast.actors if a.role == "media"],
        },
        "groups": [
            {
                "id": group,
                "members": len(members),
                "platforms": sorted({m.platform for m in members}),
                "languages": sorted({m.lang for m in members}),
            }
            for group, members in cast.groups.items()
        ],
        "bursts": bursts,
        "posts": {
            "false_claim": false_claim,
            "claim_responses": responses,
            "questions": questions,
            "emergencies": emergencies,
        },
    }


def _variants(category: str) -> dict[str, str]:
    """The template of every variant of a claim, slots still in braces."""
    variants = {}
    for lang, book in BOOKS.items():
        for index, template in enumerate(book.phrases.get(category, ())):
            variants[f"{lang}-{index + 1}"] = str(template)
    return variants


def _timeline(story: Story) -> dict[str, Any]:
    t, posts = story.timeline, story.posts

    def peak(selected: list[float]) -> dict[str, Any]:
        bins = Counter(int((at - t.start) // PEAK_WINDOW_S) for at in selected)
        if not bins:
            return {"peak_at": None, "peak_posts_per_10min": 0}
        top, count = max(sorted(bins.items()), key=lambda item: item[1])
        return {"peak_at": iso(t.start + top * PEAK_WINDOW_S), "peak_posts_per_10min": count}

    claims = {}
    for claim, debunk in ((CLAIM_FEE, t.claim_debunk), (CLAIM_FLED, t.claim2_debunk)):
        times = [
            p.at
            for p in posts
            if p.labels.get("claim") == claim and p.labels.get("stance") == "asserts"
        ]
        claims[claim] = {
            "first_post_at": iso(min(times)) if times else None,
            "debunked_at": iso(debunk),
            **peak(times),
        }
    return {
        "week_start": iso(t.start),
        "week_end": iso(t.end),
        "earthquake": {"at": iso(t.quake), "magnitude": 7.1, "place": "Qadira, Almaraya"},
        "first_official_statement": iso(
            min(
                p.at
                for p in posts
                if p.labels.get("statement") == "official_crisis" and p.at > t.quake
            )
        ),
        "evacuation_announced": iso(t.evacuation_announced),
        "first_evacuation_flight": iso(t.first_flight),
        "claims": claims,
        "event_burst": peak([p.at for p in posts if p.at >= t.quake]),
    }
