"""The demo's own records: accounts and posts before they are written in any platform's format."""

from __future__ import annotations

from dataclasses import dataclass, field

PLATFORMS = ("x", "bluesky", "mastodon")


@dataclass(slots=True, eq=False)
class DemoActor:
    """One fictional account on one platform."""

    index: int
    platform: str  # x | bluesky | mastodon
    role: str  # official | public | citizen_abroad | media | coordinated | bot
    lang: str
    tz: int  # hours east of UTC where the account lives
    handle: str  # X username, Bluesky handle, Mastodon username
    name: str
    bio: str
    location: str
    created_at: float  # epoch seconds
    followers: int
    following: int
    statuses: int
    listed: int
    weight: float  # how much this account posts, relative to its pool
    external_id: str = ""  # X user id, Bluesky DID, Mastodon account URL
    local_id: str = ""  # Mastodon account id on the instance the data came from
    host: str = ""  # Mastodon instance of the account
    verified: bool = False
    declares_bot: bool = False  # Mastodon's `bot` flag, set by honest automated accounts
    group: str | None = None  # coordination group, for coordinated accounts
    org: str | None = None  # which mission or office, for official accounts
    app: str = ""  # X `source`: the client the account posts with
    period_s: float = 0.0  # for bots: the fixed interval between their posts
    n_posts: int = 0


@dataclass(slots=True, eq=False)
class DemoPost:
    """One post, reply, repost or quote; text may hold `@@<actor index>` mention placeholders."""

    author: DemoActor
    at: float  # epoch seconds, millisecond precision
    lang: str
    body: str
    kind: str = "post"  # post | reply | repost | quote
    ref: DemoPost | None = None  # the post replied to, reposted or quoted
    addressed: list[DemoActor] = field(default_factory=list)  # leading @mentions of a reply
    link: str | None = None
    category: str = "chatter"
    labels: dict[str, str] = field(default_factory=dict)
    place: str | None = None  # key into world.PLACES, for X posts with a place
    # filled in once the story is complete
    external_id: str = ""
    local_id: str = ""  # X tweet id, Bluesky rkey, Mastodon status id
    cid: str = ""  # Bluesky
    uri: str = ""  # Mastodon: the ActivityPub id of the status
    url: str = ""
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    quotes: int = 0
    views: int = 0

    @property
    def platform(self) -> str:
        return self.author.platform

    @property
    def root(self) -> DemoPost:
        """The first post of the conversation this post belongs to."""
        post = self
        while post.kind == "reply" and post.ref is not None:
            post = post.ref
        return post


Template = str | tuple[str, str]  # a text, or (label, text) where the label is ground truth


@dataclass(frozen=True, slots=True)
class Phrases:
    """Everything written in one language: templates by category, slot values, names, bios."""

    lang: str
    slots: dict[str, tuple[str, ...]]
    phrases: dict[str, tuple[Template, ...]]
    openers: tuple[str, ...]  # how people start a post, now and then
    closers: tuple[str, ...]  # and how they end one
    suffixes: tuple[str, ...]  # what a copier appends to a near-duplicate
    swaps: tuple[tuple[str, str], ...]  # words a copier swaps for one another
    first_names: tuple[str, ...]  # "display/roman" where the script is not Latin
    last_names: tuple[str, ...]
    bios: tuple[str, ...]
    locations: tuple[str, ...]


@dataclass(slots=True, eq=False)
class Burst:
    """Posts a coordinated group put out together: a seed, near-duplicates, co-reposts."""

    id: str
    group: str
    platform: str
    topic: str  # narrative | amplification | claim
    posts: list[DemoPost] = field(default_factory=list)
