"""Staff accounts and the roles that decide what each may do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    EDITOR = "editor"
    APPROVER = "approver"
    CONSULAR_OFFICER = "consular_officer"
    VIEWER = "viewer"


ALL_ROLES: frozenset[Role] = frozenset(Role)


@dataclass(slots=True, frozen=True)
class StaffUser:
    id: int
    username: str
    display_name: str
    role: Role
    disabled: bool
    locale: str
    created_at: datetime
