"""A post's text as pieces (plain text, mentions, hashtags, links) that each format lays out."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ediplomacy.demo.model import DemoActor, DemoPost

_TOKEN = re.compile(r"@@(\d+)|#(\w+)")
_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@dataclass(frozen=True, slots=True)
class Piece:
    kind: str  # text | mention | hashtag | link
    text: str  # plain text, the tag without '#', or the expanded URL
    actor: DemoActor | None = None


def pieces(post: DemoPost, actors: list[DemoActor], *, addressed: bool) -> list[Piece]:
    """The post's text in order; `addressed` puts a reply's @mentions first (X, Mastodon)."""
    out: list[Piece] = []
    if addressed:
        for actor in post.addressed:
            out += [Piece("mention", "", actor), Piece("text", " ")]
    position = 0
    for match in _TOKEN.finditer(post.body):
        if match.start() > position:
            out.append(Piece("text", post.body[position : match.start()]))
        if match.group(1) is not None:
            out.append(Piece("mention", "", actors[int(match.group(1))]))
        else:
            out.append(Piece("hashtag", match.group(2)))
        position = match.end()
    if position < len(post.body):
        out.append(Piece("text", post.body[position:]))
    if post.link:
        out += [Piece("text", " "), Piece("link", post.link)]
    return out


def stable_code(seed: str, length: int) -> str:
    """A code of letters and digits that depends only on `seed` (t.co paths, cursors)."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    return "".join(_ALNUM[b % len(_ALNUM)] for b in digest[:length])


def fraction(seed: str) -> float:
    """A number in [0, 1) that depends only on `seed`."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def coin(seed: str, share: float) -> bool:
    """True for about `share` of all seeds, always the same for one seed."""
    return fraction(seed) < share


def display_url(url: str, limit: int = 26, ellipsis: str = "…") -> str:
    """The URL as clients show it: no scheme, cut after `limit` characters."""
    bare = url.split("://", 1)[-1]
    return bare if len(bare) <= limit else bare[:limit] + ellipsis


def card_title(url: str) -> str:
    """A page title for a link card, made from the last part of the URL's path."""
    parts = urlsplit(url)
    slug = parts.path.rstrip("/").rsplit("/", 1)[-1] or parts.netloc
    words = [w for w in re.split(r"[-_]+", slug) if not w.isdigit()]
    return " ".join(words).capitalize() or parts.netloc
