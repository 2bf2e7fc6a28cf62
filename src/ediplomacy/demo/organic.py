"""What the public writes: chatter, news and sympathy, questions, emergencies, and responses."""

from __future__ import annotations

from ediplomacy.demo.model import DemoActor, DemoPost
from ediplomacy.demo.phrasebook import BOOKS
from ediplomacy.demo.story import Story

PEOPLE = ("public", "citizen_abroad")
ABROAD_FIRST = ("citizen_abroad", "public")
EMERGENCY_LANGS = (("id", 0.65), ("ms", 0.15), ("en", 0.2))
# How the public responds on each platform. Bluesky's search results hold no reposts, so there
# people reply or quote; Mastodon has no quotes in the API version written here.
RESPONSE_KINDS = {
    "x": (("reply", 0.5), ("repost", 0.42), ("quote", 0.08)),
    "bluesky": (("reply", 0.72), ("quote", 0.28)),
    "mastodon": (("reply", 0.5), ("repost", 0.5)),
}


def write_event(story: Story, count: int) -> None:
    """News and sympathy after the earthquake, in every language; outlets post with links."""
    rng = story.rng
    for _ in range(count):
        lang = story.language()
        outlets = story.cast.media.get(lang, [])
        if outlets and rng.random() < 0.15:
            author = rng.choice(outlets)
            category = "event_news"
        else:
            author = story.author(PEOPLE, lang)
            category = "event_news" if rng.random() < 0.3 else "event_solidarity"
        at = story.when("event", author)
        body, _, _, _ = story.text(lang, category, author.platform)
        link = (
            story.news_link(lang, at, about_event=True)
            if category == "event_news" and rng.random() < 0.55
            else None
        )
        story.add(author, at, lang, body, "event", link=link)


def write_questions(story: Story, count: int) -> None:
    """Questions to the ministry: consular routine before the earthquake, the crisis after it."""
    rng = story.rng
    t = story.timeline
    for _ in range(count):
        lang = story.language()
        author = story.author(ABROAD_FIRST if rng.random() < 0.5 else PEOPLE, lang)
        at = story.when("question", author)
        crisis = at > t.quake and rng.random() < 0.8
        category = "question_event" if crisis else "question_pre"
        body, topic, _, _ = story.text(lang, category, author.platform)
        parent = _official_parent(story, author, at) if crisis and rng.random() < 0.35 else None
        story.add(
            author,
            at,
            lang,
            body,
            "question",
            labels={"topic": topic},
            kind="reply" if parent else "post",
            ref=parent,
            addressed=[parent.author] if parent else None,
        )


def write_emergencies(story: Story, count: int) -> None:
    """Citizens in the struck city asking for help: trapped, hurt, homeless, without papers."""
    rng = story.rng
    for _ in range(count):
        lang = story.language(EMERGENCY_LANGS)
        author = story.author(ABROAD_FIRST if rng.random() < 0.85 else PEOPLE, lang)
        at = story.when("emergency", author)
        body, need, _, _ = story.text(lang, "emergency", author.platform)
        parent = _official_parent(story, author, at) if rng.random() < 0.4 else None
        story.add(
            author,
            at,
            lang,
            body,
            "emergency",
            labels={"need": need},
            kind="reply" if parent else "post",
            ref=parent,
            addressed=[parent.author] if parent else None,
        )


def _official_parent(story: Story, author: DemoActor, at: float) -> DemoPost | None:
    """The latest crisis statement on the author's platform before `at`, to reply under."""
    best: DemoPost | None = None
    for post in story.statements:
        if (
            post.category == "official"
            and post.kind == "post"
            and post.platform == author.platform
            and post.labels.get("statement") in ("official_crisis", "official_evacuation")
            and post.at < at
            and (best is None or post.at > best.at)
        ):
            best = post
    return best


def write_chatter(story: Story, count: int) -> None:
    """Everyday talk about the country; every account that has not posted yet posts once here."""
    rng = story.rng
    silent = [a for a in story.cast.actors if a.n_posts == 0]
    for author in silent[:count]:
        _chatter(story, author)
    for _ in range(count - min(len(silent), count)):
        lang = story.language()
        _chatter(story, story.author(PEOPLE, lang) if rng.random() < 0.97 else _outlet(story, lang))


def _outlet(story: Story, lang: str) -> DemoActor:
    return story.rng.choice(story.cast.media.get(lang) or story.cast.media["en"])


def _chatter(story: Story, author: DemoActor) -> None:
    rng = story.rng
    at = story.clock.draw("base", author.tz)
    if author.role == "media" and at > story.timeline.quake:
        category = "event_news"
    elif author.role in ("bot", "coordinated"):
        category = "chatter"
    else:
        category = (
            "event_solidarity" if at > story.timeline.quake and rng.random() < 0.2 else "chatter"
        )
    body, _, _, _ = story.text(author.lang, category, author.platform)
    link = (
        story.news_link(author.lang, at, about_event=category == "event_news")
        if author.role == "media" or rng.random() < 0.08
        else None
    )
    story.add(author, at, author.lang, body, category.split("_")[0], link=link)


def write_responses(story: Story, count: int) -> None:
    """Replies, reposts and quotes of what is already there, the busiest accounts drawing most."""
    rng = story.rng
    candidates = [p for p in story.posts if p.kind != "repost"]
    cumulative, total = [], 0.0
    for post in candidates:
        total += _draw_weight(post)
        cumulative.append(total)
    replies: list[DemoPost] = []
    written = 0
    while written < count:
        if replies and rng.random() < 0.06:
            ref = rng.choice(replies)
        else:
            ref = rng.choices(candidates, cum_weights=cumulative)[0]
        at = story.later(ref.at, 1500)
        if at is None:
            continue
        lang = ref.lang if rng.random() < 0.8 else story.language()
        author = story.author(PEOPLE, lang, ref.platform)
        if author is ref.author:
            continue
        kinds = RESPONSE_KINDS[ref.platform]
        kind = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        post = _respond(story, ref, author, at, kind)
        if post.kind == "reply":
            replies.append(post)
        written += 1


def _draw_weight(post: DemoPost) -> float:
    boost = {"official": 6.0, "claim": 4.0, "event": 1.5, "emergency": 0.6, "question": 0.8}
    weight = (post.author.followers + 20) ** 0.4 * boost.get(post.category, 1.0)
    if post.author.role in ("bot", "coordinated"):
        weight *= 0.15
    if post.kind == "reply":  # answers and comments draw less than what they answer
        weight *= 0.3
    if post.labels.get("statement") in (
        "official_crisis",
        "official_evacuation",
        "official_debunk",
    ):
        weight *= 2.0
    return weight


def _respond(story: Story, ref: DemoPost, author: DemoActor, at: float, kind: str) -> DemoPost:
    rng = story.rng
    asserts = ref.labels.get("stance") == "asserts"
    labels: dict[str, str] = {k: ref.labels[k] for k in ("claim", "variant") if k in ref.labels}
    if kind == "repost":
        if asserts:
            labels["stance"] = "asserts"
        return story.add(
            author,
            at,
            ref.lang,
            "",
            "claim" if asserts else "share",
            kind="repost",
            ref=ref,
            labels=labels if asserts else None,
        )
    if kind == "quote":
        if asserts:  # quoting a claim to spread it, with a copier's call to share
            body = rng.choice(BOOKS[author.lang].suffixes)
            labels["stance"] = "asserts"
        else:
            body, _, _, _ = story.text(author.lang, "quote_comment", author.platform)
        return story.add(
            author,
            at,
            author.lang,
            body,
            "claim" if asserts else "share",
            kind="quote",
            ref=ref,
            labels=labels if asserts else None,
        )
    category, reply_labels = "reply_general", {}
    roll = rng.random()
    if ref.category == "official":
        category = (
            "reply_support" if roll < 0.55 else "reply_critic" if roll < 0.85 else "reply_general"
        )
    elif asserts:
        if roll < 0.3:
            category, reply_labels = "claim_refute", {"claim": labels["claim"], "stance": "refutes"}
        elif roll < 0.45:
            category, reply_labels = "claim_doubt", {"claim": labels["claim"], "stance": "asks"}
    elif roll > 0.7:
        category = "reply_support" if roll > 0.85 else "reply_critic"
    body, _, _, _ = story.text(author.lang, category, author.platform)
    addressed = [ref.author] + [a for a in ref.addressed[:1] if a is not author]
    kind_of_post = category if category.startswith("claim_") else "reply"
    return story.add(
        author,
        at,
        author.lang,
        body,
        kind_of_post,
        kind="reply",
        ref=ref,
        labels=reply_labels,
        addressed=addressed,
    )
