"""Reading the audit trail."""

from chibo.audit.models import AuditRecord


def object_history(obj, limit: int = 50):
    """The latest records about one object, newest first."""
    return list(
        AuditRecord.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("-seq")[:limit]
    )
