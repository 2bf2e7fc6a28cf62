"""The listening profile: what the desk listens for (stance targets, topics, places, rivals).

A TOML file (docs/listen.md) chosen by `Settings.resolved_listen_profile()`; without one the
bundled profile for Indonesia is used. Loaded once per process by the stages and the views.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from ediplomacy.domain.errors import ConfigurationError

BUNDLED = "default_profile.toml"


@dataclass(frozen=True, slots=True)
class Target:
    """Something the desk wants the world's stance toward: the country, a policy, a leader."""

    id: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic of the taxonomy, described by example sentences in any language."""

    id: str
    names: dict[str, str]  # locale -> display name
    examples: tuple[str, ...]

    def label(self, locale: str) -> str:
        return self.names.get(locale) or self.names.get("en") or self.id


@dataclass(frozen=True, slots=True)
class Place:
    """A country the gazetteer must know beyond the packaged one (for example a fictional one)."""

    code: str
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ListenProfile:
    country_code: str
    country_name: str
    targets: tuple[Target, ...] = ()
    topics: tuple[Topic, ...] = ()
    places: tuple[Place, ...] = ()
    share_of_voice: tuple[str, ...] = ()  # ISO codes compared on the dashboard
    officials: tuple[str, ...] = ()  # the ministry's own accounts: handles, "platform:handle"
    source: str = BUNDLED
    extra: dict[str, Any] = field(default_factory=dict)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigurationError(f"{where} must be a list of strings")
    return tuple(value)


def parse_profile(data: dict[str, Any], source: str) -> ListenProfile:
    """A profile from parsed TOML; every problem names the file and the field."""
    try:
        country = data.get("country", {})
        targets = tuple(
            Target(
                id=str(item["id"]),
                name=str(item.get("name", item["id"])),
                aliases=_strings(item.get("aliases", [item.get("name", item["id"])]),
                                 f"{source}: targets.{item['id']}.aliases"),
            )
            for item in data.get("targets", [])
        )  # fmt: skip
        topics = tuple(
            Topic(
                id=str(item["id"]),
                names=dict(item.get("name", {"en": item["id"]}))
                if isinstance(item.get("name"), dict)
                else {"en": str(item.get("name", item["id"]))},
                examples=_strings(item.get("examples", []), f"{source}: topics.{item['id']}"),
            )
            for item in data.get("topics", [])
        )
        places = tuple(
            Place(str(item["code"]).upper(), _strings(item["names"], f"{source}: places"))
            for item in data.get("places", [])
        )
        rivals = _strings(data.get("share_of_voice", {}).get("countries", []), source)
        officials = _strings(
            data.get("officials", {}).get("accounts", []), f"{source}: officials.accounts"
        )
        return ListenProfile(
            country_code=str(country.get("code", "ID")).upper(),
            country_name=str(country.get("name", "Indonesia")),
            targets=targets,
            topics=topics,
            places=places,
            share_of_voice=tuple(code.upper() for code in rivals),
            officials=officials,
            source=source,
        )
    except KeyError as missing:
        raise ConfigurationError(f"{source}: an entry lacks the field {missing}") from None
    except (TypeError, AttributeError, ValueError) as error:
        raise ConfigurationError(f"{source}: {error}") from None


def load_profile(path: Path | None) -> ListenProfile:
    """The profile at `path`, or the bundled one."""
    if path is None:
        text = files("ediplomacy.nlp.data").joinpath(BUNDLED).read_text(encoding="utf-8")
        source = BUNDLED
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise ConfigurationError(
                f"cannot read listen profile {path}: {error.strerror}"
            ) from None
        source = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigurationError(f"{source} is not valid TOML: {error}") from None
    return parse_profile(data, source)
