"""The one state change of the sample domain, through a service like every domain's."""

from datetime import date

from django.db import transaction

from chibo.accounts.policy import require
from chibo.audit.services import record_change
from chibo.core.exceptions import RuleViolation
from chibo.organizations.models import Organization, OrgPeriod
from tests.sample_domain.capabilities import MANAGE_SAMPLE
from tests.sample_domain.models import SampleVisit


def record_visit(organization: Organization, day: date, *, visitors: int = 0, note: str = "",
                 actor) -> SampleVisit:
    """A visit to `organization` on `day`, by someone who manages visits there; the
    organization must have existed on that day."""
    with transaction.atomic():
        require(actor, MANAGE_SAMPLE, organization)
        if not OrgPeriod.objects.as_of(day).filter(organization=organization).exists():
            raise RuleViolation(f"{organization.code} không tồn tại vào ngày {day:%d/%m/%Y}",
                                field="day")
        visit = SampleVisit.objects.create(organization=organization, day=day,
                                           visitors=visitors, note=note)
        record_change("sample.visit", actor=actor, obj=visit, org=organization,
                      after={"org": organization.code, "day": day.isoformat(),
                             "visitors": visitors, "note": note})
    return visit
