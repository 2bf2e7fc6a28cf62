"""The rejects file: every record set aside, with its file, line and reason, as JSON lines."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import orjson


class RejectsFile:
    """Opened on the first reject, so a clean import leaves no empty file behind."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._handle: IO[bytes] | None = None

    def write(self, where: str, reason: str, payload: Any) -> None:
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("ab")
        file, _, line = where.rpartition(":")
        entry = {"file": file, "line": int(line) if line.isdigit() else None, "reason": reason,
                 "payload": payload}  # fmt: skip
        self._handle.write(orjson.dumps(entry, default=str) + b"\n")
        self.count += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
