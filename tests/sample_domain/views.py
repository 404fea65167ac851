from django.shortcuts import render

from chibo.accounts.policy import require
from chibo.core.fields import subtree_range
from chibo.organizations.views import visible_org
from tests.sample_domain.capabilities import MANAGE_SAMPLE
from tests.sample_domain.models import SampleVisit


def visits(request, code: str):
    """The visits under an organization: 404 outside the user's scope, 403 without the
    capability."""
    org = visible_org(request, code)
    require(request.user, MANAGE_SAMPLE, org)
    low, high = subtree_range(org.path)
    rows = SampleVisit.objects.visible_to(request.user, MANAGE_SAMPLE).filter(
        organization__path__gte=low, organization__path__lt=high).select_related(
        "organization").order_by("-day", "-pk")
    return render(request, "sample_domain/visits.html", {"org": org, "visits": rows[:200]})
