"""Mastodon: hashtag and public timelines (paged by Link headers) and the streaming API (SSE)."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx

from ediplomacy.config import Settings
from ediplomacy.ingest.collectors.base import CollectorError, Document, Page, RunContext
from ediplomacy.ingest.collectors.common import (
    base_url,
    json_document,
    secret,
    stream_pages,
    stream_read_timeout,
)
from ediplomacy.ingest.collectors.sweep import Sweep, later_id

TOKEN_HINT = "check EDIPLOMACY_MASTODON_ACCESS_TOKEN (read:statuses scope)"


def _link_param(response: httpx.Response, rel: str, name: str) -> str | None:
    """A query parameter of the Link header's URL for `rel` (max_id of rel=next)."""
    link = response.links.get(rel)
    if not link or "url" not in link:
        return None
    values = parse_qs(urlsplit(link["url"]).query).get(name)
    return values[0] if values else None


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


class MastodonTimeline:
    """A hashtag timeline or the public (federated or local) timeline of one server."""

    source = "mastodon"
    fmt = "mastodon"

    def __init__(
        self,
        settings: Settings,
        *,
        hashtag: str | None = None,
        public: bool = False,
        local: bool = False,
    ) -> None:
        if bool(hashtag) == public:
            raise CollectorError("say what to collect: --hashtag TAG or --public (not both)")
        self.server = base_url(settings.mastodon_url, "EDIPLOMACY_MASTODON_URL")
        self.token = settings.mastodon_access_token.get_secret_value().strip()
        self.secrets: tuple[str, ...] = (self.token,)
        self.local = local
        if hashtag:
            tag = hashtag.lstrip("#")
            self.path = f"/api/v1/timelines/tag/{quote(tag, safe='')}"
            self.key = f"tag:{tag.casefold()}" + (":local" if local else "")
            self.label = f"Mastodon #{tag} on {urlsplit(self.server).netloc}"
        else:
            self.path = "/api/v1/timelines/public"
            self.key = "public:local" if local else "public"
            kind = "local" if local else "federated"
            self.label = f"Mastodon {kind} timeline of {urlsplit(self.server).netloc}"
        self.key = f"{urlsplit(self.server).netloc} {self.key}"

    def pages(self, state: dict[str, Any], run: RunContext) -> Generator[Page, None, None]:
        sweep = Sweep(state, later_id)
        while not run.budget.expired():
            params: dict[str, Any] = {"limit": 40}
            if self.local:
                params["local"] = "true"
            if sweep.cursor:
                params["max_id"] = sweep.cursor
            if sweep.floor:
                params["since_id"] = sweep.floor
            response = run.http.get(
                self.server + self.path, params=params, headers=_headers(self.token)
            )
            if response.status_code in (401, 403, 422):
                raise run.http.refused(response, "Mastodon refused the timeline", TOKEN_HINT)
            if response.status_code >= 400:
                raise run.http.refused(response, "Mastodon timeline failed")
            document = json_document(response)
            if document.error is not None or not isinstance(document.body, list):
                document.error = document.error or "the timeline is not a JSON array"
                yield Page([document], sweep.state(), "page set aside")
                raise CollectorError(
                    f"Mastodon sent a page that is not a timeline ({document.where})"
                )
            statuses = document.body
            ids = [s.get("id") for s in statuses if isinstance(s, dict)]
            newest = None
            for status_id in ids:
                newest = later_id(newest, status_id) if isinstance(status_id, str) else newest
            next_max = _link_param(response, "next", "max_id") if statuses else None
            state = sweep.advance(next_max, newest)
            yield Page([document], state, f"max_id {next_max}" if next_max else "end")
            if sweep.finished:
                return


class MastodonStream:
    """New statuses with a hashtag, or on the public timeline, as the server streams them (SSE).

    Streams: /api/v1/streaming/hashtag[/local]?tag=TAG, /api/v1/streaming/public[/local].
    """

    source = "mastodon-stream"
    fmt = "mastodon"

    def __init__(
        self,
        settings: Settings,
        *,
        hashtag: str | None = None,
        public: bool = False,
        local: bool = False,
    ) -> None:
        self.server = base_url(settings.mastodon_url, "EDIPLOMACY_MASTODON_URL")
        self.token = secret(
            settings.mastodon_access_token, "EDIPLOMACY_MASTODON_ACCESS_TOKEN", "Mastodon streaming"
        )
        self.secrets: tuple[str, ...] = (self.token,)
        self.tag = (hashtag or "").strip().lstrip("#")
        if bool(self.tag) == public:
            raise CollectorError("say what to stream: --hashtag TAG or --public (not both)")
        self.local = local
        host = urlsplit(self.server).netloc
        suffix = ":local" if local else ""
        if self.tag:
            self.path = "/api/v1/streaming/hashtag" + ("/local" if local else "")
            self.params: dict[str, str] = {"tag": self.tag}
            self.key = f"{host} tag:{self.tag.casefold()}{suffix}"
            self.label = f"Mastodon stream #{self.tag} on {host}"
        else:
            self.path = "/api/v1/streaming/public" + ("/local" if local else "")
            self.params = {}
            self.key = f"{host} public{suffix}"
            kind = "local" if local else "federated"
            self.label = f"Mastodon stream of the {kind} timeline of {host}"

    def pages(self, state: dict[str, Any], run: RunContext) -> Generator[Page, None, None]:
        last_id: str | None = state.get("cursor")
        while not run.budget.expired():
            try:
                with run.http.stream(
                    self.server + self.path,
                    params=self.params,
                    headers={**_headers(self.token), "Accept": "text/event-stream"},
                    read_timeout=stream_read_timeout(run, 20.0),
                ) as response:
                    if response.status_code >= 400:
                        raise run.http.refused(response, "Mastodon refused the stream", TOKEN_HINT)
                    run.progress.notice(f"connected to {response.request.url}")
                    for documents in stream_pages(_events(response), run):
                        for document in documents:
                            last_id = later_id(last_id, _status_id(document.body["payload"]))
                        yield Page(documents, {"cursor": last_id}, f"status {last_id}")
            except httpx.ReadTimeout:
                continue  # quiet for too long: reconnect unless the time is up
            except httpx.TransportError:
                run.progress.notice("the Mastodon stream broke off; reconnecting")
            if not run.budget.expired():
                run.budget.sleep(1.0)


def _events(response: httpx.Response) -> Iterator[Document | None]:
    """The 'update' events of the SSE body, and None for every line that ends none."""
    where = str(response.request.url)
    event, data = "message", []
    for line in response.iter_lines():
        document = None
        if line.startswith(":"):
            pass  # a heartbeat (":thump")
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
        elif line == "" and data:
            if event in ("update", "status.update"):
                document = Document(where, {"event": event, "payload": "\n".join(data)})
            event, data = "message", []
        yield document


def _status_id(payload: str) -> str | None:
    import orjson

    try:
        status = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return None
    found = status.get("id") if isinstance(status, dict) else None
    return found if isinstance(found, str) else None
