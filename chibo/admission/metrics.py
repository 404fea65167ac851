"""Candidates and admission (spec METRICS-v2.md, "Candidates and admission"): the keys, each
with the records behind its number.

A candidate is placed by its cell (METRICS-v2 "Placement"): the stock keys as the tree was on
`as_of`, `admission.*` of a period on `decision_on`, `candidates.withdrawn`/`.rejected` on
`outcome_on` (chibo.admission.placement). `judge` says, for one candidate's dates, which keys
count it and on which reference day: the counts (for every target subtree at once) and the
records (for one organization) both read it, so a number and its records cannot disagree.
The candidates themselves are read in one statement bounded by the subtrees (a path range per
period of the asked organizations), a province's a few thousand rows.

`cells.no_admission` counts cells, not candidates: the cells in S on `to`, established by
`from`, with active members on `to`, where no admission fact (the `admitted` flow rule of
METRICS.md: an admission or a readmission whose cell was that cell on its day) fell in the
period — one statement with an EXISTS over the flow facts' index.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.admission import rules
from chibo.admission.choices import Outcome, Stage
from chibo.admission.models import Candidate
from chibo.admission.placement import TreeOnDays, most_of_tree, near, placed
from chibo.core.db import DateText, Unindexed, date_of, plain_rows
from chibo.core.fields import path_ids
from chibo.core.querysets import path_scope_q
from chibo.core.workdays import WorkingCalendar
from chibo.members.models import MemberFlow
from chibo.organizations.calendar import working_calendar
from chibo.organizations.models import Organization, OrgPeriod
from chibo.stats import flows, stocks
from chibo.stats.groups import Label, MetricGroup

STAGES = {Stage.LISTED: "candidates.listed", Stage.TRAINED: "candidates.trained",
          Stage.CELL_RESOLVED: "candidates.cell_resolved",
          Stage.COMMITTEE_RESOLVED: "candidates.committee_resolved"}
STOCK_KEYS = ("candidates.total", *STAGES.values(), "admission.awaiting_ceremony",
              "admission.overdue")
PERIOD_KEYS = ("admission.decided", "admission.ceremony_late", "admission.decision_late",
               "candidates.withdrawn", "candidates.rejected")
CANDIDATE_KEYS = (*STOCK_KEYS, *PERIOD_KEYS)
NO_ADMISSION = "cells.no_admission"
KEYS = (*CANDIDATE_KEYS, NO_ADMISSION)
# What `judge` reads of a candidate: its dates last, from DATES_FROM on.
FIELDS = ("pk", "cell_id", "ceremony_extension_no", "outcome", "listed_on",
          "awareness_course_on", "cell_resolution_on", "committee_resolution_on", "decision_on",
          "ceremony_on", "outcome_on")
DATES_FROM = 4


@dataclass(frozen=True)
class Query:
    as_of: date
    date_from: date
    date_to: date


def stage_on(row: dict, day: date) -> str:
    """The furthest stage whose date is on or before `day`, in pipeline order (METRICS-v2
    "Readings": whatever the order of the dates)."""
    for stage, field in ((Stage.COMMITTEE_RESOLVED, "committee_resolution_on"),
                         (Stage.CELL_RESOLVED, "cell_resolution_on"),
                         (Stage.TRAINED, "awareness_course_on")):
        if row[field] is not None and row[field] <= day:
            return stage
    return Stage.LISTED


def _on_or_before(day: date | None, limit: date) -> bool:
    return day is not None and day <= limit


def judge(row: dict, query: Query, calendar: WorkingCalendar) -> dict[str, date]:
    """The keys that count this candidate in `query`, each with its reference day."""
    found: dict[str, date] = {}
    as_of, first, last = query.as_of, query.date_from, query.date_to
    admitted = row["outcome"] == Outcome.ADMITTED
    if (row["listed_on"] <= as_of and not _on_or_before(row["decision_on"], as_of)
            and not _on_or_before(row["outcome_on"], as_of)):
        found["candidates.total"] = as_of
        found[STAGES[stage_on(row, as_of)]] = as_of
    if admitted and _on_or_before(row["decision_on"], as_of) and not _on_or_before(
            row["ceremony_on"], as_of):
        found["admission.awaiting_ceremony"] = as_of
        if not row["ceremony_extension_no"] and as_of > rules.ceremony_deadline(
                calendar, row["decision_on"]):
            found["admission.overdue"] = as_of
    decided = row["decision_on"]
    if admitted and first <= decided <= last:
        found["admission.decided"] = decided
        held = row["ceremony_on"] if _on_or_before(row["ceremony_on"], last) else last
        if held > rules.ceremony_deadline(calendar, decided):
            found["admission.ceremony_late"] = decided
        resolution = row["cell_resolution_on"]
        if resolution is not None and decided > rules.decision_deadline(calendar, resolution):
            found["admission.decision_late"] = decided
    if row["outcome_on"] is not None and first <= row["outcome_on"] <= last:
        found[f"candidates.{row['outcome']}"] = row["outcome_on"]
    return found


def _candidates(orgs, query: Query) -> list[dict]:
    """The candidates that may count in `query` under `orgs` (a superset, judged after)."""
    relevant = (Q(listed_on__lte=query.as_of) & ~Q(decision_on__lte=query.as_of)
                & ~Q(outcome_on__lte=query.as_of)
                | Q(outcome=Outcome.ADMITTED, decision_on__lte=query.as_of)
                & ~Q(ceremony_on__lte=query.as_of)
                | Q(decision_on__gte=query.date_from, decision_on__lte=query.date_to)
                | Q(outcome_on__gte=query.date_from, outcome_on__lte=query.date_to))
    # A province's few thousand rows of dates, read at the database's speed (chibo.core.db).
    rows = plain_rows(near(Candidate.objects, orgs, "cell").filter(relevant).values_list(
        *FIELDS[:DATES_FROM], *map(DateText, FIELDS[DATES_FROM:])).order_by())
    return [dict(zip(FIELDS, (*row[:DATES_FROM], *map(date_of, row[DATES_FROM:])),
                     strict=True)) for row in rows]


def placed_keys(orgs, query: Query) -> list[dict[str, str]]:
    """For each candidate that counts in `query` under `orgs`: key -> the path of its cell on
    the key's reference day (the keys whose cell did not exist then are left out)."""
    calendar = working_calendar()
    judged = [(row["cell_id"], judge(row, query, calendar)) for row in _candidates(orgs, query)]
    tree = TreeOnDays({cell for cell, found in judged if found})
    paths: dict[tuple[int, date], str | None] = {}  # the stock keys share one day, `as_of`
    placed = []
    for cell, found in judged:
        on_days = {}
        for key, day in found.items():
            if (cell, day) not in paths:
                paths[(cell, day)] = tree.path(cell, day)
            if paths[(cell, day)] is not None:
                on_days[key] = paths[(cell, day)]
        if on_days:
            placed.append(on_days)
    return placed


class _Shared:
    """The candidates placed for the window being counted: the two groups (stock and period
    keys) of one request read and place them once. Kept by the window's identity, never its
    value, so that a later request (a new window, maybe after a change) reads afresh."""

    def __init__(self):
        self.last: tuple | None = None

    def placed(self, window) -> list[dict[str, str]]:
        last = self.last
        if last is not None and last[0] is window:
            return last[1]
        placed = placed_keys(window.orgs, _query(window))
        self.last = (window, placed)
        return placed


SHARED = _Shared()


def counts(orgs, targets, query: Query, keys,
           placed: list[dict[str, str]] | None = None) -> dict[int, dict[str, int]]:
    """The asked keys for each target's subtree; `placed`: the candidates already placed
    (`placed_keys`) for this query."""
    keys = [k for k in KEYS if k in keys]
    values = {target: dict.fromkeys(keys, 0) for target in targets}
    wanted = set(keys) & set(CANDIDATE_KEYS)
    if wanted:
        targets = set(targets)
        for paths in placed_keys(orgs, query) if placed is None else placed:
            for key, path in paths.items():
                if key in wanted:
                    for target in targets.intersection(path_ids(path)):
                        values[target][key] += 1
    if NO_ADMISSION in keys:
        cells = _no_admission_cells(orgs, query.date_from, query.date_to)
        for path in cells.values():
            for target in set(targets).intersection(path_ids(path)):
                values[target][NO_ADMISSION] += 1
    return values


def _no_admission_cells(orgs, date_from: date, date_to: date) -> dict[int, str]:
    """Cell -> its path on `date_to`, of the cells under `orgs` then that count for
    `cells.no_admission`: the expected cells less those in which an admission fact (an
    admission or a readmission: the `admitted` rule) fell in the period. A fact fell in cell C
    when C was the last organization on its path that day: the period's facts are read by the
    path ranges the cells ever had — the subtrees', and the paths of their organizations of
    `date_to` when they lay elsewhere — in one statement, without naming the cells (a
    province's 2,000 ids in IN lists cost more than the reading)."""
    paths = list(OrgPeriod.objects.as_of(date_to).filter(organization__in=orgs).values_list(
        "path", flat=True))
    if not paths:
        return {}
    # the subtrees on `date_to` (a parent's holds its children's: read once)
    inside = path_scope_q(paths, "path")
    on_day = OrgPeriod.objects.as_of(date_to).filter(inside).order_by()
    cells = dict(on_day.filter(stocks.working_cells_q(date_from, date_to)).values_list(
        "organization", "path"))
    elsewhere = list(OrgPeriod.objects.exclude(inside).filter(
        organization__in=on_day.values("organization")).values_list("path", flat=True))
    read, field = MemberFlow.objects.filter(kind__in=flows.ADMISSIONS, day__gte=date_from,
                                            day__lte=date_to), "path"
    if most_of_tree(OrgPeriod.objects.filter(inside)):
        # the period's facts by the day index, not the subtree's facts of all time
        read, field = read.alias(_path=Unindexed("path")), "_path"
    admitted = {path_ids(path)[-1] for path in read.filter(path_scope_q(
        [*paths, *elsewhere], field)).values_list("path", flat=True).distinct()}
    return {cell: path for cell, path in cells.items() if cell not in admitted}


def records(org: Organization, query: Query, key: str) -> QuerySet:
    """The rows behind one number of `org`'s subtree: candidates, or cells."""
    if key == NO_ADMISSION:
        return Organization.objects.filter(
            pk__in=list(_no_admission_cells([org.pk], query.date_from, query.date_to))
        ).order_by("code")
    if key not in CANDIDATE_KEYS:
        raise KeyError(key)
    calendar = working_calendar()
    judged = [(row, judge(row, query, calendar)) for row in _candidates([org.pk], query)]
    judged = [(row, found[key]) for row, found in judged if key in found]
    tree = TreeOnDays({row["cell_id"] for row, _day in judged})
    ids = [row["pk"] for row, day in judged if placed(tree, row["cell_id"], day, org.pk)]
    return Candidate.objects.filter(pk__in=ids).select_related("cell").order_by("code")


def describe(row) -> dict | None:
    if isinstance(row, Candidate):
        return {"type": "candidate", "code": row.code, "full_name": row.full_name,
                "org": row.cell.code, "stage": stage_on(vars(row), timezone.localdate())
                if row.outcome == Outcome.PENDING else "", "outcome": row.outcome,
                "decision_on": row.decision_on.isoformat() if row.decision_on else None,
                "outcome_on": row.outcome_on.isoformat() if row.outcome_on else None}
    return None


def present(item: dict) -> None:
    if item["type"] == "candidate":
        item["outcome_label"] = Outcome(item["outcome"]).label


def _query(window) -> Query:
    return Query(window.as_of, window.date_from, window.date_to)


def _group(key: str, label, metrics: tuple[Label, ...], flow: bool, order: int) -> MetricGroup:
    return MetricGroup(
        key=key, label=label, metrics=metrics, flow=flow, order=order,
        counts=lambda window, keys: counts(
            window.orgs, window.targets, _query(window), keys,
            SHARED.placed(window) if set(keys) & set(CANDIDATE_KEYS) else None),
        records=lambda org, request, key: records(org, Query(
            request.as_of, request.date_from, request.date_to), key),
        describe=describe, present=present, records_template="admission/_stat_records.html")


CT, AD = "candidates.total", "admission.decided"
# The stock keys (as of a day) and the period keys are two groups: a group is one or the other.
CANDIDATES = _group("candidates", _("Quần chúng ưu tú"), (
    Label(CT, _("Quần chúng ưu tú đang xem xét kết nạp")),
    Label("candidates.listed", _("Mới trong danh sách"), CT),
    Label("candidates.trained", _("Đã học lớp nhận thức về Đảng"), CT),
    Label("candidates.cell_resolved", _("Chi bộ đã đề nghị kết nạp"), CT),
    Label("candidates.committee_resolved", _("Đảng ủy cơ sở đã đề nghị kết nạp"), CT),
    Label("admission.awaiting_ceremony", _("Đã có quyết định, chưa làm lễ kết nạp")),
    Label("admission.overdue", _("Quá hạn tổ chức lễ kết nạp"), "admission.awaiting_ceremony"),
), flow=False, order=93)
ADMISSION = _group("admission", _("Kết nạp đảng viên trong kỳ"), (
    Label(AD, _("Quyết định kết nạp trong kỳ")),
    Label("admission.ceremony_late", _("Lễ kết nạp quá 30 ngày làm việc"), AD),
    Label("admission.decision_late", _("Quyết định quá 60 ngày làm việc"), AD),
    Label("candidates.withdrawn", _("Quần chúng rút tên")),
    Label("candidates.rejected", _("Quần chúng không được kết nạp")),
    Label(NO_ADMISSION, _("Chi bộ không kết nạp được đảng viên trong kỳ")),
), flow=True, order=94)
