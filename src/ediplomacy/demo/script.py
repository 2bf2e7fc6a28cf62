"""The storyline in order: who posts how much of what, then ids and engagement for every post."""

from __future__ import annotations

import math
from random import Random

from ediplomacy.demo.campaign import write_bots, write_claims, write_network
from ediplomacy.demo.cast import Cast
from ediplomacy.demo.ids import IdMaker, cid_for
from ediplomacy.demo.officials import write_answers, write_officials
from ediplomacy.demo.organic import (
    write_chatter,
    write_emergencies,
    write_event,
    write_questions,
    write_responses,
)
from ediplomacy.demo.story import Story
from ediplomacy.demo.timeline import Timeline

MIN_POSTS = 1_000
FULL_SIZE = 20_000  # the size the fixed parts of the scenario (groups, bots) are drawn for
ACTORS_PER_POST = 0.15

# Share of all posts for each part of the story; everyday chatter takes what is left.
SHARES = {
    "event": 0.12,
    "questions": 0.042,
    "emergencies": 0.016,
    "claims": 0.03,
    "doubts": 0.01,
    "refutes": 0.012,
    "fled": 0.004,
    "bots": 0.07,
    "responses": 0.30,
}


def write_story(cast: Cast, timeline: Timeline, rng: Random, ids: IdMaker, total: int) -> Story:
    """Exactly `total` posts, in time order, with platform ids and engagement counts."""
    story = Story(cast, timeline, rng, ids)
    scale = total / FULL_SIZE

    def share(part: str) -> int:
        return max(1, round(total * SHARES[part]))

    write_officials(story, scale)
    write_event(story, share("event"))
    write_questions(story, share("questions"))
    write_emergencies(story, share("emergencies"))
    write_claims(story, share("claims"), share("doubts"), share("refutes"), share("fled"))
    write_network(story, scale)
    write_bots(story, max(share("bots"), len(cast.bots)))
    write_answers(story)
    responses = share("responses")
    silent = sum(1 for actor in cast.actors if actor.n_posts == 0)
    chatter = total - len(story.posts) - responses
    if chatter < silent:  # every account posts at least once; answers to fewer posts
        responses -= silent - chatter
        chatter = silent
    if responses < 0:
        raise ValueError(f"{total} posts are too few for the scenario's fixed parts")
    write_chatter(story, chatter)
    write_responses(story, responses)
    _finish(story)
    return story


def _finish(story: Story) -> None:
    """Time order, then each platform's identifiers, then engagement counts."""
    story.posts.sort(key=lambda p: p.at)
    ids = story.ids
    for post in story.posts:
        author = post.author
        if author.platform == "x":
            post.external_id = post.local_id = ids.x_snowflake(post.at)
        elif author.platform == "bluesky":
            post.local_id = ids.tid(post.at)
            post.external_id = f"at://{author.external_id}/app.bsky.feed.post/{post.local_id}"
            post.url = f"https://bsky.app/profile/{author.handle}/post/{post.local_id}"
            post.cid = cid_for(f"{post.external_id}\n{post.body}".encode())
        else:  # importers key statuses by the id the server gave them, as the API does
            post.external_id = post.local_id = ids.mastodon_id(post.at)
            post.uri = f"https://{author.host}/users/{author.handle}/statuses/{post.local_id}"
            post.url = f"https://{author.host}/@{author.handle}/{post.local_id}"
            if post.kind == "repost":
                post.uri = post.url = f"{post.uri}/activity"
    _engagement(story)


def _engagement(story: Story) -> None:
    """Counts seen in the data, plus what the rest of the platform did, heavy-tailed by reach."""
    rng = story.rng
    for post in story.posts:
        if post.ref is None:
            continue
        if post.kind == "reply":
            post.ref.replies += 1
        elif post.kind == "repost":
            post.ref.reposts += 1
        else:
            post.ref.quotes += 1
    damping = {"bot": 0.05, "coordinated": 0.3}
    for post in story.posts:
        if post.kind == "repost":
            continue
        reach = post.author.followers
        outside = rng.lognormvariate(math.log(1 + reach * 0.002), 1.1)
        outside *= damping.get(post.author.role, 1.0)
        if post.labels.get("coord") == "seed" or post.labels.get("statement", "").endswith(
            ("crisis", "evacuation", "debunk")
        ):
            outside *= 2.5
        post.likes = int(outside + post.reposts * rng.uniform(1.0, 2.5))
        post.reposts += int(outside * rng.uniform(0.05, 0.25))
        post.replies += int(outside * rng.uniform(0.0, 0.06))
        post.quotes += int(outside * rng.uniform(0.0, 0.02))
        post.views = int((post.likes + 1) * rng.uniform(30, 120) + reach * rng.uniform(0.02, 0.2))
