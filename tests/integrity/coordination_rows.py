"""Posts with planted coordinated groups, for the coordination tests (stored or as messages)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from random import Random

from sqlalchemy.engine import Engine

from ediplomacy.domain.posts import Post, Provenance
from ediplomacy.store import collections as collection_store
from ediplomacy.store.posts import upsert_posts
from ediplomacy.store.serialize import post_row

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
CLAIM = "The ministry charges every citizen 2000 dollars for a seat on the evacuation flight"


def post(external_id: str, author: str, seconds: float, **fields: object) -> Post:
    return Post(
        platform="x",
        external_id=external_id,
        text=str(fields.pop("text", "")),
        author_external_id=author,
        author_handle=f"h_{author}",
        created_at=T0 + timedelta(seconds=seconds),
        raw={"id": external_id},
        **fields,  # type: ignore[arg-type]
    )


def planted(groups: int = 2, members: int = 5, bursts: int = 6, seed: int = 1) -> list[Post]:
    """`groups` groups of `members` accounts (g1m0...) that repost, link and copy together a few
    seconds apart, `bursts` times each, among 40 ordinary accounts posting at random."""
    rng = Random(seed)
    posts: list[Post] = []
    serial = 0

    def next_id() -> str:
        nonlocal serial
        serial += 1
        return str(1000 + serial)

    for g in range(groups):
        accounts = [f"g{g + 1}m{k}" for k in range(members)]
        for burst in range(bursts):
            t0 = 3_600.0 * (burst + 1) + 600 * g
            seed_id = next_id()
            link = f"https://news.example/g{g}/{burst}"
            posts.append(post(seed_id, accounts[0], t0, text=f"{CLAIM} #g{g}", urls=[link]))
            for k, account in enumerate(accounts[1:], start=1):
                posts.append(post(next_id(), account, t0 + 2 * k, repost_of_external_id=seed_id))
                posts.append(post(next_id(), account, t0 + 3 * k, text=f"{CLAIM} #g{g} !{k}",
                                  urls=[link], hashtags=[f"g{g}"]))  # fmt: skip
    for _ in range(400):
        author = f"p{rng.randrange(40)}"
        at = rng.uniform(0, 8 * 3_600)
        if rng.random() < 0.3 and posts:
            posts.append(
                post(next_id(), author, at, repost_of_external_id=rng.choice(posts).external_id)
            )
        else:
            words = " ".join(rng.choice(("rain", "bus", "tea", "news", "city", "game", "park"))
                             for _ in range(8))  # fmt: skip
            posts.append(post(next_id(), author, at, text=f"{words} {rng.randrange(10**6)}"))
    return posts


def store(engine: Engine, posts: list[Post]) -> None:
    with engine.begin() as conn:
        collection_id = collection_store.start_collection(
            conn, name="t", kind="file", source="t.jsonl", fmt="x-v2", tool_version="0", now=T0
        )
        provenance = Provenance(collection_id, "t.jsonl:1", T0, "0")
        upsert_posts(conn, [post_row(p, provenance, str.lower, T0) for p in posts])
