from __future__ import annotations

import pytest

from ediplomacy.security.errors import InvalidAccount
from ediplomacy.security.passwords import (
    MIN_LENGTH,
    check_strength,
    hash_password,
    needs_rehash,
    verify_password,
)


def test_hash_is_argon2id_and_salted() -> None:
    first = hash_password("a long enough password")
    second = hash_password("a long enough password")
    assert first.startswith("$argon2id$")
    assert first != second
    assert not needs_rehash(first)


def test_verify_accepts_only_the_password() -> None:
    stored = hash_password("a long enough password")
    assert verify_password(stored, "a long enough password")
    assert not verify_password(stored, "a long enough passwort")
    assert not verify_password("not a hash", "anything")


def test_short_passwords_are_refused_with_advice() -> None:
    with pytest.raises(InvalidAccount, match=f"at least {MIN_LENGTH} characters") as caught:
        check_strength("short")
    assert caught.value.key == "users.error.password_short"
    check_strength("x" * MIN_LENGTH)
