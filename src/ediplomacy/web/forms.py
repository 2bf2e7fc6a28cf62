"""Reading form and query-string values the same way on every page."""

from __future__ import annotations

from datetime import date


def form_date(value: str, problems: list[str]) -> date | None:
    """An ISO date from a form field; a value that is not one is added to `problems`."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(value)
        return None
