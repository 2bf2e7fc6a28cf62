"""Argon2id password hashing (argon2-cffi, RFC 9106 low-memory profile: t=3, m=64 MiB, p=4)."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from ediplomacy.security.errors import InvalidAccount

MIN_LENGTH = 12
MAX_LENGTH = 1024  # bounds the hashing work one request can ask for


@functools.cache
def _hasher() -> PasswordHasher:
    return PasswordHasher(type=Type.ID)


@functools.cache
def _decoy_hash() -> str:
    return _hasher().hash("decoy password, never valid for anyone")


def check_strength(password: str) -> None:
    """Refuse passwords too short to resist guessing, or absurdly long."""
    if len(password) < MIN_LENGTH:
        raise InvalidAccount(
            f"The password must have at least {MIN_LENGTH} characters; "
            "a few unrelated words make a long one that is easy to remember.",
            "users.error.password_short",
            min=MIN_LENGTH,
        )
    if len(password) > MAX_LENGTH:
        raise InvalidAccount(
            f"The password must have at most {MAX_LENGTH} characters.",
            "users.error.password_long",
            max=MAX_LENGTH,
        )


def hash_password(password: str) -> str:
    """An Argon2id hash of `password`, with its own random salt and parameters."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches; never raises for a wrong or malformed hash."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher().check_needs_rehash(password_hash)


def spend_verify_time(password: str) -> None:
    """Verify against a decoy, so an unknown username takes as long as a wrong password."""
    verify_password(_decoy_hash(), password)
