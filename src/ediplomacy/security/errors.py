"""Errors of sign-in and account management; each carries a catalog key for the web UI.

The English message is what the CLI prints; `key` and `params` let the web UI say the same
thing in the user's language.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from ediplomacy.domain.errors import AccessDenied, EdiplomacyError, NotFound


class Explained:
    """Mixin: a message catalog key and its parameters, for translated messages."""

    key: str = "errors.generic"
    params: dict[str, str | int]

    def explain(self, key: str, **params: str | int) -> None:
        self.key = key
        self.params = params


class LoginFailed(Explained, AccessDenied):
    """Wrong username or password; which of the two is not said, on purpose."""

    def __init__(self) -> None:
        super().__init__("Wrong username or password; check both and try again.")
        self.explain("login.error.wrong")


class AccountLocked(Explained, AccessDenied):
    """Too many failed sign-ins in a row; the account opens again at `until`."""

    def __init__(self, until: datetime, now: datetime | None = None) -> None:
        self.until = until
        seconds = (until - (now or datetime.now(UTC))).total_seconds()
        self.minutes = max(1, math.ceil(seconds / 60))
        at = until.astimezone(UTC).strftime("%H:%M")
        super().__init__(
            f"Too many failed sign-ins: this account is locked until {at} UTC "
            f"(in {self.minutes} min). Try again then, or ask an administrator to unlock it."
        )
        self.explain("login.error.locked", minutes=self.minutes, until=at)


class AccountDisabled(Explained, AccessDenied):
    """The account exists but an administrator has disabled it."""

    def __init__(self) -> None:
        super().__init__("This account is disabled; ask an administrator to enable it.")
        self.explain("login.error.disabled")


class NotSignedIn(Explained, AccessDenied):
    """No valid session: never signed in, signed out, or the session expired."""

    def __init__(self) -> None:
        super().__init__("Sign in first: your session is missing or has expired.")
        self.explain("errors.not_signed_in")


class RoleNotAllowed(Explained, AccessDenied):
    """The signed-in user's role may not open this page or call this endpoint."""

    def __init__(self, role: str) -> None:
        super().__init__(
            f"Your role ({role}) may not open this page; ask an administrator if you need it."
        )
        self.explain("errors.forbidden", role=role)


class CsrfRejected(Explained, AccessDenied):
    """A form or API call came without the right anti-forgery token."""

    def __init__(self) -> None:
        super().__init__(
            "The form's security token is missing or out of date; reload the page and try again."
        )
        self.explain("errors.csrf")


class InvalidAccount(Explained, EdiplomacyError):
    """An account change that cannot be made as asked (bad name, weak password, unknown role)."""

    def __init__(self, message: str, key: str, **params: str | int) -> None:
        super().__init__(message)
        self.explain(key, **params)


class UnknownUser(Explained, NotFound):
    """No account has this username."""

    def __init__(self, username: str) -> None:
        super().__init__(
            f"No account is named '{username}'; `ediplomacy users list` shows the accounts."
        )
        self.explain("users.error.unknown", username=username)
