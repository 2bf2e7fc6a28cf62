"""Identifiers shaped like each platform's own: X snowflakes, AT Protocol DIDs, TIDs and CIDs."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from random import Random

_X_EPOCH_MS = 1288834974657
_B32_SORTABLE = "234567abcdefghijklmnopqrstuvwxyz"
_B32_LOWER = "abcdefghijklmnopqrstuvwxyz234567"
_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


class IdMaker:
    """Makes identifiers from one random stream and never hands out the same one twice."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self._seen: set[str] = set()

    def _unique(self, make: Callable[[], str]) -> str:
        while True:
            value = make()
            if value not in self._seen:
                self._seen.add(value)
                return value

    def x_snowflake(self, at: float) -> str:
        """A tweet or recent user id: milliseconds since X's epoch, worker and sequence bits."""
        ms = int(at * 1000)
        rng = self.rng
        return self._unique(
            lambda: str(
                ((ms - _X_EPOCH_MS) << 22) | (rng.randrange(1024) << 12) | rng.randrange(4096)
            )
        )

    def x_user_id(self, created_at: float) -> str:
        """Accounts from before 2014 have short sequential ids; later ones are snowflakes."""
        if created_at < 1_388_534_400:  # 2014-01-01
            low = 10_000_000 + int((created_at - 1_230_768_000) * 7)  # grows with the date
            return self._unique(lambda: str(max(12, low + self.rng.randrange(5_000_000))))
        return self.x_snowflake(created_at)

    def did(self) -> str:
        return self._unique(
            lambda: "did:plc:" + "".join(self.rng.choice(_B32_LOWER) for _ in range(24))
        )

    def tid(self, at: float) -> str:
        """An AT Protocol record key: microseconds and a clock id, base32-sortable, 13 chars."""
        micros = int(at * 1_000_000)

        def make() -> str:
            value = (micros << 10) | self.rng.randrange(1024)
            return "".join(_B32_SORTABLE[(value >> (60 - 5 * i)) & 31] for i in range(13))

        return self._unique(make)

    def mastodon_id(self, at: float) -> str:
        """Mastodon's ids: milliseconds shifted 16 bits, plus a random sequence."""
        ms = int(at * 1000)
        return self._unique(lambda: str((ms << 16) | self.rng.randrange(65536)))

    def code(self, length: int) -> str:
        """A random code of letters and digits, as used by link shorteners and t.co."""
        return self._unique(lambda: "".join(self.rng.choice(_ALNUM) for _ in range(length)))


def cid_for(data: bytes, *, blob: bool = False) -> str:
    """A CIDv1 (sha2-256) in base32 as Bluesky prints them: dag-cbor for records (bafyrei...),
    raw for blobs such as avatars (bafkrei...); hashed over `data`."""
    digest = hashlib.sha256(data).digest()
    raw = bytes((0x01, 0x55 if blob else 0x71, 0x12, 0x20)) + digest
    return "b" + base64.b32encode(raw).decode("ascii").lower().rstrip("=")


def place_id(name: str) -> str:
    """X place ids are 16 hex digits."""
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:16]
