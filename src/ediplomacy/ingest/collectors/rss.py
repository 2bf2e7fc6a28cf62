"""RSS and Atom news feeds, fetched with conditional requests (ETag, Last-Modified)."""

from __future__ import annotations

import hashlib
from collections.abc import Generator
from typing import Any
from urllib.parse import urlsplit

from ediplomacy.ingest.collectors.base import CollectorError, Document, Page, RunContext

ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8"


class RssCollector:
    """The entries of one or more feeds; a feed that has not changed is not downloaded again."""

    source = "rss"
    fmt = "rss"
    secrets: tuple[str, ...] = ()

    def __init__(self, urls: list[str]) -> None:
        self.urls = list(dict.fromkeys(url.strip() for url in urls if url.strip()))
        if not self.urls:
            raise CollectorError("give one or more feed URLs: ediplomacy collect rss URL...")
        for url in self.urls:
            if urlsplit(url).scheme not in ("http", "https"):
                raise CollectorError(f"{url!r} is not an http(s):// feed address")
        joined = " ".join(sorted(self.urls))
        self.key = (
            joined if len(joined) <= 500 else "feeds " + hashlib.sha1(joined.encode()).hexdigest()
        )
        hosts = ", ".join(urlsplit(url).netloc for url in self.urls[:3])
        self.label = f"RSS {hosts}" + (
            f" and {len(self.urls) - 3} more" if len(self.urls) > 3 else ""
        )

    def pages(self, state: dict[str, Any], run: RunContext) -> Generator[Page, None, None]:
        feeds: dict[str, Any] = dict(state.get("feeds") or {})
        for url in self.urls:
            if run.budget.expired():
                return
            seen = feeds.get(url) or {}
            headers = {"Accept": ACCEPT}
            if seen.get("etag"):
                headers["If-None-Match"] = seen["etag"]
            if seen.get("modified"):
                headers["If-Modified-Since"] = seen["modified"]
            response = run.http.get(url, headers=headers)
            if response.status_code == 304:
                yield Page([], {"cursor": None, "feeds": feeds}, f"{url}: not modified")
                continue
            if response.status_code >= 400:
                error = run.http.refused(response, f"the feed {url} cannot be fetched")
                yield Page([Document(url, None, str(error))], {"feeds": feeds}, f"{url}: failed")
                continue
            feeds[url] = {
                "etag": response.headers.get("etag"),
                "modified": response.headers.get("last-modified"),
            }
            # The bytes as sent: the parser honours the charset of the HTTP header and of the XML
            # declaration (windows-1256, GBK, Shift_JIS...), which decoding here would not.
            body = {"url": url, "content": response.content}
            if response.headers.get("content-type"):
                body["content_type"] = response.headers["content-type"]
            document = Document(url, body)
            yield Page([document], {"cursor": None, "feeds": feeds}, url)
