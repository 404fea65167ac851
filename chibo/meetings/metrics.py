"""Meeting metrics (docs/metrics-meetings.md): named aggregates over an organization's subtree
and a period, each with the records behind its number.

A meeting falls in S when its cell lay in S's subtree as the tree was on the meeting day (the
flow-metric rule of spec/METRICS.md, with the meeting day as reference day). Only closed
meetings count: a meeting is "held" once its closing is recorded.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from functools import partial

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from chibo.core.fields import subtree_range
from chibo.meetings.choices import GuestRole, MeetingKind, MeetingStatus
from chibo.meetings.models import Meeting, MeetingGuest
from chibo.members.models import MemberPeriod
from chibo.organizations.choices import MEMBER_HOLDING_KINDS
from chibo.organizations.models import Organization, OrgPeriod


@dataclass
class MetricResult:
    key: str
    value: int | float | None
    records: QuerySet  # the rows behind the number (meetings, guests or cells)


def placed_in(org: Organization, org_field: str = "organization", day_field: str = "date") -> Q:
    """Rows whose `org_field` lay in `org`'s subtree on their `day_field` day.

    The same rule as chibo.stats.flows.placed_in (kept here while the statistics engine is being
    reworked): for each period of `org`, rows dated in that period whose organization sat under
    that period's path on their day.
    """
    condition = Q(pk__in=[])
    for start, end, path in OrgPeriod.objects.filter(organization=org).values_list(
            "valid_from", "valid_to", "path"):
        low, high = subtree_range(path)
        there = OrgPeriod.objects.filter(
            organization=OuterRef(org_field), valid_from__lte=OuterRef(day_field),
            valid_to__gt=OuterRef(day_field), path__gte=low, path__lt=high)
        condition |= Q(**{f"{day_field}__gte": start, f"{day_field}__lt": end}) & Q(Exists(there))
    return condition


def held_meetings(org: Organization, date_from: date, date_to: date) -> QuerySet:
    """Closed meetings dated in [date_from, date_to] that fell in `org`'s subtree."""
    return (Meeting.objects.filter(status=MeetingStatus.CLOSED, date__gte=date_from,
                                   date__lte=date_to)
            .filter(placed_in(org)).select_related("organization").order_by("date", "code"))


THEMATIC_Q = Q(kind=MeetingKind.THEMATIC) | Q(kind=MeetingKind.REGULAR, combined_thematic=True)
HELD_BY_KIND = {
    "meetings.held": Q(),
    "meetings.held.regular": Q(kind=MeetingKind.REGULAR),
    "meetings.held.thematic": THEMATIC_Q,
    "meetings.held.extraordinary": Q(kind=MeetingKind.EXTRAORDINARY),
    "meetings.held.model": Q(is_model=True),
    "meetings.below_quality": Q(quality_passed=False),
}


def meetings_held(org, date_from, date_to, key: str = "meetings.held") -> MetricResult:
    records = held_meetings(org, date_from, date_to).filter(HELD_BY_KIND[key])
    return MetricResult(key, records.count(), records)


def attendance_rate(org, date_from, date_to) -> MetricResult:
    """Members attending (present or online) over members counted (exempt excluded), summed over
    the held meetings, in percent with one decimal; None when no member was counted."""
    records = held_meetings(org, date_from, date_to)
    totals = records.aggregate(counted=Sum("counted"), attended=Sum("attended"))
    counted = totals["counted"] or 0
    value = round(100 * (totals["attended"] or 0) / counted, 1) if counted else None
    return MetricResult("meetings.attendance_rate", value, records)


def guest_visits(org, date_from, date_to) -> MetricResult:
    """Visits ("lượt") of higher-level officials to held meetings: one per guest per meeting."""
    meetings = held_meetings(org, date_from, date_to)
    records = (MeetingGuest.objects.filter(role=GuestRole.HIGHER_LEVEL, attended=True,
                                           meeting__in=meetings.values("pk"))
               .select_related("meeting__organization").order_by("meeting__date", "id"))
    return MetricResult("meetings.guest_visits", records.count(), records)


def full_months(date_from: date, date_to: date) -> list[tuple[date, date]]:
    """The calendar months lying wholly inside [date_from, date_to]."""
    months = []
    year, month = date_from.year, date_from.month
    while (year, month) <= (date_to.year, date_to.month):
        first = date(year, month, 1)
        last = date(year, month, calendar.monthrange(year, month)[1])
        if first >= date_from and last <= date_to:
            months.append((first, last))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def cells_on(org: Organization, day: date) -> QuerySet:
    """Cells (member-holding organizations) in `org`'s subtree as the tree was on `day`."""
    own = OrgPeriod.objects.as_of(day).filter(organization=org).values_list("path", flat=True)
    paths = list(own)
    if not paths:
        return Organization.objects.none()
    low, high = subtree_range(paths[0])
    inside = OrgPeriod.objects.as_of(day).filter(path__gte=low, path__lt=high)
    return Organization.objects.filter(pk__in=inside.values("organization"),
                                       kind__in=MEMBER_HOLDING_KINDS)


def expected_cells(org: Organization, first: date, last: date) -> QuerySet:
    """Cells expected to meet over [first, last]: in `org`'s subtree as the tree was on `last`,
    established on or before `first`, and with active members on `last` (a cell without
    members holds no meetings)."""
    with_members = MemberPeriod.objects.filter(org=OuterRef("pk"), valid_from__lte=last,
                                               valid_to__gt=last)
    return cells_on(org, last).filter(established_on__lte=first).filter(Exists(with_members))


def cells_meeting_every_month(org, date_from, date_to) -> MetricResult:
    """Of the cells expected to meet over the full months of the period, those that held a
    regular meeting in every one of those months. Records: those cells."""
    months = full_months(date_from, date_to)
    if not months:
        return MetricResult("meetings.cells_every_month", 0, Organization.objects.none())
    cells = expected_cells(org, months[0][0], months[-1][1])
    for first, last in months:
        cells = cells.filter(Exists(Meeting.objects.filter(
            organization=OuterRef("pk"), status=MeetingStatus.CLOSED, kind=MeetingKind.REGULAR,
            date__gte=first, date__lte=last)))
    records = cells.order_by("code")
    return MetricResult("meetings.cells_every_month", records.count(), records)


def cells_considered(org, date_from, date_to) -> MetricResult:
    """The denominator of cells_every_month: the cells expected to meet."""
    months = full_months(date_from, date_to)
    records = (expected_cells(org, months[0][0], months[-1][1]).order_by("code")
               if months else Organization.objects.none())
    return MetricResult("meetings.cells", records.count(), records)


METRICS = {
    **{key: partial(meetings_held, key=key) for key in HELD_BY_KIND},
    "meetings.attendance_rate": attendance_rate,
    "meetings.guest_visits": guest_visits,
    "meetings.cells": cells_considered,
    "meetings.cells_every_month": cells_meeting_every_month,
}


def compute(key: str, org: Organization, date_from: date, date_to: date) -> MetricResult:
    return METRICS[key](org, date_from, date_to)
