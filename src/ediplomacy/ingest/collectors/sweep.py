"""Newest-to-oldest paging that resumes: continue an unfinished sweep, or fetch only what is new.

Search APIs and timelines page backwards in time. A run follows the platform's cursor and saves
it after every page; the next run continues from it. When a sweep reaches the end, the newest
thing it saw becomes the floor: the next sweep asks only for what came after it (since_id,
since=...), so a finished backfill is never read again.
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


class Sweep:
    """The saved paging state: the cursor of the sweep under way, its newest item, the floor."""

    def __init__(self, state: dict[str, Any], later: Callable[[str | None, str | None], Any]):
        self.cursor: str | None = state.get("cursor")
        self.floor: str | None = state.get("floor")  # newest item of the last finished sweep
        self.top: str | None = state.get("top")  # newest item of the sweep under way
        self.later = later

    @property
    def fresh(self) -> bool:
        """Whether this page starts a new sweep (no cursor to continue from)."""
        return self.cursor is None

    def advance(self, next_cursor: str | None, newest: str | None) -> dict[str, Any]:
        """Record a stored page; the state to save with it."""
        self.top = self.later(self.top, newest)
        if next_cursor:
            self.cursor = next_cursor
        else:  # the sweep is done: next time, only what is newer than its newest item
            self.floor = self.later(self.floor, self.top)
            self.cursor, self.top = None, None
        return self.state()

    def state(self) -> dict[str, Any]:
        return {"cursor": self.cursor, "floor": self.floor, "top": self.top}
