"""Errors a user can meet; each message says what to do next."""


class EdiplomacyError(Exception):
    """Base class for errors the CLI prints in one line and the API returns as problem JSON."""


class UnreadableInput(EdiplomacyError):
    """A whole input file cannot be read (missing, not permitted, not the format asked for)."""


class MalformedRecord(EdiplomacyError):
    """One record in an input is broken; it is set aside and the rest is kept."""


class UnknownFormat(EdiplomacyError):
    """The format of an input could not be recognised."""


class ConfigurationError(EdiplomacyError):
    """Settings are missing or unsafe for the mode the app runs in."""


class NotFound(EdiplomacyError):
    """The thing asked for does not exist."""


class AccessDenied(EdiplomacyError):
    """The user may not do this."""
