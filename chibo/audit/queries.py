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
