"""Timestamps as platforms write them, read into timezone-aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_MONTHS = {
    "Jan": 1,
    "Feb": 2,
    "Mar": 3,
    "Apr": 4,
    "May": 5,
    "Jun": 6,
    "Jul": 7,
    "Aug": 8,
    "Sep": 9,
    "Oct": 10,
    "Nov": 11,
    "Dec": 12,
}
# Unix times above this are taken as milliseconds (it is the year 5138 in seconds).
_MILLIS_THRESHOLD = 100_000_000_000


def parse_iso(value: object) -> datetime | None:
    """An ISO 8601 timestamp as UTC; naive times are taken as UTC; None if unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return _parse_iso_slow(value)
    zone = moment.tzinfo
    if zone is UTC:
        return moment
    if zone is None:
        return moment.replace(tzinfo=UTC)
    return _to_utc(moment)


def _to_utc(moment: datetime) -> datetime | None:
    """UTC, or None where the shift leaves the calendar (year 1 east of Greenwich)."""
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return None


def _parse_iso_slow(value: str) -> datetime | None:
    """Forms fromisoformat refuses: surrounding blanks, 'z', too many fraction digits."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    head, dot, tail = text.partition(".")
    if dot:
        digits = len(tail) - len(tail.lstrip("0123456789"))
        if digits > 6:
            text = f"{head}.{tail[:6]}{tail[digits:]}"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return _to_utc(moment)


def parse_twitter(value: object) -> datetime | None:
    """A v1.1 timestamp such as 'Wed Sep 04 13:51:55 +0000 2019' as UTC; None if unreadable."""
    if not isinstance(value, str):
        return None
    parts = value.split()
    if len(parts) != 6:
        return parse_iso(value)
    _, month_name, day, clock, offset, year = parts
    month = _MONTHS.get(month_name)
    try:
        hour, minute, second = (int(piece) for piece in clock.split(":"))
        moment = datetime(int(year), month or 0, int(day), hour, minute, second, tzinfo=UTC)
        sign = -1 if offset.startswith("-") else 1
        shift = int(offset[-4:-2]) * 60 + int(offset[-2:])
    except ValueError:
        return None
    if shift:
        try:
            moment -= timedelta(minutes=sign * shift)
        except OverflowError:
            return None
    return moment


def from_unix(value: object) -> datetime | None:
    """Seconds (milliseconds when too large for seconds) since 1970 as UTC; None if unreadable."""
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    if seconds != seconds:  # NaN
        return None
    if abs(seconds) >= _MILLIS_THRESHOLD:
        seconds /= 1000.0
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def parse_any(value: object) -> datetime | None:
    """ISO 8601, unix seconds or a v1.1 Twitter timestamp, whichever the text is; None if none."""
    if not isinstance(value, str):
        return from_unix(value) if isinstance(value, int | float) else None
    text = value.strip()
    if not text:
        return None
    if text[0].isdigit() and text.replace(".", "", 1).isdigit():
        return from_unix(text)
    return parse_iso(text) or parse_twitter(text)
