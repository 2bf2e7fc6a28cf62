"""The disinformation: two false claims, the coordinated network that pushes one, and bots."""

from __future__ import annotations

import bisect

from ediplomacy.demo.model import Burst, DemoActor, DemoPost
from ediplomacy.demo.officials import CLAIM_FEE, CLAIM_FLED
from ediplomacy.demo.organic import PEOPLE
from ediplomacy.demo.story import Story
from ediplomacy.demo.timeline import DAY, HOUR

CLAIM_LANGS = (
    ("id", 0.35),
    ("en", 0.18),
    ("ms", 0.14),
    ("ar", 0.12),
    ("zh", 0.07),
    ("es", 0.07),
    ("fr", 0.07),
)
FLED_LANGS = (("id", 0.5), ("en", 0.3), ("ar", 0.2))
BOT_PERIODS = (600.0, 900.0, 1200.0, 1800.0, 3600.0, 7200.0)


def write_claims(story: Story, asserting: int, doubting: int, refuting: int, fled: int) -> None:
    """The public spreading, questioning and refuting the claims, each on its own curve."""
    rng = story.rng
    for _ in range(asserting):
        lang = story.language(CLAIM_LANGS)
        author = story.author(PEOPLE, lang)
        at = story.when("claim", author)
        body, _, index, _ = story.text(lang, "claim", author.platform)
        link = story.disinfo_link() if rng.random() < 0.35 else None
        labels = {"claim": CLAIM_FEE, "variant": f"{lang}-{index + 1}", "stance": "asserts"}
        story.add(author, at, lang, body, "claim", labels=labels, link=link)
    for count, category, phase, stance in (
        (doubting, "claim_doubt", "claim", "asks"),
        (refuting, "claim_refute", "refute", "refutes"),
    ):
        for _ in range(count):
            lang = story.language(CLAIM_LANGS)
            author = story.author(PEOPLE, lang)
            at = story.when(phase, author)
            body, _, _, _ = story.text(lang, category, author.platform)
            story.add(
                author, at, lang, body, category, labels={"claim": CLAIM_FEE, "stance": stance}
            )
    for _ in range(fled):
        lang = story.language(FLED_LANGS)
        author = story.author(PEOPLE, lang)
        at = story.when("claim2", author)
        body, _, index, _ = story.text(lang, "claim2", author.platform)
        labels = {"claim": CLAIM_FLED, "variant": f"{lang}-{index + 1}", "stance": "asserts"}
        story.add(author, at, lang, body, "claim", labels=labels)


def write_network(story: Story, scale: float) -> None:
    """Two groups: net-1 pushes a narrative, then the claim; net-2 is hired amplification."""
    rng = story.rng
    t = story.timeline
    net1 = story.cast.groups["net-1"]
    net2 = story.cast.groups["net-2"]
    x1 = [m for m in net1 if m.platform == "x"]
    x2 = [m for m in net2 if m.platform == "x"]
    sky2 = [m for m in net2 if m.platform == "bluesky"]
    fee = {"claim": CLAIM_FEE, "stance": "asserts"}
    for _ in range(max(2, round(6 * scale))):
        _burst(
            story,
            "net-1",
            net1,
            rng.choice(x1),
            rng.uniform(t.start + 8 * HOUR, t.quake - HOUR),
            "coord_narrative",
            {},
            near=rng.randint(2, 4),
            reposts=rng.randint(8, 14),
        )
    for _ in range(max(2, round(10 * scale))):
        t0 = rng.uniform(t.start + 6 * HOUR, t.end - 2 * HOUR)
        target = _recent(story, t0)
        if target is not None:
            _amplify(story, "net-2", net2, target, t0, rng.randint(min(6, len(x2)), len(x2)))
    # Patient zero: the first post of the claim comes from the network, at a fixed minute.
    _burst(
        story,
        "net-1",
        net1,
        x1[0],
        t.claim_start,
        "claim",
        fee,
        near=rng.randint(5, 8),
        reposts=rng.randint(12, 18),
    )
    for _ in range(max(3, round(16 * scale)) - 1):
        _burst(
            story,
            "net-1",
            net1,
            rng.choice(x1),
            story.clock.draw("claim", 7),
            "claim",
            fee,
            near=rng.randint(3, 6),
            reposts=rng.randint(8, 16),
        )
    for i in range(max(2, round(10 * scale))):
        t0 = max(story.clock.draw("claim", 3), t.claim_start + 1.5 * HOUR)
        if sky2 and i % 3 == 2:
            _burst(
                story,
                "net-2",
                net2,
                rng.choice(sky2),
                t0,
                "claim",
                fee,
                near=rng.randint(2, 3),
                reposts=0,
            )
        else:
            _burst(
                story,
                "net-2",
                net2,
                rng.choice(x2),
                t0,
                "claim",
                fee,
                near=rng.randint(1, 3),
                reposts=rng.randint(6, 10),
            )
    organic = [
        p
        for p in story.posts
        if p.platform == "x"
        and p.kind == "post"
        and p.labels.get("stance") == "asserts"
        and "group" not in p.labels
    ]
    for _ in range(max(2, round(6 * scale))):
        if not organic:
            break
        target = max(rng.sample(organic, min(5, len(organic))), key=lambda p: p.author.followers)
        start = story.later(target.at, 600, 0.8)
        if start is not None:
            _amplify(story, "net-1", net1, target, start, rng.randint(10, 18))


def _burst(
    story: Story,
    group: str,
    members: list[DemoActor],
    seeder: DemoActor,
    t0: float,
    category: str,
    labels: dict[str, str],
    *,
    near: int,
    reposts: int,
) -> None:
    """A seed post, near-duplicates seconds apart from its twins, then co-reposts of the seed."""
    rng = story.rng
    lang, platform = seeder.lang, seeder.platform
    burst = Burst(
        f"{group}-b{len(story.bursts) + 1:02d}",
        group,
        platform,
        "claim" if category == "claim" else "narrative",
    )
    body, _, index, _ = story.text(lang, category, platform)
    content = dict(labels)
    if category == "claim":
        content["variant"] = f"{lang}-{index + 1}"
    kind_of_post = "claim" if category == "claim" else "narrative"
    link = story.disinfo_link() if category == "claim" else None
    tag = {"group": group, "burst": burst.id}
    seed = story.add(
        seeder, t0, lang, body, kind_of_post, link=link, labels={**content, **tag, "coord": "seed"}
    )
    burst.posts.append(seed)
    twins = [m for m in members if m is not seeder and m.lang == lang and m.platform == platform]
    at = t0
    for twin in rng.sample(twins, min(near, len(twins))):
        at += rng.uniform(0.8, 4.0)
        copy = story.book.near_duplicate(
            body, lang, "#claim" if category == "claim" else "#country"
        )
        burst.posts.append(
            story.add(
                twin,
                at,
                lang,
                copy,
                kind_of_post,
                link=link,
                labels={**content, **tag, "coord": "near_duplicate"},
            )
        )
    story.bursts.append(burst)
    if reposts:
        _co_repost(story, burst, members, seed, t0, reposts)


def _amplify(
    story: Story, group: str, members: list[DemoActor], target: DemoPost, t0: float, reposts: int
) -> None:
    """Members repost someone else's post within seconds of one another."""
    burst = Burst(f"{group}-b{len(story.bursts) + 1:02d}", group, target.platform, "amplification")
    story.bursts.append(burst)
    _co_repost(story, burst, members, target, t0, reposts)


def _co_repost(
    story: Story, burst: Burst, members: list[DemoActor], target: DemoPost, t0: float, count: int
) -> None:
    rng = story.rng
    sharers = [m for m in members if m.platform == target.platform and m is not target.author]
    content: dict[str, str] = {
        k: target.labels[k] for k in ("claim", "variant", "stance") if k in target.labels
    }
    for member in rng.sample(sharers, min(count, len(sharers))):
        at = t0 + 2 + min(rng.expovariate(1 / 8), 88)
        labels = {**content, "group": burst.group, "burst": burst.id, "coord": "co_repost"}
        burst.posts.append(
            story.add(
                member,
                at,
                target.lang,
                "",
                "claim" if content else "share",
                kind="repost",
                ref=target,
                labels=labels,
            )
        )


def _recent(story: Story, t0: float) -> DemoPost | None:
    """A post by an outlet or a member of the public on X from the hours before `t0`."""
    recent = [
        p
        for p in story.posts
        if p.platform == "x"
        and p.kind == "post"
        and p.author.role in ("media", "public")
        and t0 - 6 * HOUR < p.at < t0
    ]
    return story.rng.choice(recent) if recent else None


def write_bots(story: Story, count: int) -> None:
    """Bots post at a fixed period, day and night; on X many retweet the claim once it starts."""
    rng = story.rng
    t = story.timeline
    bots = story.cast.bots
    shares = _apportion([rng.paretovariate(1.6) for _ in bots], count - len(bots))
    claims = sorted(
        (
            p
            for p in story.posts
            if p.platform == "x"
            and p.kind == "post"
            and p.labels.get("claim") == CLAIM_FEE
            and p.labels.get("stance") == "asserts"
        ),
        key=lambda p: p.at,
    )
    claim_times = [p.at for p in claims]
    for bot, extra in zip(bots, shares, strict=True):
        n = extra + 1
        fitting = [p for p in BOT_PERIODS if n * p <= 6.8 * DAY]
        period = rng.choice(fitting) if fitting else 6.8 * DAY / n
        bot.period_s = period
        begin = rng.uniform(t.start + 60, t.end - n * period - 60)
        for k in range(n):
            at = begin + k * period + rng.uniform(-2, 2)
            seen = bisect.bisect_left(claim_times, at)
            if bot.platform == "x" and at > t.claim_start and seen and rng.random() < 0.45:
                ref = claims[rng.randrange(seen)]
                labels = {k: ref.labels[k] for k in ("claim", "variant", "stance")}
                story.add(bot, at, ref.lang, "", "claim", kind="repost", ref=ref, labels=labels)
                continue
            relay = bot.declares_bot and at > t.quake
            category = "event_news" if relay else "bot_spam"
            body, _, _, _ = story.text(
                bot.lang, category, bot.platform, avoid="" if at > t.quake else "{#event}"
            )
            link = None
            if relay or rng.random() < 0.5:
                link = story.news_link(bot.lang, at, about_event=at > t.quake)
            story.add(bot, at, bot.lang, body, "bot", link=link)


def _apportion(shares: list[float], total: int) -> list[int]:
    """Whole numbers in proportion to `shares` that add up to `total` (largest remainder)."""
    if total <= 0:
        return [0] * len(shares)
    scaled = [s * total / sum(shares) for s in shares]
    whole = [int(x) for x in scaled]
    order = sorted(range(len(shares)), key=lambda i: scaled[i] - whole[i], reverse=True)
    for i in order[: total - sum(whole)]:
        whole[i] += 1
    return whole
