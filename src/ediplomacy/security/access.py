"""Which roles may enter which area of the desk; the web shell and its tests read this table."""

from __future__ import annotations

from enum import StrEnum

from ediplomacy.domain.people import ALL_ROLES, Role
from ediplomacy.security.errors import InvalidAccount


class Area(StrEnum):
    """The rooms of the desk as the navigation shows them."""

    OVERVIEW = "overview"
    LISTEN = "listen"
    VERIFY = "verify"
    PUBLISH = "publish"
    ENGAGE = "engage"
    CONSULAR = "consular"
    ADMIN = "admin"


# Social listening reads public posts: every staff role may read it. Citizens' personal data
# (consular) is limited to consular officers; drafting and approving to the publishing roles.
AREA_ROLES: dict[Area, frozenset[Role]] = {
    Area.OVERVIEW: ALL_ROLES,
    Area.LISTEN: ALL_ROLES,
    Area.VERIFY: frozenset({Role.ADMIN, Role.ANALYST, Role.EDITOR, Role.APPROVER}),
    Area.PUBLISH: frozenset({Role.ADMIN, Role.EDITOR, Role.APPROVER}),
    Area.ENGAGE: frozenset({Role.ADMIN, Role.EDITOR, Role.APPROVER, Role.CONSULAR_OFFICER}),
    Area.CONSULAR: frozenset({Role.ADMIN, Role.CONSULAR_OFFICER}),
    Area.ADMIN: frozenset({Role.ADMIN}),
}


def roles_for(area: Area) -> frozenset[Role]:
    return AREA_ROLES[area]


def areas_for(role: Role) -> list[Area]:
    """The areas a role may enter, in navigation order."""
    return [area for area in Area if role in AREA_ROLES[area]]


def parse_role(value: str) -> Role:
    """A Role from its name, or an error listing the valid names."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        names = ", ".join(role.value for role in Role)
        raise InvalidAccount(
            f"Unknown role '{value}'; choose one of: {names}.",
            "users.error.unknown_role",
            role=value,
            roles=names,
        ) from None
