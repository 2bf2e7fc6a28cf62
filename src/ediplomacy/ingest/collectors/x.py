"""X API v2: recent search (GET /2/tweets/search/recent) and the filtered stream with its rules."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

import httpx
import orjson

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

SEARCH = "/2/tweets/search/recent"
STREAM = "/2/tweets/search/stream"
RULES = "/2/tweets/search/stream/rules"
TOKEN_HINT = "check EDIPLOMACY_X_BEARER_TOKEN (an app's bearer token with search access)"
# Everything the importer reads: the tweet, its author, what it refers to, media and places.
FIELDS = {
    "tweet.fields": "attachments,author_id,conversation_id,created_at,entities,geo,id,"
    "in_reply_to_user_id,lang,public_metrics,referenced_tweets,source,text,withheld",
    "expansions": "author_id,referenced_tweets.id,referenced_tweets.id.author_id,"
    "in_reply_to_user_id,attachments.media_keys,geo.place_id,entities.mentions.username",
    "user.fields": "created_at,description,id,location,name,public_metrics,url,username,verified",
    "media.fields": "alt_text,media_key,preview_image_url,type,url",
    "place.fields": "country_code,full_name,geo,id,name,place_type",
}


class XRecentSearch:
    """Tweets of the last seven days matching a query; resumes with next_token, then since_id."""

    source = "x"
    fmt = "x-v2"

    def __init__(self, settings: Settings, query: str) -> None:
        if not query.strip():
            raise CollectorError("give a search query: --query 'indonesia lang:en'")
        self.token = secret(settings.x_bearer_token, "EDIPLOMACY_X_BEARER_TOKEN", "X search")
        self.api = base_url(settings.x_api_url, "EDIPLOMACY_X_API_URL")
        self.secrets: tuple[str, ...] = (self.token,)
        self.key = query
        self.label = f"X recent search {query!r}"

    def pages(self, state: dict[str, Any], run: RunContext) -> Generator[Page, None, None]:
        sweep = Sweep(state, later_id)
        headers = {"Authorization": f"Bearer {self.token}"}
        while not run.budget.expired():
            params: dict[str, Any] = {"query": self.key, "max_results": 100, **FIELDS}
            if sweep.cursor:
                params["next_token"] = sweep.cursor
            if sweep.floor:
                params["since_id"] = sweep.floor
            response = run.http.get(self.api + SEARCH, params=params, headers=headers)
            if response.status_code in (401, 403):
                raise run.http.refused(response, "X refused the search", TOKEN_HINT)
            if response.status_code >= 400:
                raise run.http.refused(response, "X search failed", "check the query syntax")
            document = json_document(response)
            if document.error is not None or not isinstance(document.body, dict):
                document.error = document.error or "the answer is not a JSON object"
                yield Page([document], sweep.state(), "page set aside")
                raise CollectorError(f"X sent a page that is not JSON ({document.where})")
            meta = document.body.get("meta")
            meta = meta if isinstance(meta, dict) else {}
            newest = meta.get("newest_id") if isinstance(meta.get("newest_id"), str) else None
            next_token = meta.get("next_token") if isinstance(meta.get("next_token"), str) else None
            state = sweep.advance(next_token, newest)
            yield Page([document], state, f"next_token {next_token}" if next_token else "end")
            if sweep.finished:
                return


class XStreamRules:
    """The filtered stream's rules: list, add, delete (POST /2/tweets/search/stream/rules)."""

    def __init__(self, settings: Settings, http: Any) -> None:
        self.token = secret(settings.x_bearer_token, "EDIPLOMACY_X_BEARER_TOKEN", "X stream rules")
        self.api = base_url(settings.x_api_url, "EDIPLOMACY_X_API_URL")
        self.http = http
        self.headers = {"Authorization": f"Bearer {self.token}"}

    def _check(self, response: httpx.Response, what: str) -> dict[str, Any]:
        if response.status_code >= 400:
            raise self.http.refused(response, what, TOKEN_HINT)
        body = response.json()
        errors = body.get("errors") if isinstance(body, dict) else None
        if errors and not body.get("data") and isinstance(errors, list):
            first = errors[0] if isinstance(errors[0], dict) else {}
            detail = first.get("title") or first.get("message") or first.get("details")
            value = first.get("value")
            raise CollectorError(f"{what}: X said {detail}" + (f" for {value!r}" if value else ""))
        return body if isinstance(body, dict) else {}

    def current(self) -> list[dict[str, Any]]:
        body = self._check(self.http.get(self.api + RULES, headers=self.headers), "X stream rules")
        data = body.get("data")
        return [rule for rule in data if isinstance(rule, dict)] if isinstance(data, list) else []

    def add(self, values: list[str]) -> list[dict[str, Any]]:
        """Add the rules not there yet; the rules added."""
        have = {rule.get("value") for rule in self.current()}
        wanted = [{"value": value} for value in dict.fromkeys(values) if value not in have]
        if not wanted:
            return []
        response = self.http.post(self.api + RULES, json={"add": wanted}, headers=self.headers)
        data = self._check(response, "adding X stream rules").get("data")
        return data if isinstance(data, list) else []

    def remove(self, values: list[str]) -> int:
        """Delete the rules with these values; how many were deleted."""
        ids = [
            rule["id"] for rule in self.current() if rule.get("value") in values and "id" in rule
        ]
        if not ids:
            return 0
        payload = {"delete": {"ids": ids}}
        response = self.http.post(self.api + RULES, json=payload, headers=self.headers)
        self._check(response, "deleting X stream rules")
        return len(ids)


class XFilteredStream:
    """Tweets matching the stream's rules as X sends them (newline-delimited JSON)."""

    source = "x-stream"
    fmt = "x-v2"
    key = "filtered-stream"
    label = "X filtered stream"

    def __init__(self, settings: Settings, *, add_rules: list[str] | None = None) -> None:
        self.settings = settings
        self.token = secret(settings.x_bearer_token, "EDIPLOMACY_X_BEARER_TOKEN", "X stream")
        self.api = base_url(settings.x_api_url, "EDIPLOMACY_X_API_URL")
        self.secrets: tuple[str, ...] = (self.token,)
        self.add_rules = add_rules or []

    def pages(self, state: dict[str, Any], run: RunContext) -> Generator[Page, None, None]:
        rules = XStreamRules(self.settings, run.http)
        added = rules.add(self.add_rules) if self.add_rules else []
        for rule in added:
            run.progress.notice(f"rule added: {rule.get('value')}")
        if not rules.current():
            raise CollectorError(
                "the X filtered stream has no rules, so it would send nothing: add one with "
                "--rule 'QUERY'"
            )
        last_id: str | None = state.get("cursor")
        headers = {"Authorization": f"Bearer {self.token}"}
        failures = 0
        while not run.budget.expired():
            read_timeout = stream_read_timeout(run, 25.0)
            try:
                with run.http.stream(
                    self.api + STREAM, params=FIELDS, headers=headers, read_timeout=read_timeout
                ) as response:
                    if response.status_code >= 400:
                        raise run.http.refused(response, "X refused the stream", TOKEN_HINT)
                    run.progress.notice("connected to the X filtered stream")
                    failures = 0
                    for documents in stream_pages(self._lines(response, run), run):
                        for document in documents:
                            if isinstance(document.body, dict):
                                data = document.body.get("data")
                                tweet_id = data.get("id") if isinstance(data, dict) else None
                                last_id = later_id(
                                    last_id, tweet_id if isinstance(tweet_id, str) else None
                                )
                        yield Page(documents, {"cursor": last_id}, f"tweet {last_id}")
            except httpx.ReadTimeout:
                run.progress.notice("no data or keep-alive from X for too long; reconnecting")
            except httpx.TransportError:
                failures += 1
                run.progress.notice("the X stream broke off; reconnecting")
            if not run.budget.expired():
                run.budget.sleep(min(60.0, 2.0**failures))

    def _lines(self, response: httpx.Response, run: RunContext) -> Iterator[Document | None]:
        """A Document per line of the body, None for a blank line (a keep-alive)."""
        where = str(response.request.url).split("?")[0]
        number = 0
        for line in response.iter_lines():
            if line.strip():
                number += 1
                yield self._document(line, f"{where} (line {number})", run)
            else:
                yield None

    def _document(self, line: str, where: str, run: RunContext) -> Document:
        try:
            body = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            return Document(where, line[:10_000], f"a stream line is not valid JSON: {exc}")
        if isinstance(body, dict) and "data" not in body and "errors" in body:
            run.progress.notice(f"X stream message: {str(body['errors'])[:200]}")
            return Document(where, body, "an error message from the stream, not a tweet")
        return Document(where, body)
