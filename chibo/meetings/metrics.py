"""Meeting metrics (docs/metrics-meetings.md): period metrics of the statistics engine over an
organization's subtree, each with the records behind its number.

A meeting falls in S when its cell lay in S's subtree as the tree was on the meeting day (the
flow-metric rule of spec/METRICS.md, with the meeting day as reference day: the same
`chibo.stats.flows.placed_in` and cell paths). Only closed meetings count: a meeting is "held"
once its closing is recorded.

Each key is a condition on one kind of record (meetings, attendance rows, guest rows, cells),
read two ways like the flow rules: as a filter for one organization (`records`, the drill-down),
and as conditional counts grouped by the path of the meeting's cell on its day, tallied for
several organizations at once (`counts`, used by `compute` and `compute_children`).
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)

from chibo.meetings.choices import ATTENDED, COUNTED, GuestRole, MeetingKind, MeetingStatus
from chibo.meetings.models import Attendance, Meeting, MeetingGuest
from chibo.members.models import MemberPeriod
from chibo.organizations.choices import MEMBER_HOLDING_KINDS
from chibo.organizations.models import Organization
from chibo.stats import flows, stocks

THEMATIC_Q = Q(kind=MeetingKind.THEMATIC) | Q(kind=MeetingKind.REGULAR, combined_thematic=True)
HELD_BY_KIND = {
    "meetings.held": Q(),
    "meetings.held.regular": Q(kind=MeetingKind.REGULAR),
    "meetings.held.thematic": THEMATIC_Q,
    "meetings.held.extraordinary": Q(kind=MeetingKind.EXTRAORDINARY),
    "meetings.held.model": Q(is_model=True),
    "meetings.below_quality": Q(quality_passed=False),
}
# Attendance rows of held meetings: members counted (exempt excluded) and those attending.
ATTENDANCE = {
    "meetings.attendance.expected": Q(status__in=COUNTED),
    "meetings.attendance.present": Q(status__in=ATTENDED),
}
# ... which a meeting stores at its closing (services.close_meeting, the bundle import): the
# numbers add them up with the meetings instead of reading every attendance row (0.57 s for a
# province's year), the records are the rows.
STORED = {"meetings.attendance.expected": "counted", "meetings.attendance.present": "attended"}
GUESTS = {"meetings.guest_visits": Q(role=GuestRole.HIGHER_LEVEL, attended=True)}
CELL_KEYS = ("meetings.cells", "meetings.cells_every_month")

# (rows, the path from a row to its meeting, key -> condition on the rows, order of records,
# what the records read along)
FAMILIES = [
    (Meeting, "", HELD_BY_KIND, ("date", "code"), ("organization",)),
    (Attendance, "meeting__", ATTENDANCE, ("meeting__date", "meeting__code", "member__full_name",
                                           "pk"), ("meeting__organization", "member")),
    (MeetingGuest, "meeting__", GUESTS, ("meeting__date", "meeting__code", "pk"),
     ("meeting__organization",)),
]
KEYS = (*HELD_BY_KIND, *ATTENDANCE, *GUESTS, *CELL_KEYS)


@dataclass
class MetricResult:
    key: str
    value: int
    records: QuerySet  # the rows behind the number (meetings, attendance rows, guests or cells)


def _held(prefix: str, date_from: date, date_to: date) -> Q:
    return Q(**{f"{prefix}status": MeetingStatus.CLOSED, f"{prefix}date__gte": date_from,
                f"{prefix}date__lte": date_to})


def _rows_in(model, prefix: str, org, date_from: date, date_to: date) -> QuerySet:
    return model.objects.filter(_held(prefix, date_from, date_to)).filter(
        flows.placed_in(org, f"{prefix}organization", f"{prefix}date"))


def held_meetings(org: Organization, date_from: date, date_to: date) -> QuerySet:
    """Closed meetings dated in [date_from, date_to] that fell in `org`'s subtree."""
    return _rows_in(Meeting, "", org, date_from, date_to).select_related(
        "organization").order_by("date", "code")


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


def _expected(periods: QuerySet, first: date, last: date) -> QuerySet:
    """Of organization periods on `last`, the cells expected to meet over [first, last]:
    established on or before `first`, with active members on `last` (a cell without members
    holds no meetings)."""
    with_members = MemberPeriod.objects.filter(org=OuterRef("organization"),
                                               valid_from__lte=last, valid_to__gt=last)
    return periods.filter(organization__kind__in=MEMBER_HOLDING_KINDS,
                          organization__established_on__lte=first).filter(Exists(with_members))


def expected_cells(org: Organization, first: date, last: date) -> QuerySet:
    """Cells expected to meet over [first, last], in `org`'s subtree as the tree was on
    `last`."""
    periods = _expected(stocks.scope_of(org, last).periods(), first, last)
    return Organization.objects.filter(pk__in=periods.values("organization"))


def _met_every_month(cell_field: str, months) -> Q:
    """The cell held a regular meeting in each of `months`."""
    condition = Q()
    for first, last in months:
        condition &= Q(Exists(Meeting.objects.filter(
            _held("", first, last), organization=OuterRef(cell_field),
            kind=MeetingKind.REGULAR)))
    return condition


def _cell_records(org, date_from: date, date_to: date, key: str) -> QuerySet:
    months = full_months(date_from, date_to)
    if not months:
        return Organization.objects.none()
    cells = expected_cells(org, months[0][0], months[-1][1])
    if key == "meetings.cells_every_month":
        cells = cells.filter(_met_every_month("pk", months))
    return cells.order_by("code")


def records(org, date_from: date, date_to: date, key: str) -> QuerySet:
    """The rows behind one number of `org`'s subtree over the period: as many as it counts."""
    if key in CELL_KEYS:
        return _cell_records(org, date_from, date_to, key)
    for model, prefix, conditions, order, related in FAMILIES:
        if key in conditions:
            return _rows_in(model, prefix, org, date_from, date_to).filter(
                conditions[key]).select_related(*related).order_by(*order)
    raise KeyError(key)


def counts(orgs, targets, date_from: date, date_to: date, keys) -> dict[int, dict[str, int]]:
    """The asked meeting keys for the subtree of each organization id of `targets`: one grouped
    query per kind of record asked (rows that may fall under `orgs`, by the path of the
    meeting's cell on its day), tallied for each organization on that path."""
    names = {str(t): t for t in targets}
    values = {t: dict.fromkeys((k for k in KEYS if k in keys), 0) for t in targets}

    def add(path: str | None, key: str, n: int) -> None:
        for name in flows.ids_on(path) & names.keys():
            values[names[name]][key] += n

    ever = None
    for model, prefix, conditions, _order, _related in FAMILIES:
        wanted = [k for k in conditions if k in keys and k not in STORED]
        counted = {f"n{i}": Count("pk", filter=conditions[k] or None) for i, k in
                   enumerate(wanted)}
        if model is Meeting:
            stored = [k for k in STORED if k in keys]
            counted |= {f"n{len(wanted) + i}": Sum(STORED[k]) for i, k in enumerate(stored)}
            wanted += stored
        if not wanted:
            continue
        ever = flows.ever_under(orgs) if ever is None else ever
        rows = model.objects.filter(_held(prefix, date_from, date_to), **{
            f"{prefix}organization__in": ever}).annotate(
            path=flows.path_on(f"{prefix}organization", f"{prefix}date")).values(
            "path").annotate(**counted).order_by()
        for row in rows:
            for i, key in enumerate(wanted):
                add(row["path"], key, row[f"n{i}"] or 0)
    if set(CELL_KEYS) & set(keys):
        for path, every in _cell_rows(targets, date_from, date_to):
            if "meetings.cells" in keys:
                add(path, "meetings.cells", 1)
            if every and "meetings.cells_every_month" in keys:
                add(path, "meetings.cells_every_month", 1)
    return values


def _cell_rows(orgs, date_from: date, date_to: date) -> list[tuple[str, bool]]:
    """(path, met every month) of the cells expected to meet over the period's full months in
    the subtree of any of `orgs` on the last day of the last one."""
    months = full_months(date_from, date_to)
    if not months:
        return []
    first, last = months[0][0], months[-1][1]
    every = ExpressionWrapper(_met_every_month("organization", months),
                              output_field=BooleanField())
    return [(path, bool(flag)) for path, flag in _expected(
        stocks.subtrees_on(orgs, last), first, last).annotate(every=every).values_list(
        "path", "every")]


def compute(key: str, org: Organization, date_from: date, date_to: date) -> MetricResult:
    value = counts([org.pk], [org.pk], date_from, date_to, [key])[org.pk][key]
    return MetricResult(key, value, records(org, date_from, date_to, key))
