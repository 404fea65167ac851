"""`chibo demo --size small` builds through the bundle import, with the demo accounts."""

import io
from datetime import date

from chibo.accounts.models import User
from chibo.members.models import Member
from chibo.organizations.models import Organization, OrgPeriod
from chibo.removal.models import RemovalCase
from chibo.site.demo import DEMO_PASSWORD, build_demo


def test_small_demo_builds_with_its_accounts(db):
    accounts = build_demo(seed=2025, size="small", stream=io.StringIO())
    assert [a.username for a in accounts] == ["admin", "province", "inspector", "commune",
                                              "secretary", "member"]
    assert User.objects.get(username="commune").check_password(DEMO_PASSWORD)
    assert 1800 <= Member.objects.filter(status__in=["official", "probationary"]).count() <= 2200
    district = Organization.objects.get(code="TQ.SD")
    assert OrgPeriod.objects.as_of(date(2025, 6, 30)).filter(organization=district).exists()
    commune = User.objects.get(username="commune").home_organization()
    assert commune.parent.code == "TQ" and commune.merged_from.exists()
    member = User.objects.get(username="member").member
    assert member.cell == User.objects.get(username="member").home_organization()
    # removal cases on absences the meetings show (the small demo has few): the first removed
    # (its event), the second not, others waiting
    cases = list(RemovalCase.objects.select_related("member", "event").order_by("id"))
    assert cases and [case.outcome for case in cases][:3] == [
        "removed", "rejected", "pending"][:len(cases)]
    assert all(case.evidence["unexcused_absence"].startswith("Vắng sinh hoạt") for case in cases)
    assert all(case.member.status == "removed" for case in cases if case.outcome == "removed")
