"""Newest-to-oldest paging that resumes, and reaches "now" on every run.

Search APIs and timelines page backwards in time. Every run first sweeps from the newest post
down to the newest post any earlier run stored (since_id, since=...), so a busy query always
starts with what is new. When a run stops before a sweep reaches its end (the --max limit, the
time limit, Ctrl-C), the part not yet read is kept as a gap: its cursor and where it ends. The
rest of each run's budget goes to the gaps, newest first, each continued from its saved cursor.
The state is saved with every page, so a run killed at any moment loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def later_id(first: str | None, second: str | None) -> str | None:
    """The larger of two numeric ids (X, Mastodon), as text."""
    if first is None or second is None:
        return first or second
    try:
        return first if int(first) >= int(second) else second
    except ValueError:
        return max(first, second)


def later_time(first: str | None, second: str | None) -> str | None:
    """The later of two ISO 8601 UTC times written the same way (compared as text)."""
    if first is None or second is None:
        return first or second
    return max(first, second)


MAX_GAPS = 20  # unfinished older stretches kept; beyond this the oldest is given up


class Sweep:
    """The saved paging state: the newest item ever stored, and the gaps still to read.

    A segment is one backwards sweep: `cursor` (None before its first page) and `floor`, the
    newest item of what was stored before it started (None: to the end of what the API keeps).
    The first segment of a run is always a fresh one down to `newest`; the saved gaps follow.
    """

    def __init__(self, state: dict[str, Any], later: Callable[[str | None, str | None], Any]):
        self.later = later
        gaps = state.get("gaps")
        if isinstance(gaps, list):
            self.newest: str | None = state.get("newest")
            saved = [
                {"cursor": gap.get("cursor"), "floor": gap.get("floor")}
                for gap in gaps
                if isinstance(gap, dict) and gap.get("cursor")
            ]
        else:  # the state of earlier versions: one sweep under way (cursor, top) above a floor
            self.newest = later(state.get("floor"), state.get("top"))
            cursor = state.get("cursor")
            saved = [{"cursor": cursor, "floor": state.get("floor")}] if cursor else []
        self.segments: list[dict[str, Any]] = [{"cursor": None, "floor": self.newest}, *saved]

    @property
    def cursor(self) -> str | None:
        """The cursor to continue the current segment from (None: start from the newest)."""
        return self.segments[0]["cursor"] if self.segments else None

    @property
    def floor(self) -> str | None:
        """Where the current segment ends: only what is newer than this is asked for."""
        return self.segments[0]["floor"] if self.segments else None

    @property
    def finished(self) -> bool:
        """Whether everything is read: the run's sweep reached `newest` and no gap is left."""
        return not self.segments

    def advance(self, next_cursor: str | None, newest: str | None) -> dict[str, Any]:
        """Record a stored page; the state to save with it."""
        self.newest = self.later(self.newest, newest)
        if next_cursor:
            self.segments[0]["cursor"] = next_cursor
        else:  # this segment reached its floor: go on with the next gap
            self.segments.pop(0)
        return self.state()

    def state(self) -> dict[str, Any]:
        gaps = [dict(segment) for segment in self.segments if segment["cursor"]]
        if len(gaps) > MAX_GAPS:
            gaps = gaps[:MAX_GAPS]
            self.segments = [s for s in self.segments if not s["cursor"]] + gaps
        return {"cursor": gaps[0]["cursor"] if gaps else None, "newest": self.newest, "gaps": gaps}
