"""GET /api/v1/sample/visits?org=CODE: the visits under an organization, scoped like the page."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from chibo.accounts.policy import require
from chibo.core.fields import subtree_range
from chibo.core.validation import api_code
from chibo.organizations.models import Organization
from tests.sample_domain.capabilities import MANAGE_SAMPLE
from tests.sample_domain.models import SampleVisit

router = Router(tags=["sample"])


class VisitOut(Schema):
    org: str
    day: date
    visitors: int
    note: str


@router.get("/visits", response=list[VisitOut])
def list_visits(request, org: api_code()):  # typed as chibo's codes: refused as they are
    organization = get_object_or_404(Organization.objects.visible_to(request.user), code=org)
    require(request.user, MANAGE_SAMPLE, organization)
    low, high = subtree_range(organization.path)
    rows = SampleVisit.objects.visible_to(request.user, MANAGE_SAMPLE).filter(
        organization__path__gte=low, organization__path__lt=high).select_related(
        "organization").order_by("-day", "-pk")[:500]
    return [{"org": v.organization.code, "day": v.day, "visitors": v.visitors, "note": v.note}
            for v in rows]
