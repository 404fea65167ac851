from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from chibo.accounts.policy import Capability, can
from chibo.audit.forms import TrailFilterForm
from chibo.audit.models import AuditRecord


def trail(request):
    """The audit trail of the user's subtrees (everything for a system administrator)."""
    if not can(request.user, Capability.VIEW_AUDIT_TRAIL):
        raise PermissionDenied
    form = TrailFilterForm(request.GET or None)
    records = form.apply(
        AuditRecord.objects.visible_to(request.user, Capability.VIEW_AUDIT_TRAIL).order_by("-seq")
    )
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(request, "audit/trail.html", {"form": form, "page": page})
