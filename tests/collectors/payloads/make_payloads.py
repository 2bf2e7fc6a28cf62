"""Rebuild the recorded payloads of tests/collectors from ../shared/data/formats (run once by hand).

Every file keeps the platform's own wire format; README.md says what was cut or added.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).parent
SHARED = Path(sys.argv[1] if len(sys.argv) > 1 else HERE.parents[3] / "shared" / "data" / "formats")


def write(name: str, value: object) -> None:
    path = HERE / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n")


def includes_for(tweets: list[dict], includes: dict) -> dict:
    """The expansions a page of these tweets refers to, as X would send them."""
    referenced = {ref["id"] for tweet in tweets for ref in tweet.get("referenced_tweets", [])}
    quoted = [tweet for tweet in includes.get("tweets", []) if tweet["id"] in referenced]
    authors = {tweet.get("author_id") for tweet in tweets + quoted}
    authors |= {m.get("id") for t in tweets for m in t.get("entities", {}).get("mentions", [])}
    media = {key for t in tweets + quoted for key in t.get("attachments", {}).get("media_keys", [])}
    polls = {key for t in tweets for key in t.get("attachments", {}).get("poll_ids", [])}
    kept = {
        "users": [user for user in includes.get("users", []) if user["id"] in authors],
        "tweets": quoted,
        "media": [item for item in includes.get("media", []) if item["media_key"] in media],
        "polls": [poll for poll in includes.get("polls", []) if poll["id"] in polls],
    }
    return {name: items for name, items in kept.items() if items}


def main() -> None:
    search = json.loads((SHARED / "bluesky/bskyr/searchPosts.json").read_text())
    search["posts"].sort(key=lambda post: post["indexedAt"], reverse=True)
    write("bluesky/searchPosts.json", search)
    shutil.copy(
        SHARED / "bluesky/jetstream/jetstream_v1_events_150frames.jsonl",
        HERE / "bluesky/jetstream_events.jsonl",
    )
    statuses = [
        json.loads(path.read_text())
        for path in sorted((SHARED / "mastodon/mastodon-py").glob("status_1*.json"))
        if "_" not in path.stem[7:]
    ]
    statuses.sort(key=lambda status: int(status["id"]), reverse=True)
    write("mastodon/timeline.json", statuses)
    page = json.loads((SHARED / "x-v2/twarc-csv/brexit.jsonl").read_text().splitlines()[0])
    page.pop("__twarc", None)
    page["data"] = page["data"][:30]
    page["includes"] = includes_for(page["data"], page["includes"])
    write("x/search_recent.json", page)
    shutil.copy(
        SHARED / "x-v2/twarc-csv/streaming_output_with_error.jsonl",
        HERE / "x/filtered_stream.jsonl",
    )
    for number in (1, 2):
        name = f"comment_threads_by_video_paged_{number}.json"
        shutil.copy(
            SHARED / "youtube/python-youtube/comment_threads" / name, HERE / "youtube" / name
        )
    for name in ("heise.atom.xml", "uolNoticias.rss.xml"):
        shutil.copy(SHARED / "rss/rss-parser" / name, HERE / "rss" / name)


if __name__ == "__main__":
    main()
