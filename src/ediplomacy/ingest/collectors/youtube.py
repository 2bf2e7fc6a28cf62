"""YouTube Data API v3: the comment threads of a video (GET /commentThreads), newest first."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import httpx

from ediplomacy.config import Settings
from ediplomacy.ingest.collectors.base import CollectorError, Page, RunContext
from ediplomacy.ingest.collectors.common import base_url, json_document, secret
from ediplomacy.ingest.collectors.sweep import Sweep, later_time

KEY_HINT = "check EDIPLOMACY_YOUTUBE_API_KEY (a key with the YouTube Data API v3 enabled)"


def _reason(response: httpx.Response) -> str:
    """The `reason` of a Google API error body (quotaExceeded, commentsDisabled, keyInvalid...)."""
    try:
        error = response.json().get("error", {})
        return str(error.get("errors", [{}])[0].get("reason", ""))
    except (ValueError, AttributeError, IndexError, TypeError):
        return ""


class YouTubeComments:
    """Comment threads (top-level comments with their first replies) of one video."""

    source = "youtube"
    fmt = "youtube"

    def __init__(self, settings: Settings, video: str) -> None:
        video = video.strip()
        if "v=" in video:  # a watch URL pasted whole
            video = video.split("v=", 1)[1].split("&", 1)[0]
        if not video:
            raise CollectorError("give a video id: --video VIDEO_ID")
        self.api_key = secret(settings.youtube_api_key, "EDIPLOMACY_YOUTUBE_API_KEY", "YouTube")
        self.api = base_url(settings.youtube_api_url, "EDIPLOMACY_YOUTUBE_API_URL")
        self.secrets: tuple[str, ...] = (self.api_key,)
        self.key = video
        self.label = f"YouTube comments on {video}"

    def pages(self, state: dict[str, Any], run: RunContext) -> Generator[Page, None, None]:
        sweep = Sweep(state, later_time)
        # The key travels in a header Google APIs accept, so it is in no URL that gets logged.
        headers = {"X-Goog-Api-Key": self.api_key}
        while not run.budget.expired():
            params: dict[str, Any] = {
                "part": "snippet,replies",
                "videoId": self.key,
                "maxResults": 100,
                "order": "time",
                "textFormat": "plainText",
            }
            if sweep.cursor:
                params["pageToken"] = sweep.cursor
            response = run.http.get(self.api + "/commentThreads", params=params, headers=headers)
            if response.status_code >= 400:
                raise self._refused(response, run)
            document = json_document(response)
            if document.error is not None or not isinstance(document.body, dict):
                document.error = document.error or "the answer is not a JSON object"
                yield Page([document], sweep.state(), "page set aside")
                raise CollectorError(f"YouTube sent a page that is not JSON ({document.where})")
            times = [_published(item) for item in document.body.get("items") or []]
            known = [moment for moment in times if moment]
            newest = max(known, default=None)
            token = document.body.get("nextPageToken")
            token = token if isinstance(token, str) and token else None
            # No `since` in this API: a new sweep ends at the first page reaching what it saw.
            if sweep.floor and known and min(known) <= sweep.floor:
                token = None
            state = sweep.advance(token, newest)
            yield Page([document], state, f"pageToken {token}" if token else "end")
            if sweep.finished:
                return

    def _refused(self, response: httpx.Response, run: RunContext) -> CollectorError:
        reason = _reason(response)
        if reason in ("quotaExceeded", "dailyLimitExceeded", "rateLimitExceeded"):
            return CollectorError(
                "YouTube API quota exceeded for today (it resets at midnight Pacific time); "
                "what was collected is kept and the next run continues from the saved cursor"
            )
        if reason == "commentsDisabled":
            return CollectorError(f"comments are turned off on video {self.key}")
        if reason in ("videoNotFound",) or response.status_code == 404:
            return CollectorError(f"video {self.key} was not found; check the id")
        hint = KEY_HINT if response.status_code in (400, 401, 403) else ""
        return run.http.refused(response, "YouTube refused the request", hint)


def _published(item: Any) -> str | None:
    try:
        moment = item["snippet"]["topLevelComment"]["snippet"]["publishedAt"]
    except (KeyError, TypeError):
        return None
    return moment if isinstance(moment, str) else None
