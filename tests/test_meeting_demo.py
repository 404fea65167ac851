"""The demo province gets a realistic year of meetings for every cell, with attendance."""

import io

from django.utils import timezone

from chibo.core.compliance import Period, run_checks
from chibo.meetings.models import Attendance, Meeting
from chibo.meetings.queries import expected_members
from chibo.members.models import MemberPeriod
from chibo.organizations.models import Organization
from chibo.site.demo import build_demo


def test_small_demo_has_a_year_of_meetings_for_every_cell(db):
    build_demo(seed=2025, size="small", stream=io.StringIO())
    today = timezone.localdate()
    last_month = today.replace(day=1) - timezone.timedelta(days=1)
    cells_with_members = set(MemberPeriod.objects.filter(
        valid_from__lte=last_month, valid_to__gt=last_month).values_list("org", flat=True))
    met = set(Meeting.objects.filter(status="closed", date__year=last_month.year,
                                     date__month=last_month.month).values_list(
        "organization", flat=True))
    # Every cell with members met last month, but for the few that skipped it.
    assert len(met) >= 0.9 * len(cells_with_members) and met <= cells_with_members
    assert {"regular", "thematic"} <= set(Meeting.objects.values_list("kind", flat=True))
    assert Meeting.objects.filter(date__lt=today.replace(day=1)).exclude(
        status="closed").count() == 0
    closed = Meeting.objects.filter(status="closed").order_by("code").first()
    listed = {e.member.pk for e in expected_members(closed)}
    assert set(closed.attendance.values_list("member", flat=True)) == listed
    statuses = set(Attendance.objects.values_list("status", flat=True))
    assert {"present", "excused", "unexcused"} <= statuses
    excused = Attendance.objects.filter(status="excused").count()
    assert 0 < excused < 0.1 * Attendance.objects.count()
    root = Organization.objects.get(code="TQ")
    findings = run_checks(root, Period(last_month.year, None, today))
    assert {f.check for f in findings} >= {"meetings.no_regular", "meetings.below_quality"}
