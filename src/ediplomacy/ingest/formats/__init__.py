"""The input formats the importer understands, each a small parser with the same two methods."""

from __future__ import annotations

from typing import Any, Protocol

from ediplomacy.domain.errors import UnknownFormat
from ediplomacy.domain.posts import Parsed
from ediplomacy.ingest.formats.bluesky import BlueskyFormat
from ediplomacy.ingest.formats.csv_rows import CsvFormat
from ediplomacy.ingest.formats.mastodon import MastodonFormat
from ediplomacy.ingest.formats.rss import RssFormat
from ediplomacy.ingest.formats.x_v1 import XV1Format
from ediplomacy.ingest.formats.x_v2 import XV2Format
from ediplomacy.ingest.formats.youtube import YouTubeFormat


class Format(Protocol):
    """Turns one input record (an API page, a JSONL line, a CSV row) into Posts and Actors."""

    name: str

    def sniff(self, document: Any) -> bool:
        """Whether the record looks like this format."""
        ...

    def parse(self, document: Any) -> Parsed:
        """The record normalized; raises MalformedRecord when none of it is usable."""
        ...


FORMATS: dict[str, Format] = {
    "x-v2": XV2Format(),
    "x-v1": XV1Format(),
    "bluesky": BlueskyFormat(),
    "mastodon": MastodonFormat(),
    "youtube": YouTubeFormat(),
    "csv": CsvFormat(),
    "rss": RssFormat(),
}


def get_format(name: str) -> Format:
    """The parser for a format name; UnknownFormat naming the known ones otherwise."""
    try:
        return FORMATS[name]
    except (KeyError, TypeError):
        known = ", ".join(FORMATS)
        raise UnknownFormat(f"unknown format {name!r}; use one of: {known}") from None
