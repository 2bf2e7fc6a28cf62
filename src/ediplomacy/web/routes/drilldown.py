"""The explorer's drill-down parameters: what a click on a dashboard chart adds to the URL."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from ediplomacy.store.timeutil import as_utc

# Query parameter -> PostFilters field (the dashboard's explorer_params, read back).
FIELDS = {
    "sentiment": "sentiment",
    "country": "author_country",
    "mentioned": "mentioned",
    "topic": "topic",
    "cluster": "cluster",
    "target": "stance_target",
    "stance": "stance",
    "hashtag": "hashtag",
    "domain": "domain",
    "url": "url",
    "start": "start",
    "end": "end",
    "rule": "rule_match",  # a watch rule's id; the route turns it into the rule's condition
}
MOMENTS = ("start", "end")


def _moment(value: str, problems: list[str]) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        problems.append(value)
        return None
    return as_utc(moment)


class DrillDown:
    """A FastAPI dependency: the drill-down query parameters of the explorer, as plain text."""

    def __init__(
        self,
        sentiment: str = "",
        country: str = "",
        mentioned: str = "",
        topic: str = "",
        cluster: str = "",
        target: str = "",
        stance: str = "",
        hashtag: str = "",
        domain: str = "",
        url: str = "",
        start: str = "",
        end: str = "",
        rule: str = "",
    ) -> None:
        self.values = {
            name: value.strip()
            for name, value in {
                "sentiment": sentiment,
                "country": country,
                "mentioned": mentioned,
                "topic": topic,
                "cluster": cluster,
                "target": target,
                "stance": stance,
                "hashtag": hashtag,
                "domain": domain,
                "url": url,
                "start": start,
                "end": end,
                "rule": rule,
            }.items()
            if value.strip()
        }

    def filters(self, problems: list[str]) -> dict[str, Any]:
        """Keyword arguments for PostFilters; a bad time is reported in `problems` and dropped."""
        found: dict[str, Any] = {}
        for name, value in self.values.items():
            if name in MOMENTS:
                moment = _moment(value, problems)
                if moment is not None:
                    found[FIELDS[name]] = moment
            else:
                found[FIELDS[name]] = value
        return found

    def form(self) -> dict[str, str]:
        return dict(self.values)

    def chips(self, form: dict[str, str]) -> list[tuple[str, str, str]]:
        """(parameter, value, explorer URL without it) for each drill-down filter in use."""
        kept = {name: value for name, value in form.items() if value and value != "any"}
        return [
            (name, value, "/listen?" + urlencode({k: v for k, v in kept.items() if k != name}))
            for name, value in self.values.items()
        ]
