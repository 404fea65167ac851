"""The meeting rules as compliance checks (RULES.md §5 and §1), registered for `chibo check`
and the findings page: cells without a regular meeting in a month or a thematic meeting in a
quarter, meetings below the quality bar, members absent without valid reason in three months of
a year (the removal rule)."""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.compliance import Finding, Period, Subject, register_check
from chibo.meetings.choices import AttendanceStatus, MeetingKind, MeetingStatus
from chibo.meetings.metrics import (
    THEMATIC_Q,
    expected_cells,
    full_months,
    held_meetings,
    held_rows,
)
from chibo.meetings.models import Attendance, Meeting
from chibo.meetings.rules import (
    FREQUENCY_SOURCE,
    QUALITY_CRITERIA,
    REMOVAL_MONTHS,
    REMOVAL_SOURCE,
    quality_rule_on,
)


def _over(period: Period) -> tuple[date, date]:
    """The part of the period that is over (up to yesterday)."""
    end = min(period.last_day, date.fromordinal(period.today.toordinal() - 1))
    return period.first_day, end


def _cells_missing(org, first: date, last: date, condition) -> list:
    """Cells expected to meet over [first, last] that held no closed meeting matching
    `condition` in it."""
    held = Meeting.objects.filter(condition, organization=OuterRef("pk"),
                                  status=MeetingStatus.CLOSED, date__gte=first, date__lte=last)
    return list(expected_cells(org, first, last).exclude(Exists(held)).order_by("code"))


def no_regular_meeting(org, period: Period) -> list[Finding]:
    findings = []
    for first, last in full_months(*_over(period)):
        label = f"{first.month:02d}/{first.year}"
        for cell in _cells_missing(org, first, last, Q(kind=MeetingKind.REGULAR)):
            findings.append(Finding(
                "meetings.no_regular", cell.code, cell.name, label, cell.code,
                _("Không sinh hoạt thường kỳ trong tháng %(month)s") % {"month": label},
                FREQUENCY_SOURCE))
    return findings


def quarters(first: date, last: date) -> list[tuple[int, date, date]]:
    out = []
    for quarter in range(1, 5):
        start = date(first.year, 3 * quarter - 2, 1)
        months = full_months(start, date(first.year, 12, 31))[:3]
        end = months[-1][1]
        if start >= first and end <= last:
            out.append((quarter, start, end))
    return out


def no_thematic_meeting(org, period: Period) -> list[Finding]:
    findings = []
    first, last = _over(Period(period.year, None, period.today))
    for quarter, start, end in quarters(first, last):
        if period.month and not start.month <= period.month <= end.month:
            continue
        label = f"Q{quarter}/{period.year}"
        for cell in _cells_missing(org, start, end, THEMATIC_Q):
            findings.append(Finding(
                "meetings.no_thematic", cell.code, cell.name, label, cell.code,
                _("Không sinh hoạt chuyên đề trong quý %(quarter)s") % {"quarter": label},
                FREQUENCY_SOURCE))
    return findings


def below_quality(org, period: Period) -> list[Finding]:
    """Closed meetings below the quality bar, read as plain values (a province's year has
    thousands: model instances and a date format per row cost seconds)."""
    meetings = held_meetings(org, period.first_day, period.last_day).filter(
        quality_passed=False).values_list("code", "date", "quality_failures",
                                          "organization__code", "organization__name")
    labels: dict[str, str] = {}  # criterion code -> its words, translated once
    sources: dict[date, str] = {}
    findings = []
    for code, day, failures, org_code, org_name in meetings:
        for failure in failures:
            if failure not in labels:
                labels[failure] = str(QUALITY_CRITERIA.get(failure, failure))
        if day not in sources:
            sources[day] = quality_rule_on(day).source
        findings.append(Finding(
            "meetings.below_quality", org_code, org_name, day.strftime("%d/%m/%Y"), code,
            "; ".join(labels[failure] for failure in failures), sources[day]))
    return findings


def unexcused_months(org, year: int):
    """(member id, number of distinct months) of members absent without valid reason from
    their cell's meetings in at least REMOVAL_MONTHS months of `year`, meetings placed in the
    subtree by their day."""
    # Read from the absences (a few in a hundred rows, their own partial index), each placed
    # by its meeting: asking for the absences of the subtree's held meetings had the database
    # place every meeting of the year first (0.2 s for a province, 0.04 s this way).
    absences = held_rows(Attendance, "meeting__", org, date(year, 1, 1), date(year, 12, 31))
    return (absences.filter(status=AttendanceStatus.UNEXCUSED)
            .values("member").annotate(months=Count(TruncMonth("meeting__date"), distinct=True))
            .filter(months__gte=REMOVAL_MONTHS).order_by("member"))


def absence_evidence(member, day: date) -> str | None:
    """The removal ground "absent without valid reason three months in a year" as the meetings
    show it on `day`: the months of the member's unexcused absences from closed meetings, in
    `day`'s year or the year before (chibo.removal; REMOVAL_MONTHS)."""
    for year in (day.year, day.year - 1):
        months = sorted({d.month for d in Attendance.objects.filter(
            member=member, status=AttendanceStatus.UNEXCUSED,
            meeting__status=MeetingStatus.CLOSED, meeting__date__gte=date(year, 1, 1),
            meeting__date__lte=min(day, date(year, 12, 31))).values_list(
            "meeting__date", flat=True)})
        if len(months) >= REMOVAL_MONTHS:
            return _("Vắng sinh hoạt chi bộ không có lý do %(n)s tháng của năm %(year)s "
                     "(tháng %(months)s).") % {"n": len(months), "year": year,
                                               "months": ", ".join(map(str, months))}
    return None


def removal_rule(org, period: Period) -> list[Finding]:
    from chibo.members.models import Member

    rows = {row["member"]: row["months"] for row in unexcused_months(org, period.year)}
    members = Member.objects.filter(pk__in=rows).select_related("cell").order_by("sort_key")
    return [Finding(
        "members.unexcused_absences", member.cell.code, member.cell.name, str(period.year),
        f"{member.member_code} {member.full_name}",
        _("Vắng sinh hoạt không có lý do trong %(n)s tháng của năm %(year)s: xem xét xóa tên")
        % {"n": rows[member.pk], "year": period.year}, REMOVAL_SOURCE) for member in members]


# How the subjects read on the findings page: the cell, the meeting or the member, named and
# linked, in one query per page of findings.

def _codes(findings: list[Finding]) -> list[str]:
    return sorted({f.subject for f in findings})


def cell_subjects(findings: list[Finding]) -> dict[str, Subject]:
    """A cell's subject is its code: its name, and its meetings."""
    from chibo.organizations.models import Organization

    return {code: Subject(name, reverse("meetings:list", args=[code]))
            for code, name in Organization.objects.filter(code__in=_codes(findings))
            .values_list("code", "name")}


def meeting_subjects(findings: list[Finding]) -> dict[str, Subject]:
    """A meeting's subject is its code: its kind, day and topic, and its page."""
    return {meeting.code: Subject(str(meeting), reverse("meetings:detail", args=[meeting.code]))
            for meeting in Meeting.objects.filter(code__in=_codes(findings)).only(
                "code", "kind", "date", "topic")}


def member_subjects(findings: list[Finding]) -> dict[str, Subject]:
    """A member's subject is "code name" (removal_rule): the name, and the member's file."""
    from chibo.members.models import Member

    by_code = {f.subject.partition(" ")[0]: f.subject for f in findings}
    return {by_code[code]: Subject(name, reverse("members:detail", args=[code]))
            for code, name in Member.objects.filter(member_code__in=sorted(by_code))
            .values_list("member_code", "full_name")}


def register() -> None:
    """Called by the meetings app's ready()."""
    register_check("meetings.no_regular",
                   gettext_lazy("Chi bộ không sinh hoạt thường kỳ trong tháng"),
                   no_regular_meeting, cell_subjects)
    register_check("meetings.no_thematic",
                   gettext_lazy("Chi bộ không sinh hoạt chuyên đề trong quý"),
                   no_thematic_meeting, cell_subjects)
    register_check("meetings.below_quality", gettext_lazy("Buổi sinh hoạt chưa đạt chất lượng"),
                   below_quality, meeting_subjects)
    register_check("members.unexcused_absences",
                   gettext_lazy("Đảng viên vắng sinh hoạt không lý do 3 tháng trong năm"),
                   removal_rule, member_subjects)
