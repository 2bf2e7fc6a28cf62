"""Mastodon timeline pages: one JSON array of up to 40 Status entities a line, newest first."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ediplomacy.demo.model import DemoActor, DemoPost
from ediplomacy.demo.render import card_title, coin, pieces
from ediplomacy.demo.world import VIEWER_HOST

PAGE_SIZE = 40


def iso_masto(at: float) -> str:
    moment = datetime.fromtimestamp(at, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def escape(text: str) -> str:
    """HTML-escape text the way Mastodon renders it."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def acct(actor: DemoActor) -> str:
    return actor.handle if actor.host == VIEWER_HOST else f"{actor.handle}@{actor.host}"


def account(actor: DemoActor, last_status: float) -> dict[str, Any]:
    avatar = (
        f"https://{VIEWER_HOST}/system/accounts/avatars/"
        f"{'/'.join(actor.local_id[i : i + 3] for i in range(0, 18, 3))}/original/avatar.png"
    )
    return {
        "id": actor.local_id,
        "username": actor.handle,
        "acct": acct(actor),
        "display_name": actor.name,
        "locked": False,
        "bot": actor.declares_bot,
        "discoverable": True,
        "indexable": True,
        "group": False,
        "created_at": datetime.fromtimestamp(actor.created_at, UTC).strftime(
            "%Y-%m-%dT00:00:00.000Z"
        ),
        "note": f"<p>{escape(actor.bio)}</p>" if actor.bio else "",
        "url": actor.external_id,
        "uri": f"https://{actor.host}/users/{actor.handle}",
        "avatar": avatar,
        "avatar_static": avatar,
        "header": f"https://{VIEWER_HOST}/headers/original/missing.png",
        "header_static": f"https://{VIEWER_HOST}/headers/original/missing.png",
        "followers_count": actor.followers,
        "following_count": actor.following,
        "statuses_count": actor.statuses,
        "last_status_at": datetime.fromtimestamp(last_status, UTC).strftime("%Y-%m-%d"),
        "emojis": [],
        "fields": [],
    }


class MastodonWriter:
    """Statuses with HTML content, mention and hashtag links, reblogs, replies and link cards."""

    def __init__(self, actors: list[DemoActor], week_end: float) -> None:
        self.actors = actors
        self.week_end = week_end

    def write(self, path: Path, posts: list[DemoPost]) -> int:
        newest_first = [p for p in reversed(posts) if p.platform == "mastodon"]
        with path.open("w", encoding="utf-8") as out:
            for first in range(0, len(newest_first), PAGE_SIZE):
                page = [self.status(p) for p in newest_first[first : first + PAGE_SIZE]]
                out.write(json.dumps(page, ensure_ascii=False, separators=(",", ":")) + "\n")
        return len(newest_first)

    def status(self, post: DemoPost) -> dict[str, Any]:
        reblog = post.kind == "repost" and post.ref is not None
        html, mentions, tags = ("", [], []) if reblog else self._content(post)
        replying = post.kind == "reply" and post.ref is not None
        status: dict[str, Any] = {
            "id": post.local_id,
            "created_at": iso_masto(post.at),
            "in_reply_to_id": post.ref.local_id if replying and post.ref else None,
            "in_reply_to_account_id": post.ref.author.local_id if replying and post.ref else None,
            "sensitive": False,
            "spoiler_text": "",
            "visibility": "public",
            "language": None if reblog else post.lang,
            "uri": post.uri,
            "url": post.url,
            "replies_count": post.replies,
            "reblogs_count": post.reposts,
            "favourites_count": post.likes,
            "quotes_count": 0,
            "edited_at": None,
            "favourited": False,
            "reblogged": False,
            "muted": False,
            "bookmarked": False,
            "content": html,
            "filtered": [],
            "reblog": self.status(post.ref) if reblog and post.ref else None,
        }
        if post.author.host == VIEWER_HOST:
            status["application"] = {"name": "Web", "website": None}
        status.update(
            {
                "account": account(post.author, self.week_end),
                "media_attachments": [],
                "mentions": mentions,
                "tags": tags,
                "emojis": [],
                "card": self._card(post) if post.link and not reblog else None,
                "poll": None,
            }
        )
        return status

    def _content(self, post: DemoPost) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
        html: list[str] = []
        mentions: dict[str, dict[str, Any]] = {}
        tags: dict[str, dict[str, Any]] = {}
        for piece in pieces(post, self.actors, addressed=True):
            if piece.kind == "mention" and piece.actor is not None:
                who = piece.actor
                html.append(
                    f'<span class="h-card" translate="no"><a href="{who.external_id}" '
                    f'class="u-url mention">@<span>{who.handle}</span></a></span>'
                )
                mentions.setdefault(
                    who.external_id,
                    {
                        "id": who.local_id,
                        "username": who.handle,
                        "url": who.external_id,
                        "acct": acct(who),
                    },
                )
            elif piece.kind == "hashtag":
                html.append(
                    f'<a href="https://{post.author.host}/tags/{piece.text}" '
                    f'class="mention hashtag" rel="tag">#<span>{piece.text}</span></a>'
                )
                name = piece.text.lower()
                tags.setdefault(name, {"name": name, "url": f"https://{VIEWER_HOST}/tags/{name}"})
            elif piece.kind == "link":
                html.append(_link_html(piece.text))
            else:
                html.append(escape(piece.text).replace("\n", "<br />"))
        return f"<p>{''.join(html)}</p>", list(mentions.values()), list(tags.values())

    def _card(self, post: DemoPost) -> dict[str, Any] | None:
        if post.link is None or not coin(post.external_id, 0.6):
            return None
        host = post.link.split("://", 1)[-1].split("/", 1)[0]
        return {
            "url": post.link,
            "title": card_title(post.link),
            "description": "",
            "language": post.lang,
            "type": "link",
            "author_name": "",
            "author_url": "",
            "provider_name": host,
            "provider_url": "",
            "html": "",
            "width": 0,
            "height": 0,
            "image": None,
            "image_description": "",
            "embed_url": "",
            "blurhash": None,
            "published_at": None,
            "authors": [],
        }


def _link_html(url: str) -> str:
    """Mastodon's link markup: scheme hidden, the first 30 characters shown, the rest hidden."""
    scheme, rest = url.split("://", 1)
    shown, hidden = rest[:30], rest[30:]
    return (
        f'<a href="{escape(url)}" target="_blank" rel="nofollow noopener" translate="no">'
        f'<span class="invisible">{scheme}://</span>'
        f'<span class="{"ellipsis" if hidden else ""}">{escape(shown)}</span>'
        f'<span class="invisible">{escape(hidden)}</span></a>'
    )
