"""What every format parser shares: a page builder without duplicates, language codes, counts."""

from __future__ import annotations

from typing import Any

from ediplomacy.domain.posts import Actor, Parsed, Post, Rejected

# Codes platforms use for "no language" or "not text" (X's q** codes: mentions, media, hashtags...).
_NOT_A_LANGUAGE = frozenset({"und", "zxx", "qam", "qct", "qht", "qme", "qst", "art", ""})
# Deprecated ISO 639 codes X still writes.
_RENAMED_LANGUAGES = {"in": "id", "iw": "he", "ji": "yi"}


_LANGUAGE_MEMO: dict[str, str | None] = {}
_LANGUAGE_MEMO_SIZE = 2048


def language_code(value: object) -> str | None:
    """A platform's declared language in lower case; None for 'und', 'zxx' and the like."""
    if type(value) is not str:
        return None
    try:
        return _LANGUAGE_MEMO[value]
    except KeyError:
        pass
    cleaned = value.strip().lower().replace("_", "-")
    code = None
    if cleaned not in _NOT_A_LANGUAGE and len(cleaned) <= 20:
        code = _RENAMED_LANGUAGES.get(cleaned, cleaned)
    if len(_LANGUAGE_MEMO) < _LANGUAGE_MEMO_SIZE:
        _LANGUAGE_MEMO[value] = code
    return code


# Counts are stored as 64-bit integers; anything larger is not a real count.
MAX_COUNT = 2**63 - 1


def count(value: object) -> int | None:
    """A non-negative count from an int or a numeric string; None otherwise."""
    number: int | None = None
    if type(value) is int:
        number = value
    elif (isinstance(value, str) and value.isdecimal()) or (
        isinstance(value, float) and value.is_integer()
    ):
        number = int(value)
    return number if number is not None and 0 <= number <= MAX_COUNT else None


def text_id(value: object) -> str | None:
    """An identifier as text; numbers become their decimal digits, anything else None."""
    if isinstance(value, str):
        return value or None
    if type(value) is int:
        return str(value)
    return None


def clean_text(text: str) -> str:
    """Text without NUL characters, which PostgreSQL cannot store in a text column."""
    return text.replace("\x00", "") if "\x00" in text else text


def text_or_none(value: object) -> str | None:
    """The value if it is a non-empty string (NUL characters dropped), else None."""
    if type(value) is not str or not value:
        return None
    return clean_text(value) or None


def flag(value: object) -> bool | None:
    """A yes/no the payload states, or None when it does not say."""
    return value if type(value) is bool else None


def as_dict(value: object) -> dict[str, Any]:
    """The value if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    """The value if it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


class PageBuilder:
    """Collects the posts and actors of one record, each (platform, id) once, first one wins."""

    __slots__ = ("_actor_ids", "_post_ids", "parsed")

    def __init__(self) -> None:
        self.parsed = Parsed()
        self._post_ids: set[str] = set()
        self._actor_ids: set[str] = set()

    def has_post(self, external_id: str) -> bool:
        """Whether a post with this id was already added."""
        return external_id in self._post_ids

    def add_post(self, post: Post) -> None:
        """Keep the post unless one with the same id is already kept."""
        if post.external_id not in self._post_ids:
            self._post_ids.add(post.external_id)
            self.parsed.posts.append(post)

    def add_actor(self, actor: Actor | None) -> None:
        """Keep the actor unless one with the same id is already kept."""
        if actor is not None and actor.external_id not in self._actor_ids:
            self._actor_ids.add(actor.external_id)
            self.parsed.actors.append(actor)

    def reject(self, reason: str, payload: Any = None) -> None:
        """Set aside one broken part of the record, with why."""
        self.parsed.rejected.append(Rejected(reason=reason, payload=payload))
