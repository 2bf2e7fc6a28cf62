"""X tweet entities and media, read the same way for the v2 and v1.1 shapes where they agree."""

from __future__ import annotations

from typing import Any

from ediplomacy.domain.posts import Media
from ediplomacy.ingest.formats.building import count, text_or_none

_MEDIA_KINDS = {"photo": "photo", "video": "video", "animated_gif": "animated_gif"}


def unescape_text(text: str) -> str:
    """Tweet text with the three HTML entities X escapes turned back into characters."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def read_entities(
    entities: dict[str, Any],
    tweet_id: str,
    hashtags: list[str],
    mentions: list[str],
    urls: list[str],
) -> None:
    """Hashtags (cashtags with their '$'), mentioned usernames and links of a tweet."""
    for hashtag in entities.get("hashtags") or ():
        tag = hashtag.get("tag")
        if type(tag) is str and tag:
            hashtags.append(tag)
    cashtags = entities.get("cashtags")
    if cashtags:
        for cashtag in cashtags:
            tag = cashtag.get("tag")
            if type(tag) is str and tag:
                hashtags.append("$" + tag)
    for mention in entities.get("mentions") or ():
        username = mention.get("username")
        if type(username) is str and username:
            mentions.append(username)
    links = entities.get("urls")
    if links:
        own_link = "/i/web/status/" + tweet_id  # "read more" link of a long tweet to itself
        for link in links:
            if "media_key" in link or (link.get("display_url") or "").startswith(
                ("pic.twitter.com/", "pic.x.com/")
            ):
                continue  # the t.co link to the tweet's own photo or video
            address = link.get("unwound_url") or link.get("expanded_url") or link.get("url")
            if type(address) is str and address and not address.endswith(own_link):
                urls.append(address)


def read_media(attachments: dict[str, Any], by_key: dict[str, dict[str, Any]]) -> list[Media]:
    """Photos, videos and GIFs attached to a tweet, inlined (flatten) or from the includes."""
    found = attachments.get("media")
    if not isinstance(found, list):
        found = [by_key[key] for key in attachments.get("media_keys") or () if key in by_key]
    media = []
    for item in found:
        if not isinstance(item, dict):
            continue
        url = text_or_none(item.get("url"))
        if url is None:
            best = -1
            for variant in item.get("variants") or ():
                rate = count(variant.get("bit_rate")) or 0
                if variant.get("content_type") == "video/mp4" and rate > best:
                    best, url = rate, text_or_none(variant.get("url"))
        kind = item.get("type")
        media.append(
            Media(
                kind=_MEDIA_KINDS.get(kind, "other") if type(kind) is str else "other",
                url=url,
                preview_url=text_or_none(item.get("preview_image_url")),
                alt_text=text_or_none(item.get("alt_text")),
            )
        )
    return media
