"""Bluesky: the post search of the AppView (app.bsky.feed.searchPosts) and Jetstream."""

from __future__ import annotations

import time
from collections.abc import Generator
from typing import Any
from urllib.parse import urlencode

import orjson

from ediplomacy.config import Settings
from ediplomacy.ingest.collectors.base import (
    CollectorError,
    Document,
    MissingCredentials,
    Page,
    RunContext,
)
from ediplomacy.ingest.collectors.common import Pacer, base_url, json_document
from ediplomacy.ingest.collectors.sweep import Sweep, later_time

SEARCH = "/xrpc/app.bsky.feed.searchPosts"
SESSION = "/xrpc/com.atproto.server.createSession"
POST_COLLECTION = "app.bsky.feed.post"
SIGN_IN_HINT = (
    "set EDIPLOMACY_BLUESKY_HANDLE and EDIPLOMACY_BLUESKY_APP_PASSWORD (an app password from "
    "Settings > App passwords) and EDIPLOMACY_BLUESKY_API_URL=https://bsky.social"
)


class BlueskySearch:
    """Posts matching a search query, newest first, resumable (cursor, then `since`)."""

    source = "bluesky"
    fmt = "bluesky"

    def __init__(self, settings: Settings, query: str, *, language: str | None = None) -> None:
        if not query.strip():
            raise CollectorError("give a search query: --query WORDS")
        self.api = base_url(settings.bluesky_api_url, "EDIPLOMACY_BLUESKY_API_URL")
        self.query = query
        self.language = language
        self.key = query if language is None else f"{query} lang:{language}"
        self.label = f"Bluesky search {self.key!r}"
        self.handle = settings.bluesky_handle.strip()
        self.password = settings.bluesky_app_password.get_secret_value().strip()
        if bool(self.handle) != bool(self.password):
            missing = (
                "EDIPLOMACY_BLUESKY_APP_PASSWORD" if self.handle else "EDIPLOMACY_BLUESKY_HANDLE"
            )
            raise MissingCredentials(
                f"Bluesky sign-in needs both handle and app password: set {missing}"
            )
        self.secrets: tuple[str, ...] = (self.password,)

    def _headers(self, run: RunContext) -> dict[str, str]:
        if not self.handle:
            return {}
        response = run.http.post(
            self.api + SESSION, json={"identifier": self.handle, "password": self.password}
        )
        if response.status_code != 200:
            raise run.http.refused(
                response,
                "Bluesky sign-in failed",
                "check EDIPLOMACY_BLUESKY_HANDLE and EDIPLOMACY_BLUESKY_APP_PASSWORD",
            )
        token = str(response.json().get("accessJwt", ""))
        run.http.secrets += (token,)
        return {"Authorization": f"Bearer {token}"}

    def pages(self, state: dict[str, Any], run: RunContext) -> Generator[Page, None, None]:
        headers = self._headers(run)
        sweep = Sweep(state, later_time)
        while not run.budget.expired():
            params: dict[str, Any] = {"q": self.query, "limit": 100, "sort": "latest"}
            if self.language:
                params["lang"] = self.language
            if sweep.cursor:
                params["cursor"] = sweep.cursor
            if sweep.floor:
                params["since"] = sweep.floor
            response = run.http.get(self.api + SEARCH, params=params, headers=headers)
            if response.status_code in (401, 403):
                raise run.http.refused(response, "Bluesky refused the search", SIGN_IN_HINT)
            if response.status_code >= 400:
                raise run.http.refused(response, "Bluesky search failed")
            document = json_document(response)
            if document.error is not None:
                yield Page([document], sweep.state(), "page set aside")
                raise CollectorError(f"Bluesky sent a page that is not JSON ({document.where})")
            body = document.body
            posts = body.get("posts") if isinstance(body, dict) else None
            posts = posts if isinstance(posts, list) else []
            if sweep.floor:  # `since` is inclusive: what the last sweep saw at its edge, drop
                posts = [p for p in posts if not _at_or_before(p, sweep.floor)]
                body["posts"] = posts
            times = [p.get("indexedAt") for p in posts if isinstance(p, dict)]
            newest = max((t for t in times if isinstance(t, str)), default=None)
            next_cursor = body.get("cursor") if posts else None
            next_cursor = next_cursor if isinstance(next_cursor, str) and next_cursor else None
            state = sweep.advance(next_cursor, newest)
            yield Page([document], state, f"cursor {next_cursor}" if next_cursor else "end")
            if sweep.finished:
                return


def _at_or_before(post: Any, floor: str) -> bool:
    indexed = post.get("indexedAt") if isinstance(post, dict) else None
    return isinstance(indexed, str) and indexed <= floor


class JetstreamCollector:
    """New posts from Bluesky's Jetstream websocket; resumes from the last event's time_us."""

    source = "bluesky-stream"
    fmt = "bluesky"
    secrets: tuple[str, ...] = ()

    def __init__(
        self,
        settings: Settings,
        *,
        collections: list[str] | None = None,
        keywords: list[str] | None = None,
    ) -> None:
        self.url = base_url(settings.bluesky_jetstream_url, "EDIPLOMACY_BLUESKY_JETSTREAM_URL")
        self.collections = sorted(set(collections or [POST_COLLECTION]))
        self.keywords = [word.casefold() for word in keywords or [] if word.strip()]
        self.key = " ".join(self.collections + [f"keyword:{word}" for word in self.keywords])
        self.label = f"Bluesky Jetstream ({self.key})"

    def _wanted(self, event: dict[str, Any]) -> bool:
        commit = event.get("commit")
        if event.get("kind") != "commit" or not isinstance(commit, dict):
            return False
        if commit.get("operation") != "create" or commit.get("collection") not in self.collections:
            return False
        if not self.keywords:
            return True
        record = commit.get("record")
        text = record.get("text") if isinstance(record, dict) else None
        folded = text.casefold() if isinstance(text, str) else ""
        return any(word in folded for word in self.keywords)

    def _address(self, cursor: int | None) -> str:
        query: list[tuple[str, str]] = [("wantedCollections", name) for name in self.collections]
        if cursor is not None:
            query.append(("cursor", str(cursor)))
        return f"{self.url}?{urlencode(query)}"

    def pages(self, state: dict[str, Any], run: RunContext) -> Generator[Page, None, None]:
        from websockets.exceptions import ConnectionClosed, InvalidStatus
        from websockets.sync.client import connect

        cursor: int | None = state.get("cursor")
        seen: set[str] = set(state.get("seen") or [])
        failures = 0
        while not run.budget.expired():
            address = self._address(cursor)
            try:
                socket = connect(address, open_timeout=10, max_size=2**22)
            except InvalidStatus as refused:
                response = refused.response
                failures += 1
                if response.status_code == 429 or response.status_code >= 500:
                    from ediplomacy.ingest.collectors.http import rate_limit_wait

                    wait = rate_limit_wait(response.headers, time.time())  # type: ignore[arg-type]
                    run.http.wait(wait if wait is not None else 2.0**failures, "Jetstream busy")
                    continue
                raise CollectorError(
                    f"Jetstream refused the connection ({response.status_code}); check "
                    "EDIPLOMACY_BLUESKY_JETSTREAM_URL"
                ) from None
            except (OSError, TimeoutError) as exc:
                failures += 1
                if failures >= 5:
                    raise CollectorError(
                        f"Jetstream cannot be reached ({type(exc).__name__}); check "
                        "EDIPLOMACY_BLUESKY_JETSTREAM_URL and the network (the cursor is saved)"
                    ) from None
                run.http.wait(2.0 ** (failures - 1), "Jetstream cannot be reached")
                continue
            run.progress.notice(f"connected to {address}")
            with socket:
                pending: list[Document] = []
                pacer = Pacer()
                progressed = False
                while True:
                    left = run.budget.remaining()
                    timeout = 0.5 if left is None else max(0.01, min(0.5, left))
                    try:
                        message = socket.recv(timeout=timeout)
                    except TimeoutError:
                        message = None
                    except ConnectionClosed:
                        failures += 1
                        run.progress.notice("Jetstream closed the connection; reconnecting")
                        if pending or progressed:  # store what arrived before reconnecting
                            state = {"cursor": cursor, "seen": sorted(seen)}
                            yield Page(pending, state, f"time_us {cursor}")
                            pending, progressed = [], False
                        break
                    if message is not None:
                        failures = 0
                        event, document = self._read(message, address)
                        if event is None:
                            pending.append(document)
                        else:
                            at = event.get("time_us")
                            ident = f"{event.get('did')} {_rkey(event)}"
                            if type(at) is int:
                                if cursor is not None and (
                                    at < cursor or (at == cursor and ident in seen)
                                ):
                                    continue  # replayed from the saved cursor: already stored
                                if at != cursor:
                                    seen = set()
                                cursor = at
                                seen.add(ident)
                                progressed = True
                            if self._wanted(event):
                                document.where = f"{self.url} (time_us {at})"
                                pending.append(document)
                    if (pending or progressed) and (
                        pacer.due(len(pending)) or run.budget.expired()
                    ):
                        state = {"cursor": cursor, "seen": sorted(seen)}
                        yield Page(pending, state, f"time_us {cursor}")
                        pending, progressed = [], False
                        pacer.reset()
                    if run.budget.expired():
                        return

    def _read(self, message: str | bytes, address: str) -> tuple[dict[str, Any] | None, Document]:
        try:
            event = orjson.loads(message)
        except orjson.JSONDecodeError as exc:
            text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
            return None, Document(address, text[:10_000], f"a Jetstream message is not JSON: {exc}")
        if not isinstance(event, dict):
            return None, Document(address, event, "a Jetstream message is not a JSON object")
        return event, Document(address, event)


def _rkey(event: dict[str, Any]) -> str:
    commit = event.get("commit")
    if isinstance(commit, dict):
        return f"{commit.get('collection')}/{commit.get('rkey')}"
    return str(event.get("kind"))
