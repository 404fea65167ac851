"""Subtree conditions on a materialized path: the tree arithmetic of the restricted querysets.

`chibo.accounts.querysets.RestrictedQuerySet` turns the permission policy's paths into these
conditions; statistics and queries use them for any subtree. Nothing here knows who may see
what, so the core names no domain."""

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
