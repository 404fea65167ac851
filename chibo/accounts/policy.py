"""Who may do what, and where: the capability matrix, in one place.

A user holds role grants on organizations; a grant covers the organization and its whole subtree
(its materialized path is a prefix of theirs). A capability is allowed on an organization when
some grant whose role carries the capability covers it. Superusers are system administrators and
may do everything everywhere. docs/permissions.md documents this table for people.
"""

from enum import StrEnum

from chibo.accounts.choices import Role


class Capability(StrEnum):
    VIEW_ORGS = "org.view"
    MANAGE_ORGS = "org.manage"
    VIEW_MEMBERS = "member.view"
    MANAGE_MEMBERS = "member.manage"
    VIEW_STATS = "stats.view"
    VIEW_HISTORY = "audit.history"  # an object's change history, inside the scope
    VIEW_AUDIT_TRAIL = "audit.trail"  # the whole trail of a subtree, with filters
    IMPORT_BUNDLE = "bundle.import"
    EXPORT_BUNDLE = "bundle.export"
    MANAGE_MEETINGS = "meeting.manage"
    MANAGE_DOCUMENTS = "document.manage"
    MANAGE_INSPECTIONS = "inspection.manage"
    MANAGE_ACCOUNTS = "account.manage"


C = Capability
MATRIX: dict[str, frozenset[Capability]] = {
    Role.ADMIN: frozenset(Capability),
    Role.ORGANIZER: frozenset({
        C.VIEW_ORGS, C.MANAGE_ORGS, C.VIEW_MEMBERS, C.MANAGE_MEMBERS, C.VIEW_STATS,
        C.VIEW_HISTORY, C.IMPORT_BUNDLE, C.EXPORT_BUNDLE, C.MANAGE_MEETINGS, C.MANAGE_DOCUMENTS,
    }),
    Role.INSPECTOR: frozenset({
        C.VIEW_ORGS, C.VIEW_MEMBERS, C.VIEW_STATS, C.VIEW_HISTORY, C.MANAGE_INSPECTIONS,
    }),
    Role.CLERK: frozenset({
        C.VIEW_ORGS, C.VIEW_MEMBERS, C.MANAGE_MEMBERS, C.VIEW_STATS, C.VIEW_HISTORY,
        C.EXPORT_BUNDLE, C.MANAGE_MEETINGS, C.MANAGE_DOCUMENTS,
    }),
    Role.SECRETARY: frozenset({
        C.VIEW_ORGS, C.VIEW_MEMBERS, C.VIEW_STATS, C.MANAGE_MEETINGS, C.MANAGE_DOCUMENTS,
    }),
    Role.VIEWER: frozenset({C.VIEW_ORGS, C.VIEW_STATS}),
    Role.MEMBER: frozenset({C.VIEW_ORGS}),
}


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


def scope_paths(user, capability: Capability) -> list[str] | None:
    """Paths under which `user` has `capability`; None means everywhere (system administrator).

    A deactivated account has no rights, even where it still acts: a background import
    confirmed before its author was deactivated re-checks this when it starts."""
    if user is None or not user.is_authenticated or not getattr(user, "is_active", True):
        return []
    if user.is_superuser:
        return None
    return [path for role, path in _grants(user) if capability in MATRIX.get(role, ())]


def can(user, capability: Capability, organization=None) -> bool:
    """Whether `user` has `capability` on `organization` (or anywhere, when it is None)."""
    paths = scope_paths(user, capability)
    if paths is None:
        return True
    if organization is None:
        return bool(paths)
    return any(organization.path.startswith(path) for path in paths)


def require(user, capability: Capability, organization=None) -> None:
    """Raise PermissionDenied unless `user` may do this; SYSTEM always may."""
    from django.core.exceptions import PermissionDenied

    if user is SYSTEM:
        return
    if not can(user, capability, organization):
        raise PermissionDenied(capability)


def forget_grants(user) -> None:
    """Drop the cached grants after they changed (tests and grant services)."""
    if hasattr(user, "_chibo_grants"):
        del user._chibo_grants
