"""Restricted querysets: every read of scoped data goes through `visible_to(user)`."""

from django.db import models
from django.db.models import Q

from chibo.core.fields import subtree_range


def path_scope_q(paths: list[str] | None, field: str) -> Q:
    """Rows whose `field` lies in the subtree of any of `paths` (None = no limit)."""
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in outermost(paths):
        low, high = subtree_range(path)
        condition |= Q(**{f"{field}__gte": low, f"{field}__lt": high})
    return condition


def outermost(paths: list[str]) -> list[str]:
    """Drop paths that lie inside another one, so the OR stays short."""
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return kept


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows which path field places its rows in the organization tree.

    Models set `scope_path_field` (e.g. "path", "organization__path"); `visible_to` keeps the rows
    under the organizations where the user holds a grant with the capability.
    """

    def visible_to(self, user, capability: str | None = None):
        from chibo.accounts.policy import Capability, scope_paths

        capability = capability or getattr(self.model, "view_capability", Capability.VIEW_ORGS)
        field = self.model.scope_path_field
        return self.filter(path_scope_q(scope_paths(user, capability), field))
