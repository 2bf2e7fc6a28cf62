"""The shapes shared by the coordination modules: networks, messages, events, edge lists."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from ediplomacy.domain.errors import EdiplomacyError

IntArray = npt.NDArray[np.int64]
CodeArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]

CNT_COLUMNS = (
    "message_id",
    "user_id",
    "username",
    "repost_id",
    "reply_id",
    "message",
    "timestamp",
    "urls",
)

# The toolkit's `message_preprocessor`: drop @mentions, lowercase, collapse whitespace.
_MENTION = re.compile(r"@.*?(?=(?:\s|$))")
HASHTAG = re.compile(r"#(\w+)")


class Network(StrEnum):
    CO_REPOST = "co-repost"
    CO_TWEET = "co-tweet"
    CO_LINK = "co-link"
    CO_HASHTAG = "co-hashtag"
    CO_REPLY = "co-reply"
    CO_SIMILAR = "co-similar"


# What a network's shared item is, for evidence and exports.
ITEM_KINDS = {
    Network.CO_REPOST: "post",
    Network.CO_TWEET: "text",
    Network.CO_LINK: "url",
    Network.CO_HASHTAG: "hashtag",
    Network.CO_REPLY: "post",
    Network.CO_SIMILAR: "text",
}


@dataclass(frozen=True)
class Message:
    """One post in the toolkit's terms; repost_id/reply_id are '' when absent."""

    message_id: str
    user_id: str
    username: str
    repost_id: str
    reply_id: str
    message: str
    timestamp: float
    urls: tuple[str, ...] = ()
    hashtags: tuple[str, ...] | None = None  # None: taken from the text
    post_id: int | None = None  # the database row, when read from the database


@dataclass(frozen=True)
class Problem:
    """A row that could not be read: which file, which line, why. The row is skipped."""

    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


@dataclass
class Reading:
    messages: list[Message] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Events:
    """One row per action on an item, with the account codes ranked by name.

    `owner` is what the weight counts (a message); `message` points into `message_ids` (for
    evidence); `key` into `key_names` (the shared item).
    """

    names: list[str]  # account keys, sorted: code i is names[i]
    user: IntArray
    key: IntArray
    time: FloatArray
    owner: IntArray
    message: IntArray
    key_names: Sequence[str]
    message_ids: Sequence[str]
    posts: int = 0  # messages read
    handles: list[str] | None = None  # display name per account code, when known
    post_ids: Sequence[int] | None = None  # database row per message (-1: none), when known

    def __len__(self) -> int:
        return len(self.user)

    @classmethod
    def empty(cls, names: list[str] | None = None, posts: int = 0) -> Events:
        nothing = np.empty(0, np.int64)
        return cls(names or [], nothing, nothing, np.empty(0, np.float64), nothing, nothing,
                   [], [], posts)  # fmt: skip


@dataclass
class Edges:
    """A directed weighted edge list, sorted by (user_1, user_2); codes index `names`."""

    names: list[str]
    first: CodeArray
    second: CodeArray
    weight: CodeArray
    users: int = 0  # accounts that took part in at least one event
    events: int = 0

    def __len__(self) -> int:
        return len(self.weight)

    def rows(self) -> Iterator[tuple[str, str, int]]:
        names = self.names
        for a, b, w in zip(self.first.tolist(), self.second.tolist(), self.weight.tolist(),
                           strict=True):  # fmt: skip
            yield names[a], names[b], w

    def node_codes(self) -> CodeArray:
        return np.unique(np.concatenate([self.first, self.second]))

    def nodes(self) -> set[str]:
        return {self.names[code] for code in self.node_codes().tolist()}

    @classmethod
    def empty(cls, names: list[str] | None = None) -> Edges:
        nothing = np.empty(0, np.int32)
        return cls(names or [], nothing, nothing, nothing)


def normalise_text(text: str) -> str:
    """The toolkit's co-tweet key: mentions removed, lowercased, whitespace collapsed."""
    return " ".join(_MENTION.sub("", text.lower()).split())


def hashtags_of(text: str) -> list[str]:
    """Hashtags of a text, lowercased, first use first, each once."""
    return list(dict.fromkeys(tag.lower() for tag in HASHTAG.findall(text)))


def split_urls(field_text: str, *, compat: bool = False) -> tuple[str, ...]:
    """Space-separated URLs; `compat` keeps the toolkit's empty URL ''."""
    if compat:
        return tuple(field_text.split(" "))
    return tuple(part for part in field_text.split(" ") if part)


def check_parameters(window: float, min_weight: int) -> None:
    if window < 0:
        raise EdiplomacyError("the window must be 0 seconds or more")
    if min_weight < 1:
        raise EdiplomacyError("the minimum weight must be 1 or more")


class Codes(dict[str, int]):
    """Strings to dense integer codes, in order of first appearance."""

    def code(self, value: str) -> int:
        found = self.get(value)
        if found is None:
            found = self[value] = len(self)
        return found


def ranks(names: Sequence[str]) -> tuple[list[str], IntArray]:
    """The names sorted (code point order, as SQLite and the toolkit sort them), and the new
    code of each old one."""
    order = sorted(range(len(names)), key=names.__getitem__)
    rank = np.empty(len(names), dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(names), dtype=np.int64)
    return [names[i] for i in order], rank
