"""Reading the audit trail."""

from chibo.audit.models import AuditRecord


def object_history(obj, limit: int = 50):
    """The latest records about one object, newest first."""
    return list(
        AuditRecord.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("-seq")[:limit]
    )


def high_water_mark() -> int:
    """The sequence number of the last audit record: it changes with every recorded change, so
    what is derived from the records can be cached under it (chibo.site.figures)."""
    from chibo.audit.models import AuditHead

    return AuditHead.objects.values_list("last_seq", flat=True).first() or 0


def cached_until_change(key: str, compute, seconds: int = 15 * 60):
    """`compute()`, kept in the cache under `key` until the next recorded change (or
    `seconds`, or the end of the day): for what reads a whole subtree and changes only when
    its records do (the home page's figures, a province's findings). The value must pickle;
    it is kept per language, since what it holds may have been worded in the user's."""
    from django.core.cache import cache
    from django.utils import timezone, translation

    full_key = ":".join(("chibo", key, translation.get_language() or "",
                         timezone.localdate().isoformat(), str(high_water_mark())))
    found = cache.get(full_key, _MISSING)
    if found is _MISSING:
        found = compute()
        cache.set(full_key, found, seconds)
    return found


_MISSING = object()
