"""Many X v2 posts, fast and in constant memory, for the ingest benchmark.

Texts, users and entity lists are rendered once into JSON fragments; each tweet is then one
string format. Pages are twarc2 search pages of 100 tweets with `includes.users` (and
`includes.tweets` for the retweeted and replied-to originals), oldest page first.
"""

from __future__ import annotations

import json
from collections import deque
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random
from typing import TextIO

from ediplomacy.demo.phrasebook import BOOKS, Phrasebook
from ediplomacy.demo.world import LANGUAGES

_X_EPOCH_MS = 1288834974657
_WEEK_S = 7 * 86_400
_PAGE = 100
_TEXTS = 4_000
_MAX_USERS = 50_000
_GROUP_SIZE = 20
_CATEGORIES = ("chatter", "event_news", "event_solidarity", "claim", "reply_general", "bot_spam")
_APPS = ("Twitter for Android", "Twitter for iPhone", "Twitter Web App")
_START = datetime(2026, 11, 16, tzinfo=UTC)
_TWEET = (
    '{"id": "%s", "text": %s, "author_id": "%s", "created_at": "%s", "conversation_id": "%s", '
    '"lang": "%s", "public_metrics": {"retweet_count": %d, "reply_count": %d, "like_count": %d, '
    '"quote_count": 0, "impression_count": %d}, "possibly_sensitive": false, '
    '"reply_settings": "everyone", "source": "%s", "edit_history_tweet_ids": ["%s"]%s}'
)


class _Text:
    """One text, its language, its hashtags as (start, end, tag), and its `entities` member."""

    __slots__ = ("entities", "json", "lang", "tags", "text")

    def __init__(self, text: str, lang: str) -> None:
        self.text = text
        self.lang = lang
        self.json = json.dumps(text)
        self.tags: list[tuple[int, int, str]] = []
        for word_start, word in _words(text):
            if word.startswith("#") and len(word) > 1:
                self.tags.append((word_start, word_start + len(word), word[1:]))
        self.entities = _entities(self.tags, 0, None, 0)


def _words(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for part in text.split(" "):
        out.append((start, part.rstrip(".,!?")))
        start += len(part) + 1
    return out


def _entities(
    tags: list[tuple[int, int, str]], shift: int, mention: tuple[str, str] | None, at: int
) -> str:
    """The `entities` member: hashtags moved by `shift`, and one mention starting at `at`."""
    parts = []
    if tags:
        parts.append('"hashtags": [' + ", ".join(
            f'{{"start": {s + shift}, "end": {e + shift}, "tag": {json.dumps(t)}}}'
            for s, e, t in tags) + "]")  # fmt: skip
    if mention:
        handle, user_id = mention
        parts.append(f'"mentions": [{{"start": {at}, "end": {at + len(handle) + 1}, '
                     f'"username": "{handle}", "id": "{user_id}"}}]')  # fmt: skip
    return ', "entities": {' + ", ".join(parts) + "}" if parts else ""


class _Users:
    """A fixed pool of accounts, each rendered once as an `includes.users` object."""

    def __init__(self, rng: Random, count: int, groups: int) -> None:
        self.ids: list[str] = []
        self.handles: list[str] = []
        self.json: list[str] = []
        for index in range(count):
            member = index - (count - groups * _GROUP_SIZE)
            if member >= 0:  # the last accounts form the coordinated groups
                handle = f"net{member // _GROUP_SIZE + 1}_member{member % _GROUP_SIZE:02d}"
            else:
                book = BOOKS[rng.choice(LANGUAGES)]
                first = rng.choice(book.first_names).split("/")[-1]
                handle = f"{first.lower()}{index}"[:15]
            user_id = str(10_000_000 + index * 7919 + rng.randrange(7919))
            created = _START - timedelta(days=rng.randint(30, 6000))
            self.ids.append(user_id)
            self.handles.append(handle)
            self.json.append(json.dumps({
                "id": user_id, "username": handle, "name": handle.capitalize(),
                "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "description": "",
                "public_metrics": {"followers_count": int(rng.paretovariate(1.2) * 40),
                                   "following_count": rng.randint(10, 900),
                                   "tweet_count": rng.randint(10, 50_000), "listed_count": 0},
                "protected": False, "verified": False, "url": "",
            }))  # fmt: skip


def _texts(rng: Random) -> list[_Text]:
    """Texts from the demo's phrasebooks; mentions of offices are written as plain names."""
    book = Phrasebook(rng)
    texts = []
    for _ in range(_TEXTS):
        lang = rng.choice(LANGUAGES)
        category = rng.choice([c for c in _CATEGORIES if book.has(lang, c)])
        _, template, _ = book.pick(lang, category)
        texts.append(_Text(book.fill(template, lang), lang))
    return texts


def _stamp(second: int, days: list[str]) -> str:
    day, rest = divmod(second, 86_400)
    hour, rest = divmod(rest, 3_600)
    return f"{days[day]}T{hour:02d}:{rest // 60:02d}:{rest % 60:02d}.000Z"


class _Original:
    """A tweet others can retweet or reply to: its id, author, text and rendered JSON."""

    __slots__ = ("author", "id", "json", "text")

    def __init__(self, tweet_id: str, author: int, text: _Text, rendered: str) -> None:
        self.id = tweet_id
        self.author = author
        self.text = text
        self.json = rendered


class _BulkWriter:
    """Renders tweets from the pools and writes them out a page at a time."""

    def __init__(self, out: TextIO, seed: int, n_posts: int, groups: int) -> None:
        self.out = out
        self.rng = Random(seed)
        self.book = Phrasebook(self.rng)
        self.texts = _texts(self.rng)
        pool = min(_MAX_USERS, max(1_000, n_posts // 20))
        self.users = _Users(self.rng, pool + groups * _GROUP_SIZE, groups)
        self.ordinary = pool
        self.groups = groups
        self.start_s = int(_START.timestamp())
        self.days = [(_START + timedelta(days=d)).strftime("%Y-%m-%d") for d in range(8)]
        self.recent: deque[_Original] = deque(maxlen=500)
        self.page: list[tuple[str, int, _Original | None]] = []
        self.written = 0

    def run(self, n_posts: int) -> None:
        rng = self.rng
        burst_every = max(200, n_posts // (self.groups * 40)) if self.groups else 0
        step = _WEEK_S / max(n_posts, 1)
        clock = float(self.start_s)
        while self.written < n_posts:
            clock += step * rng.uniform(0.5, 1.5)
            if burst_every and self.written % burst_every == burst_every - 1:
                clock = self.burst(clock, n_posts - self.written)
                continue
            author = int(rng.random() * self.ordinary)
            roll = rng.random()
            if roll < 0.3 and self.recent:
                ref = self.recent[int(rng.random() * len(self.recent))]
                self.emit(self.retweet(clock, author, ref), author, ref)
            elif roll < 0.45 and self.recent:
                ref = self.recent[int(rng.random() * len(self.recent))]
                text = self.texts[int(rng.random() * len(self.texts))]
                self.emit(self.reply(clock, author, text, ref), author, ref)
            else:
                self.original(clock, author, self.texts[int(rng.random() * len(self.texts))])
        if self.page:
            self.out.write(_page(self.page, self.users))

    def emit(self, rendered: str, author: int, ref: _Original | None = None) -> None:
        self.page.append((rendered, author, ref))
        self.written += 1
        if len(self.page) == _PAGE:
            self.out.write(_page(self.page, self.users))
            self.page.clear()

    def original(self, at: float, author: int, text: _Text, body: str | None = None) -> _Original:
        tweet_id, stamp = self._id_and_stamp(at)
        shown = text if body is None else _Text(body, text.lang)
        likes = int(self.rng.paretovariate(1.4)) - 1
        rendered = _TWEET % (
            tweet_id, shown.json, self.users.ids[author], stamp, tweet_id, text.lang,
            likes // 4, likes // 10, likes, likes * 37 + 20, _APPS[self.written % 3], tweet_id,
            shown.entities,
        )  # fmt: skip
        made = _Original(tweet_id, author, shown, rendered)
        self.recent.append(made)
        self.emit(rendered, author)
        return made

    def retweet(self, at: float, author: int, ref: _Original) -> str:
        tweet_id, stamp = self._id_and_stamp(at)
        handle = self.users.handles[ref.author]
        prefix = f"RT @{handle}: "
        full = prefix + ref.text.text
        text = full if len(full) <= 140 else full[:139] + "…"
        room = len(text) - 1 if len(full) > 140 else len(text)  # a hashtag cut short is dropped
        tags = [tag for tag in ref.text.tags if tag[1] + len(prefix) <= room]
        extra = _entities(tags, len(prefix), (handle, self.users.ids[ref.author]), 3)
        extra += f', "referenced_tweets": [{{"type": "retweeted", "id": "{ref.id}"}}]'
        return _TWEET % (
            tweet_id, json.dumps(text), self.users.ids[author], stamp, tweet_id, ref.text.lang,
            self.rng.randrange(40), 0, 0, 0, _APPS[self.written % 3], tweet_id, extra,
        )  # fmt: skip

    def reply(self, at: float, author: int, text: _Text, ref: _Original) -> str:
        tweet_id, stamp = self._id_and_stamp(at)
        handle = self.users.handles[ref.author]
        extra = _entities(text.tags, len(handle) + 2, (handle, self.users.ids[ref.author]), 0)
        extra += (
            f', "referenced_tweets": [{{"type": "replied_to", "id": "{ref.id}"}}], '
            f'"in_reply_to_user_id": "{self.users.ids[ref.author]}"'
        )
        likes = int(self.rng.paretovariate(1.6)) - 1
        return _TWEET % (
            tweet_id, json.dumps(f"@{handle} {text.text}"), self.users.ids[author], stamp, ref.id,
            text.lang, 0, 0, likes, likes * 31 + 10, _APPS[self.written % 3], tweet_id, extra,
        )  # fmt: skip

    def burst(self, clock: float, room: int) -> float:
        """One group posts a text and near-duplicates of it within seconds, and co-retweets it."""
        rng = self.rng
        group = rng.randrange(self.groups)
        first = self.ordinary + group * _GROUP_SIZE
        members = list(range(first, first + _GROUP_SIZE))
        rng.shuffle(members)
        text = self.texts[int(rng.random() * len(self.texts))]
        seed = self.original(clock, members[0], text)
        at = clock
        for index in range(1, min(room, rng.randint(8, 14))):
            at += rng.uniform(0.8, 4.0)
            member = members[index % len(members)]
            if index % 2:
                self.original(at, member, text, self.book.near_duplicate(text.text, text.lang))
            else:
                self.emit(self.retweet(at, member, seed), member, seed)
        return at

    def _id_and_stamp(self, at: float) -> tuple[str, str]:
        """A snowflake id (the running count in its low bits keeps it unique) and created_at."""
        ms = int(at * 1000)
        tweet_id = str(((ms - _X_EPOCH_MS) << 22) | (self.written & 0x3FFFFF))
        return tweet_id, _stamp(int(at) - self.start_s, self.days)


def write_x_v2_bulk(
    path: Path, n_posts: int, *, seed: int = 1, coordinated_groups: int = 0
) -> None:
    """Streams `n_posts` X v2 posts to `path` as twarc2 pages of 100, in constant memory.

    With `coordinated_groups`, that many groups of 20 accounts (usernames `net<g>_member<nn>`)
    post near-duplicates and co-retweets seconds apart, a burst every few hundred posts.
    """
    with path.open("w", encoding="utf-8") as out:
        _BulkWriter(out, seed, n_posts, coordinated_groups).run(n_posts)


def _page(page: list[tuple[str, int, _Original | None]], users: _Users) -> str:
    authors: dict[int, None] = {}
    originals: dict[str, None] = {}
    for _, author, ref in page:
        authors[author] = None
        if ref is not None:
            authors[ref.author] = None
            originals[ref.json] = None
    first_id = page[0][0].split('"', 4)[3]
    last_id = page[-1][0].split('"', 4)[3]
    includes = '"users": [' + ", ".join(users.json[i] for i in authors) + "]"
    if originals:
        includes += ', "tweets": [' + ", ".join(originals) + "]"
    return (
        '{"data": [' + ", ".join(t for t, _, _ in page) + '], "includes": {' + includes + "}, "
        f'"meta": {{"newest_id": "{last_id}", "oldest_id": "{first_id}", '
        f'"result_count": {len(page)}}}, '
        '"__twarc": {"url": "https://api.twitter.com/2/tweets/search/all", '
        '"version": "2.14.0", "retrieved_at": "2026-11-23T03:00:00+00:00"}}\n'
    )
