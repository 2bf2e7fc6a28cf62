"""Local servers that speak each platform's protocol, serving the recorded payloads.

One threaded HTTP server with a route per platform endpoint (JSON pages, Link headers, SSE,
chunked NDJSON, conditional GET), and a websocket server for Jetstream. Replies can be queued
ahead of the normal answer (a 429 with Retry-After, a 503) to exercise the retry rules.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

PAYLOADS = Path(__file__).parent / "payloads"


def payload(name: str) -> Any:
    return json.loads((PAYLOADS / name).read_text())


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | Iterator[bytes] = b""

    @classmethod
    def json(cls, value: Any, status: int = 200, **headers: str) -> Reply:
        return cls(
            status, {"Content-Type": "application/json", **headers}, json.dumps(value).encode()
        )


Handler = Callable[[Request], Reply]


class CutOff(Exception):
    """Raised by a streamed body to drop the connection mid-stream (a network break)."""


class PlatformServer:
    """A threaded HTTP server on 127.0.0.1 with routes by path prefix; records every request."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, str, Handler]] = []
        self.requests: list[Request] = []
        self.queued: dict[str, list[Reply]] = {}
        owner = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                owner._handle(self)

            do_GET = do_POST = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def route(self, method: str, prefix: str, handler: Handler) -> None:
        self.routes.append((method, prefix, handler))

    def queue(self, prefix: str, *replies: Reply) -> None:
        """Answer the next requests under `prefix` with these replies first."""
        self.queued.setdefault(prefix, []).extend(replies)

    def seen(self, prefix: str) -> list[Request]:
        return [request for request in self.requests if request.path.startswith(prefix)]

    def _handle(self, http: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(http.path)
        length = int(http.headers.get("Content-Length") or 0)
        request = Request(
            http.command, parts.path, parse_qs(parts.query),
            {name.lower(): value for name, value in http.headers.items()},
            http.rfile.read(length) if length else b"",
        )  # fmt: skip
        self.requests.append(request)
        reply = None
        for prefix, waiting in self.queued.items():
            if request.path.startswith(prefix) and waiting:
                reply = waiting.pop(0)
                break
        if reply is None:
            for method, prefix, handler in self.routes:
                if method == request.method and request.path.startswith(prefix):
                    reply = handler(request)
                    break
            else:
                reply = Reply.json({"error": "NotFound"}, 404)
        http.send_response(reply.status)
        for name, value in reply.headers.items():
            http.send_header(name, value)
        if isinstance(reply.body, bytes):
            http.send_header("Content-Length", str(len(reply.body)))
            http.end_headers()
            http.wfile.write(reply.body)
            return
        http.send_header("Transfer-Encoding", "chunked")
        http.end_headers()
        try:
            for chunk in reply.body:
                http.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                http.wfile.flush()
            http.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        except CutOff:  # the body stops mid-stream: the connection closes without the last chunk
            pass
        http.close_connection = True

    def start(self) -> PlatformServer:
        self.thread.start()
        return self

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _bearer(request: Request, token: str) -> bool:
    return request.headers.get("authorization") == f"Bearer {token}"


# --- Bluesky -------------------------------------------------------------------------------


class BlueskyApi:
    """app.bsky.feed.searchPosts with an offset cursor and `since`; createSession."""

    def __init__(self, server: PlatformServer, *, page_size: int = 10, password: str = "",
                 delay: float = 0.0) -> None:  # fmt: skip
        self.posts: list[Any] = payload("bluesky/searchPosts.json")["posts"]
        self.page_size = page_size
        self.password = password
        self.delay = delay
        self.jwt = "eyJ.test-access-jwt.sig"
        server.route("GET", "/xrpc/app.bsky.feed.searchPosts", self.search)
        server.route("POST", "/xrpc/com.atproto.server.createSession", self.session)

    def session(self, request: Request) -> Reply:
        body = json.loads(request.body)
        if body.get("password") != self.password:
            return Reply.json({"error": "AuthenticationRequired",
                               "message": "Invalid identifier or password"}, 401)  # fmt: skip
        return Reply.json({"accessJwt": self.jwt, "refreshJwt": "r", "did": "did:plc:me",
                           "handle": body.get("identifier")})  # fmt: skip

    def search(self, request: Request) -> Reply:
        time.sleep(self.delay)
        if self.password and not _bearer(request, self.jwt):
            return Reply.json({"error": "AuthMissing", "message": "Authentication Required"}, 403)
        since = request.arg("since")
        posts = [p for p in self.posts if not isinstance(p, dict) or not since
                 or p["indexedAt"] >= since]  # fmt: skip
        start = int(request.arg("cursor") or 0)
        page = posts[start : start + self.page_size]
        body: dict[str, Any] = {"posts": page}
        if start + self.page_size < len(posts):
            body["cursor"] = str(start + self.page_size)
        return Reply.json(body)


# --- Mastodon ------------------------------------------------------------------------------


class MastodonApi:
    """Hashtag and public timelines with max_id/since_id/min_id and Link headers; streaming."""

    def __init__(self, server: PlatformServer, *, token: str = "", page_size: int = 4,
                 cut_first_stream: bool = False) -> None:  # fmt: skip
        self.server = server
        self.statuses: list[Any] = payload("mastodon/timeline.json")
        self.token = token
        self.page_size = page_size
        # The first stream sends every status, then breaks; later ones only keep-alives.
        self.cut_first_stream = cut_first_stream
        self.streams = 0
        server.route("GET", "/api/v1/timelines/", self.timeline)
        server.route("GET", "/api/v1/streaming/", self.stream)

    def timeline(self, request: Request) -> Reply:
        chosen = self.statuses
        for name, keep in (("max_id", lambda i, v: i < v), ("since_id", lambda i, v: i > v),
                           ("min_id", lambda i, v: i > v)):  # fmt: skip
            value = request.arg(name)
            if value:
                chosen = [s for s in chosen if keep(int(s["id"]), int(value))]
        limit = min(int(request.arg("limit") or 20), self.page_size)
        page = chosen[:limit]
        headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299",
                   "X-RateLimit-Reset": "2030-01-01T00:00:00.000Z"}  # fmt: skip
        if page:
            base = self.server.url + request.path
            extra = {k: v[0] for k, v in request.query.items() if k in ("local", "limit")}
            newer = urlencode({**extra, "min_id": page[0]["id"]})
            older = urlencode({**extra, "max_id": page[-1]["id"]})
            links = [f'<{base}?{older}>; rel="next"', f'<{base}?{newer}>; rel="prev"']
            if len(page) < limit:
                links = links[1:]
            headers["Link"] = ", ".join(links)
        return Reply.json(page, **headers)

    def stream(self, request: Request) -> Reply:
        if not _bearer(request, self.token):
            return Reply.json({"error": "Missing access token"}, 401)
        self.streams += 1
        number = self.streams

        def events() -> Iterator[bytes]:
            yield b":)\n\n"
            if self.cut_first_stream:
                if number == 1:
                    for status in reversed(self.statuses):
                        yield f"event: update\ndata: {json.dumps(status)}\n\n".encode()
                    raise CutOff
                for _ in range(200):
                    time.sleep(0.1)
                    yield b":thump\n\n"
                return
            for status in reversed(self.statuses):
                yield f"event: update\ndata: {json.dumps(status)}\n\n".encode()
            yield b"event: delete\ndata: 110446183735368325\n\n"
            yield b'event: update\ndata: {"id": "1", "content": broken\n\n'
            for _ in range(200):
                time.sleep(0.1)
                yield b":thump\n\n"

        return Reply(200, {"Content-Type": "text/event-stream"}, events())


# --- X -------------------------------------------------------------------------------------


def _x_includes(tweets: list[dict[str, Any]], includes: dict[str, Any]) -> dict[str, Any]:
    referenced = {ref["id"] for t in tweets for ref in t.get("referenced_tweets", [])}
    quoted = [t for t in includes.get("tweets", []) if t["id"] in referenced]
    authors = {t.get("author_id") for t in tweets + quoted}
    media = {k for t in tweets + quoted for k in t.get("attachments", {}).get("media_keys", [])}
    kept = {
        "users": [u for u in includes.get("users", []) if u["id"] in authors],
        "tweets": quoted,
        "media": [m for m in includes.get("media", []) if m["media_key"] in media],
    }
    return {name: items for name, items in kept.items() if items}


class XApi:
    """/2/tweets/search/recent (next_token, since_id), the filtered stream and its rules."""

    def __init__(self, server: PlatformServer, *, token: str, page_size: int = 10,
                 cut_first_stream: bool = False) -> None:  # fmt: skip
        recorded = payload("x/search_recent.json")
        self.tweets: list[dict[str, Any]] = sorted(
            recorded["data"], key=lambda t: int(t["id"]), reverse=True
        )
        self.includes = recorded["includes"]
        self.token = token
        self.page_size = page_size
        self.rules: list[dict[str, str]] = []
        self.stream_lines = (PAYLOADS / "x/filtered_stream.jsonl").read_bytes().splitlines()
        # The first stream sends its tweets, then breaks; later ones only keep-alives.
        self.cut_first_stream = cut_first_stream
        self.streams = 0
        server.route("GET", "/2/tweets/search/recent", self.search)
        server.route("GET", "/2/tweets/search/stream/rules", self.list_rules)
        server.route("POST", "/2/tweets/search/stream/rules", self.change_rules)
        server.route("GET", "/2/tweets/search/stream", self.stream)

    def _denied(self, request: Request) -> Reply | None:
        if _bearer(request, self.token):
            return None
        return Reply.json({"title": "Unauthorized", "type": "about:blank", "status": 401,
                           "detail": "Unauthorized"}, 401)  # fmt: skip

    def search(self, request: Request) -> Reply:
        denied = self._denied(request)
        if denied:
            return denied
        since = request.arg("since_id")
        tweets = [t for t in self.tweets if not since or int(t["id"]) > int(since)]
        start = int((request.arg("next_token") or "page-0").split("-")[1])
        page = tweets[start : start + self.page_size]
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            meta.update(newest_id=page[0]["id"], oldest_id=page[-1]["id"])
        if start + self.page_size < len(tweets):
            meta["next_token"] = f"page-{start + self.page_size}"
        body: dict[str, Any] = {"meta": meta}
        if page:
            body.update(data=page, includes=_x_includes(page, self.includes))
        return Reply.json(body, **{"x-rate-limit-limit": "450", "x-rate-limit-remaining": "449",
                                   "x-rate-limit-reset": str(int(time.time()) + 900)})  # fmt: skip

    def list_rules(self, request: Request) -> Reply:
        denied = self._denied(request)
        if denied:
            return denied
        body: dict[str, Any] = {"meta": {"sent": "2024-01-01T00:00:00.000Z",
                                         "result_count": len(self.rules)}}  # fmt: skip
        if self.rules:
            body["data"] = self.rules
        return Reply.json(body)

    def change_rules(self, request: Request) -> Reply:
        denied = self._denied(request)
        if denied:
            return denied
        body = json.loads(request.body)
        created = []
        for rule in body.get("add", []):
            created.append({"value": rule["value"], "id": str(1000 + len(self.rules))})
            self.rules.append(created[-1])
        ids = set(body.get("delete", {}).get("ids", []))
        self.rules = [rule for rule in self.rules if rule["id"] not in ids]
        summary = {"created": len(created), "not_created": 0, "valid": len(created), "invalid": 0}
        return Reply.json({"data": created, "meta": {"summary": summary}}, 201)

    def stream(self, request: Request) -> Reply:
        denied = self._denied(request)
        if denied:
            return denied
        self.streams += 1
        number = self.streams

        def lines() -> Iterator[bytes]:
            if self.cut_first_stream:
                if number == 1:
                    for line in self.stream_lines:
                        yield line + b"\r\n"
                    raise CutOff
                for _ in range(200):
                    time.sleep(0.1)
                    yield b"\r\n"
                return
            for line in self.stream_lines:
                yield line + b"\r\n"
                yield b"\r\n"  # keep-alive
            for _ in range(200):
                time.sleep(0.1)
                yield b"\r\n"

        return Reply(200, {"Content-Type": "application/json"}, lines())


# --- YouTube -------------------------------------------------------------------------------


class YouTubeApi:
    """/commentThreads with pageToken; the API key in `key` or X-Goog-Api-Key; quota errors."""

    def __init__(self, server: PlatformServer, *, key: str) -> None:
        self.key = key
        self.pages = [payload(f"youtube/comment_threads_by_video_paged_{n}.json") for n in (1, 2)]
        self.quota_spent = False
        server.route("GET", "/commentThreads", self.threads)

    def threads(self, request: Request) -> Reply:
        given = request.arg("key") or request.headers.get("x-goog-api-key")
        if given != self.key:
            return Reply.json({"error": {"code": 400, "message": "API key not valid. Please pass a "
                               "valid API key.", "errors": [{"message": "API key not valid.",
                               "domain": "global", "reason": "badRequest"}],
                               "status": "INVALID_ARGUMENT"}}, 400)  # fmt: skip
        if self.quota_spent:
            message = ("The request cannot be completed because you have exceeded your "
                       '<a href="/youtube/v3/getting-started#quota">quota</a>.')  # fmt: skip
            return Reply.json(
                {
                    "error": {
                        "code": 403,
                        "message": message,
                        "errors": [
                            {
                                "message": message,
                                "domain": "youtube.quota",
                                "reason": "quotaExceeded",
                            }
                        ],
                    }
                },
                403,
            )
        token = request.arg("pageToken")
        if token is None:
            return Reply.json(self.pages[0])
        if token == self.pages[0]["nextPageToken"]:
            return Reply.json(self.pages[1])
        return Reply.json(
            {
                "error": {
                    "code": 400,
                    "message": "invalid page token",
                    "errors": [{"reason": "invalidPageToken", "domain": "youtube.commentThread"}],
                }
            },
            400,
        )


# --- RSS -----------------------------------------------------------------------------------


class FeedServer:
    """Feeds under /feeds/NAME with ETag and Last-Modified; 304 when the client has them."""

    def __init__(self, server: PlatformServer, feeds: dict[str, bytes],
                 types: dict[str, str] | None = None) -> None:  # fmt: skip
        self.feeds = feeds
        self.types = types or {}  # Content-Type per feed (with a charset), else RSS without one
        server.route("GET", "/feeds/", self.feed)

    def feed(self, request: Request) -> Reply:
        name = request.path.removeprefix("/feeds/")
        if name not in self.feeds:
            return Reply(404, {"Content-Type": "text/plain"}, b"no such feed")
        etag = f'"{hash(self.feeds[name]) & 0xFFFFFF:x}"'
        if request.headers.get("if-none-match") == etag:
            return Reply(304, {"ETag": etag})
        headers = {"Content-Type": self.types.get(name, "application/rss+xml"), "ETag": etag,
                   "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"}  # fmt: skip
        return Reply(200, headers, self.feeds[name])


# --- Jetstream -----------------------------------------------------------------------------


class JetstreamServer:
    """A websocket server speaking Jetstream: wantedCollections filter, cursor=time_us replay."""

    def __init__(self, *, broken_frame: bool = True, delay: float = 0.0,
                 close_after: int | None = None) -> None:  # fmt: skip
        from websockets.sync.server import serve

        lines = (PAYLOADS / "bluesky/jetstream_events.jsonl").read_text().splitlines()
        self.events = [json.loads(line) for line in lines if line.strip()]
        self.broken_frame = broken_frame
        self.delay = delay
        self.close_after = close_after  # the first connection closes after this many events
        self.connections: list[dict[str, list[str]]] = []
        self.server = serve(self._connection, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/subscribe"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _connection(self, socket: Any) -> None:
        query = parse_qs(urlsplit(socket.request.path).query)
        self.connections.append(query)
        wanted = set(query.get("wantedCollections", []))
        cursor = int(query["cursor"][0]) if "cursor" in query else None
        try:
            for number, event in enumerate(self.events):
                if cursor is not None and event["time_us"] < cursor:
                    continue
                commit = event.get("commit")
                if wanted and commit and commit.get("collection") not in wanted:
                    continue
                socket.send(json.dumps(event))
                closing = self.close_after is not None and len(self.connections) == 1
                if closing and number + 1 >= (self.close_after or 0):
                    socket.close()
                    return
                if self.broken_frame and cursor is None and number == 3:
                    socket.send('{"did": "did:plc:x", "kind": "commit", "commit": {')
                time.sleep(self.delay)
            socket.recv()  # wait for the client to leave
        except Exception:
            pass

    def post_events(self) -> list[dict[str, Any]]:
        return [e for e in self.events if e.get("kind") == "commit"
                and e["commit"].get("operation") == "create"
                and e["commit"].get("collection") == "app.bsky.feed.post"]  # fmt: skip

    def start(self) -> JetstreamServer:
        self.thread.start()
        return self

    def close(self) -> None:
        self.server.shutdown()
