"""Meeting metrics (docs/metrics-meetings.md): period metrics of the statistics engine over an
organization's subtree, each with the records behind its number.

A meeting falls in S when its cell lay in S's subtree as the tree was on the meeting day (the
flow-metric rule of spec/METRICS.md, with the meeting day as reference day: the same
`chibo.stats.flows.placed_in` and cell paths). Only closed meetings count: a meeting is "held"
once its closing is recorded.

Each key is a condition on one kind of record (meetings, attendance rows, guest rows, cells),
read two ways like the flow rules: as a filter for one organization (`records`, the drill-down),
and as sums tallied for several organizations at once (`counts`, used by `compute` and
`compute_children`). For the sums, the attendance rows and the guests are the numbers each
meeting stores (`STORED`), and the meetings are grouped by cell, and by stretch of the period
over which the cell kept one place (`CellsUnder`): a cell whose place did not change over the
period is one group, placed once, instead of one path lookup per meeting.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from chibo.core.db import MonthOf, plain_rows
from chibo.core.querysets import path_scope_q
from chibo.meetings.choices import ATTENDED, COUNTED, AttendanceStatus, MeetingKind, MeetingStatus
from chibo.meetings.models import VISIT, Attendance, Meeting, MeetingGuest
from chibo.organizations.models import Organization, OrgPeriod
from chibo.stats import flows, stocks
from chibo.stats.groups import Label, MetricGroup

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
GUESTS = {"meetings.guest_visits": VISIT}
# ... which a meeting stores (services.close_meeting and add_guest, the bundle import): the
# numbers add them up with the meetings instead of reading every attendance row (0.57 s for a
# province's year) or joining the guests, the records are the rows.
STORED = {"meetings.attendance.expected": "counted", "meetings.attendance.present": "attended",
          "meetings.guest_visits": "visits"}
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


def held_rows(model, prefix: str, org, date_from: date, date_to: date) -> QuerySet:
    """Rows of `model` (meetings, or rows reaching their meeting by `prefix`) of closed
    meetings dated in [date_from, date_to] that fell in `org`'s subtree."""
    return model.objects.filter(_held(prefix, date_from, date_to)).filter(
        flows.placed_in(org, f"{prefix}organization", f"{prefix}date"))


def held_meetings(org: Organization, date_from: date, date_to: date) -> QuerySet:
    """Closed meetings dated in [date_from, date_to] that fell in `org`'s subtree."""
    return held_rows(Meeting, "", org, date_from, date_to).select_related(
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


def expected_cells(org: Organization, first: date, last: date) -> QuerySet:
    """Cells expected to meet over [first, last], in `org`'s subtree as the tree was on
    `last`."""
    periods = stocks.scope_of(org, last).periods().filter(stocks.working_cells_q(first, last))
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
            return held_rows(model, prefix, org, date_from, date_to).filter(
                conditions[key]).select_related(*related).order_by(*order)
    raise KeyError(key)


@dataclass
class CellsUnder:
    """The cells that lay in the subtree of one of some organizations at some time of a period,
    from their periods there that overlap the period; and, when asked, those expected to meet
    over some months, with their path on the last day (`expected`).

    A cell *steady* over the period lay there with one path over all of it (nearly every cell, in
    a period without reorganizations: `steady`, cell -> path): its rows of the period are one
    group, placed once. The other cells are *moved*: one of their periods there starts or ends
    within the period (`moved`, cell -> its periods there as (first day, day after the last,
    path), in order). Their rows are grouped by stretch of the period between two days on which
    one of them changed: within such a stretch none of them changes, so where a cell lay on the
    first day is where all its rows of the stretch lay. On a day outside its periods there, a
    cell lay outside the subtrees: its rows of that day count nowhere.

    With `split_months`, a month in which a moved cell changed after its first day (a *split*
    month) is also a stretch apart: a stretch then either lies within a split month or is made
    of whole months (but for the period's ends), so that the months in which a moved cell did
    something add up over its stretches."""

    date_from: date
    date_to: date
    periods: QuerySet  # the periods there that overlap the period
    steady: dict[int, str]
    moved: dict[int, list[tuple[date, date, str]]]
    expected: list[tuple[int, str]]
    split_months: bool = False

    @classmethod
    def of(cls, orgs, date_from: date, date_to: date, months=(),
           split_months: bool = False) -> "CellsUnder":
        """The cells under `orgs` over [date_from, date_to], read as a path range per period of
        `orgs` (the cost follows the subtrees); with `months`, which were expected to meet over
        them."""
        around = OrgPeriod.objects.filter(valid_from__lte=date_to, valid_to__gt=date_from)
        own = around.filter(organization__in=orgs).values_list("path", flat=True).order_by()
        periods = around.filter(path_scope_q(list(own), "path")).order_by()
        expected = Value(False)
        if months:
            first, last = months[0][0], months[-1][1]
            working = stocks.working_cells_q(first, last)
            expected = Case(When(Q(valid_from__lte=last, valid_to__gt=last) & working,
                                 then=Value(True)), default=Value(False))
        # The days of a period that starts or ends within the period (a moved cell's); none
        # for a steady cell's period: nearly every row then has no date to read back.
        changes = Q(valid_from__gt=date_from) | Q(valid_to__lte=date_to)
        under = cls(date_from, date_to, periods, {}, {}, [], split_months)
        for cell, path, is_expected, start, end in periods.annotate(
                expected=expected, start=Case(When(changes, then="valid_from")),
                end=Case(When(changes, then="valid_to"))).values_list(
                "organization", "path", "expected", "start", "end"):
            if start is None:
                under.steady[cell] = path
            else:
                under.moved.setdefault(cell, []).append((start, end, path))
            if is_expected:
                under.expected.append((cell, path))
        for known in under.moved.values():
            known.sort()  # in Python: SQLite would sort the whole range by organization
        return under

    def cells(self) -> list[int] | QuerySet:
        """The cells, named in the statement when few (`stocks.listed`), else as a subquery."""
        if len(self.steady) + len(self.moved) <= stocks.LISTED:
            return sorted([*self.steady, *self.moved])
        return self.periods.values("organization")

    @cached_property
    def changes(self) -> set[date]:
        """The days of the period after its first on which a moved cell changed."""
        return {day for known in self.moved.values() for start, end, _path in known
                for day in (start, end) if self.date_from < day <= self.date_to}

    @cached_property
    def split(self) -> set[tuple[int, int]]:
        """The split months (year, month), when asked."""
        return {(day.year, day.month) for day in self.changes
                if day.day > 1} if self.split_months else set()

    def within_a_split_month(self, day: date) -> bool:
        """Whether the stretch beginning on `day` lies within a split month."""
        return (day.year, day.month) in self.split

    @cached_property
    def first_days(self) -> list[date]:
        """The first day of each stretch of the period, in order."""
        days = set(self.changes)
        for year, month in self.split:
            days |= {date(year, month, 1),
                     date(year + month // 12, month % 12 + 1, 1)}  # and the next month's
        return [self.date_from, *sorted(day for day in days
                                        if self.date_from < day <= self.date_to)]

    def stretch(self, cell_field: str, day_field: str) -> Case | Value:
        """The number of the row's stretch (in `first_days`) for a moved cell, NULL for a
        steady one. When more cells moved than a statement names (a reorganization of much of
        the subtree), every cell's rows go by stretch: a steady cell's stretches all have its
        one path."""
        if not self.moved:
            return Value(None, output_field=IntegerField())
        number = Case(*[When(**{f"{day_field}__gte": day}, then=Value(i))
                        for i, day in reversed(list(enumerate(self.first_days))[1:])],
                      default=Value(0), output_field=IntegerField())
        if len(self.moved) > stocks.LISTED:
            return number
        return Case(When(**{f"{cell_field}__in": sorted(self.moved)}, then=number),
                    default=None, output_field=IntegerField())

    def path(self, cell: int, day: date | None) -> str | None:
        """The cell's path on `day` (over the whole period when `day` is None), None when it lay
        outside the subtrees."""
        if day is None or cell in self.steady:
            return self.steady.get(cell)
        for start, end, path in self.moved.get(cell, ()):
            if start <= day < end:
                return path
        return None


def _regular_months(months) -> Count:
    """Of a group of meetings, in how many of `months` (consecutive) one was regular."""
    return Count(MonthOf("date"), distinct=True, filter=Q(
        kind=MeetingKind.REGULAR, date__gte=months[0][0], date__lte=months[-1][1]))


class Tally:
    """The asked keys of the subtree of each organization of `targets`, added up from groups of
    records placed by the path of their cell: a group counts for each organization on it."""

    def __init__(self, targets, keys):
        self.names = {str(t): t for t in targets}
        self.keys = [k for k in KEYS if k in keys]
        self.on: dict[str | None, tuple[int, ...]] = {}
        # (organizations a group counts for, the keys of its numbers) -> the groups' numbers,
        # added up at the end: a province's 2,230 cells all count for the province alone.
        self.groups: dict[tuple, list] = {}

    def add(self, path: str | None, keys: tuple[str, ...], numbers) -> None:
        hits = self.on.get(path)
        if hits is None:  # a steady cell's path comes back for the cell keys
            hits = self.on[path] = tuple(self.names[name]
                                         for name in flows.ids_on(path) & self.names.keys())
        if hits:
            self.groups.setdefault((hits, keys), []).append(numbers)

    @property
    def values(self) -> dict[int, dict[str, int]]:
        values = {t: dict.fromkeys(self.keys, 0) for t in self.names.values()}
        for (hits, keys), groups in self.groups.items():
            sums = [sum(column) for column in zip(*groups, strict=True)]
            for target in hits:
                for key, n in zip(keys, sums, strict=True):
                    values[target][key] += n
        return values


def counts(orgs, targets, date_from: date, date_to: date, keys) -> dict[int, dict[str, int]]:
    """The asked meeting keys for the subtree of each organization id of `targets`, from two
    statements: the cells that lay under `orgs` in the period, with those expected to meet
    (`CellsUnder`); then their held meetings grouped by cell (and by stretch of one place, for a
    cell that moved), each group tallied for each organization on the cell's path. A cell
    expected to meet met every month when it held a regular meeting in each full month."""
    keys = set(keys)
    tally = Tally(targets, keys)
    months = full_months(date_from, date_to)
    cell_keys = tuple(k for k in CELL_KEYS if k in keys) if months else ()
    every = "meetings.cells_every_month" in cell_keys
    summed = _summed(keys, months if every else ())
    if not summed and not cell_keys:
        return tally.values
    under = CellsUnder.of(orgs, date_from, date_to, months if cell_keys else (),
                          split_months=every)
    met = _tally_meetings(tally, under, summed) if summed else {}
    for cell, path in under.expected:
        every_month = every and met.get(cell, 0) == len(months)
        tally.add(path, cell_keys, [1 if k == "meetings.cells" or every_month else 0
                                    for k in cell_keys])
    return tally.values


def _summed(keys, months) -> dict:
    """What the meetings' statement adds up for the asked keys: the meetings that meet a
    condition, or a number each meeting stores; with `months`, in how many of them a group of
    meetings had a regular one."""
    summed = {k: Count("pk", filter=c or None) for k, c in HELD_BY_KIND.items() if k in keys}
    summed |= {k: Sum(column) for k, column in STORED.items() if k in keys}
    if months:
        summed["months"] = _regular_months(months)
    return summed


def _tally_meetings(tally: Tally, under: CellsUnder, summed: dict) -> dict[int, int]:
    """Tally the meetings' groups; return, for each cell, in how many months it held a regular
    meeting when `summed` counts them: a steady cell's count; for a moved cell, the counts of
    its stretches of whole months, and its split months with one (`CellsUnder.split_months`)."""
    names = tuple(k for k in summed if k != "months")
    met: dict[int, int] = {}
    split: dict[int, set[tuple[int, int]]] = {}
    end = 2 + len(names)  # a row: cell, stretch, the numbers of `names`, then the months
    for row in _grouped(under, summed):
        cell, stretch = row[0], row[1]
        day = None if stretch is None else under.first_days[stretch]
        tally.add(under.path(cell, day), names, row[2:end])
        if len(row) == end or not row[end]:
            continue
        if day is not None and under.within_a_split_month(day):
            split.setdefault(cell, set()).add((day.year, day.month))
        else:
            met[cell] = met.get(cell, 0) + row[end]
    for cell, months in split.items():
        met[cell] = met.get(cell, 0) + len(months)
    return met


def _grouped(under: CellsUnder, summed: dict) -> list[tuple]:
    """(cell, number of the stretch or None, *the sums in the order of `summed`) of the held
    meetings of the period of the cells under, grouped by cell and stretch."""
    aliases = {f"n{i}": aggregate for i, aggregate in enumerate(summed.values())}
    rows = Meeting.objects.filter(
        _held("", under.date_from, under.date_to), organization__in=under.cells()).annotate(
        stretch=under.stretch("organization", "date")).values("organization", "stretch").annotate(
        **aliases).values_list("organization", "stretch", *aliases).order_by()
    return plain_rows(rows)  # integers only: 22,000 converter calls saved for a province


def compute(key: str, org: Organization, date_from: date, date_to: date) -> MetricResult:
    value = counts([org.pk], [org.pk], date_from, date_to, [key])[org.pk][key]
    return MetricResult(key, value, records(org, date_from, date_to, key))


def describe(row) -> dict | None:
    """A meeting record of `records` as plain data (None: not a meeting record)."""
    if isinstance(row, Meeting):
        return {"type": "meeting", "code": row.code, "day": row.date.isoformat(),
                "kind": row.kind, "topic": row.topic, "org": row.organization.code}
    if isinstance(row, Attendance):
        return {"type": "attendance", "member_code": row.member.member_code,
                "full_name": row.member.full_name, "status": row.status,
                "meeting": row.meeting.code, "day": row.meeting.date.isoformat(),
                "org": row.meeting.organization.code}
    if isinstance(row, MeetingGuest):
        return {"type": "guest", "full_name": row.full_name, "title": row.title,
                "meeting": row.meeting.code, "day": row.meeting.date.isoformat(),
                "org": row.meeting.organization.code}
    return None


def present(item: dict) -> None:
    """The labels the records page shows for a described meeting record."""
    if item["type"] == "meeting":
        item["kind_label"] = MeetingKind(item["kind"]).label
    elif item["type"] == "attendance":
        item["status_label"] = AttendanceStatus(item["status"]).label


MH = "meetings.held"
GROUP = MetricGroup(
    key="meetings", label=_("Sinh hoạt chi bộ trong kỳ"),
    metrics=(
        Label(MH, _("Cuộc sinh hoạt chi bộ đã tổ chức")),
        Label("meetings.held.regular", _("Sinh hoạt thường kỳ"), MH),
        Label("meetings.held.thematic", _("Sinh hoạt chuyên đề"), MH),
        Label("meetings.held.extraordinary", _("Sinh hoạt bất thường"), MH),
        Label("meetings.held.model", _("Sinh hoạt chi bộ mẫu"), MH),
        Label("meetings.below_quality", _("Cuộc sinh hoạt chưa đạt chất lượng"), MH),
        Label("meetings.attendance.expected", _("Lượt đảng viên phải dự sinh hoạt")),
        # its share is the attendance rate ("tỷ lệ đảng viên dự sinh hoạt")
        Label("meetings.attendance.present", _("Lượt đảng viên dự sinh hoạt"),
              "meetings.attendance.expected"),
        Label("meetings.guest_visits", _("Lượt cấp ủy cấp trên dự sinh hoạt chi bộ")),
        Label("meetings.cells", _("Chi bộ phải sinh hoạt hằng tháng")),
        Label("meetings.cells_every_month", _("Chi bộ sinh hoạt định kỳ đủ các tháng"),
              "meetings.cells"),
    ),
    counts=lambda window, keys: counts(window.orgs, window.targets, window.date_from,
                                       window.date_to, keys),
    records=lambda org, request, key: records(org, request.date_from, request.date_to, key),
    describe=describe, present=present, order=90,
    records_template="meetings/_stat_records.html",
)
