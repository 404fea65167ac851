"""Who may do what, and where: the capability matrix, in one place.

A user holds role grants on organizations; a grant covers the organization and its whole subtree
(its materialized path is a prefix of theirs). A capability is allowed on an organization when
some grant whose role carries the capability covers it. Superusers are system administrators and
may do everything everywhere. docs/permissions.md documents this table for people.

The matrix has two parts: the platform's and the records core's capabilities (`Capability`,
`MATRIX`), and those each process adds from its app's ready() with the roles that carry them
(`register_capability`, kept in the `capabilities` store). `capabilities_of` joins them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from chibo.accounts.choices import Role
from chibo.core.registry import Store, declare


class Capability(StrEnum):
    VIEW_ORGS = "org.view"
    MANAGE_ORGS = "org.manage"
    VIEW_MEMBERS = "member.view"
    MANAGE_MEMBERS = "member.manage"
    # National IDs in full in lists, their exports and the API's lists (masked otherwise); a
    # member's own file shows them to whoever may read the file.
    VIEW_SENSITIVE = "member.sensitive"
    VIEW_STATS = "stats.view"
    VIEW_HISTORY = "audit.history"  # an object's change history, inside the scope
    VIEW_AUDIT_TRAIL = "audit.trail"  # the whole trail of a subtree, with filters
    IMPORT_BUNDLE = "bundle.import"
    EXPORT_BUNDLE = "bundle.export"
    MANAGE_ACCOUNTS = "account.manage"


C = Capability
MATRIX: dict[str, frozenset[Capability]] = {
    Role.ADMIN: frozenset(Capability),
    Role.ORGANIZER: frozenset({
        C.VIEW_ORGS, C.MANAGE_ORGS, C.VIEW_MEMBERS, C.MANAGE_MEMBERS, C.VIEW_SENSITIVE,
        C.VIEW_STATS, C.VIEW_HISTORY, C.IMPORT_BUNDLE, C.EXPORT_BUNDLE,
    }),
    Role.INSPECTOR: frozenset({C.VIEW_ORGS, C.VIEW_MEMBERS, C.VIEW_STATS, C.VIEW_HISTORY}),
    Role.CLERK: frozenset({
        C.VIEW_ORGS, C.VIEW_MEMBERS, C.MANAGE_MEMBERS, C.VIEW_STATS, C.VIEW_HISTORY,
        C.EXPORT_BUNDLE,
    }),
    Role.SECRETARY: frozenset({C.VIEW_ORGS, C.VIEW_MEMBERS, C.VIEW_STATS}),
    # The cell's treasurer collects the dues (granted on a cell, like the secretary): the
    # dues process gives the role its capabilities (chibo.dues.apps); the member files stay
    # closed to it.
    Role.TREASURER: frozenset({C.VIEW_ORGS}),
    Role.VIEWER: frozenset({C.VIEW_ORGS, C.VIEW_STATS}),
    Role.MEMBER: frozenset({C.VIEW_ORGS}),
}


@dataclass(frozen=True)
class ProcessCapability:
    """A capability a process adds: its key ("meeting.manage"), its label for people, and the
    roles that carry it besides the administrator (who carries every capability)."""

    key: str
    label: Any
    roles: frozenset[str]


CAPABILITIES: Store[ProcessCapability] = declare("capabilities")


def register_capability(key: str, label, roles) -> str:
    """Add a process's capability; returns its key (a capability is a plain string)."""
    if key in set(Capability):
        raise ValueError(f"{key} is a capability of the records core")
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValueError(f"{key}: unknown roles {', '.join(sorted(unknown))}")
    CAPABILITIES.add(key, ProcessCapability(key, label, frozenset(roles) - {Role.ADMIN}))
    return key


def capabilities_of(role: str) -> frozenset[str]:
    """Every capability `role` carries: its row of MATRIX and the processes' registered ones."""
    if role == Role.ADMIN:
        return frozenset({*Capability, *CAPABILITIES})
    added = {key for key, entry in CAPABILITIES.items() if role in entry.roles}
    return MATRIX.get(role, frozenset()) | added


class SystemActor:
    """The actor of changes made by the system itself (the demo build, a CLI import).

    Services skip permission checks only for this object, never for a missing user.
    """

    is_authenticated = True
    is_superuser = True
    pk = None
    username = "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


def _grants(user) -> list[tuple[str, str]]:
    """(role, organization path) of the user's grants, read once per user object."""
    cached = getattr(user, "_chibo_grants", None)
    if cached is None:
        cached = list(user.grants.values_list("role", "organization__path"))
        user._chibo_grants = cached
    return cached


def scope_paths(user, capability: str) -> list[str] | None:
    """Paths under which `user` has `capability`; None means everywhere (system administrator).

    A deactivated account has no rights, even where it still acts: a background import
    confirmed before its author was deactivated re-checks this when it starts."""
    if user is None or not user.is_authenticated or not getattr(user, "is_active", True):
        return []
    if user.is_superuser:
        return None
    return [path for role, path in _grants(user) if capability in capabilities_of(role)]


def can(user, capability: str, organization=None) -> bool:
    """Whether `user` has `capability` on `organization` (or anywhere, when it is None)."""
    paths = scope_paths(user, capability)
    if paths is None:
        return True
    if organization is None:
        return bool(paths)
    return any(organization.path.startswith(path) for path in paths)


def permitted[T](user, entries: Iterable[T]) -> list[T]:
    """The registered entries (menu entries, cards) whose `capability` `user` holds somewhere,
    in their order; an entry whose capability is None is for everyone signed in."""
    return [entry for entry in entries
            if entry.capability is None or can(user, entry.capability)]


def roles_of(user) -> set[str]:
    """The roles `user` holds anywhere (from the grants already read for the permissions)."""
    if user is None or not user.is_authenticated:
        return set()
    return {role for role, _path in _grants(user)}


def require(user, capability: str, organization=None) -> None:
    """Raise PermissionDenied unless `user` may do this; SYSTEM always may."""
    from django.core.exceptions import PermissionDenied

    if user is SYSTEM:
        return
    if not can(user, capability, organization):
        raise PermissionDenied(capability)


def forget_grants(user) -> None:
    """Drop the cached grants and home organization after they changed (tests and grant
    services)."""
    for cached in ("_chibo_grants", "_chibo_home_organization"):
        if hasattr(user, cached):
            delattr(user, cached)
