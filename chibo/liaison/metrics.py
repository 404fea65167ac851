"""The residence liaison keys (spec METRICS-v2.md, "Residence liaison"), each with the records
behind its number.

- `liaison.working_members` (S): members active in S on `as_of` whose grassroots organization
  (their cell, or the grassroots committee above it, as the tree stood that day) has a working
  sector (chibo.liaison.rules.WORKING_SECTORS) that day.
- `liaison.introduced` (S): of those, the members with a liaison open on `as_of`.
- `liaison.feedback.<level>`: the opinions (3-213) of `year` (the year of `to`, whatever the
  period's start: "Readings") of that level, placed like a rating: at the member's cell on
  their last day in the tree in the year.

The stock keys read the active member periods of the subtree grouped by cell (one statement:
the covering index) and keep the cells below a working grassroots organization; their records
are the same periods. The opinions are few: they are placed in Python from the members'
periods, and the records are the opinions so placed.
"""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from chibo.core.db import plain_rows
from chibo.core.fields import path_ids
from chibo.liaison import rules
from chibo.liaison.choices import Feedback
from chibo.liaison.models import Liaison, Opinion
from chibo.liaison.placement import MemberSpans
from chibo.organizations.models import Organization, OrgPeriod
from chibo.ratings.placement import last_day_in
from chibo.stats import stocks
from chibo.stats.groups import Label, MetricGroup

WORKING, INTRODUCED = "liaison.working_members", "liaison.introduced"
STOCK_KEYS = (WORKING, INTRODUCED)
FEEDBACK_KEYS = tuple(f"liaison.feedback.{level}" for level in Feedback.values)
KEYS = (*STOCK_KEYS, *FEEDBACK_KEYS)


# The stock keys ----------------------------------------------------------------------------------

def working_orgs(day: date) -> set[int]:
    """The grassroots organizations with a working sector on `day`."""
    return set(OrgPeriod.objects.as_of(day).filter(
        organization__kind__in=rules.GRASSROOTS_KINDS,
        sector__in=rules.WORKING_SECTORS).values_list("organization_id", flat=True))


def open_on(day: date) -> Q:
    """Liaisons open on `day`."""
    return Q(introduced_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))


def _periods(org, day: date) -> QuerySet:
    return stocks.active_periods(stocks.scope_of(org, day))


def working_cells(org, day: date) -> dict[str, int]:
    """The cells (paths on `day`) of `org`'s subtree below a working grassroots organization,
    with their active members."""
    working = working_orgs(day)
    if not working:
        return {}
    rows = plain_rows(_periods(org, day).values_list("path").annotate(n=Count("pk")).order_by())
    return {path: count for path, count in rows if working.intersection(path_ids(path))}


def _introduced_periods(org, day: date, paths) -> QuerySet:
    opened = Liaison.objects.filter(open_on(day), member_id=OuterRef("member_id"))
    return _periods(org, day).filter(Exists(opened), path__in=list(paths))


def stock_counts(orgs, targets, day: date, keys) -> dict[int, dict]:
    """The stock keys of each target, from the cells of `orgs`' subtrees (which may hold one
    another: the per-child table reads the parent and its children; a cell counts once)."""
    values = {target: dict.fromkeys(keys, 0) for target in targets}
    working: dict[str, int] = {}
    introduced: dict[str, int] = {}
    for org in Organization.objects.filter(pk__in=orgs):
        cells = working_cells(org, day)
        working |= cells
        if INTRODUCED in keys and cells:
            introduced |= dict(plain_rows(_introduced_periods(org, day, cells).values_list(
                "path").annotate(n=Count("pk")).order_by()))
    wanted = set(targets)
    for key, counted in ((WORKING, working), (INTRODUCED, introduced)):
        if key in keys:
            for path, count in counted.items():
                for target in wanted.intersection(path_ids(path)):
                    values[target][key] += count
    return values


def stock_records(org, day: date, key: str) -> QuerySet:
    cells = working_cells(org, day)
    periods = _periods(org, day).filter(path__in=list(cells)) if key == WORKING else (
        _introduced_periods(org, day, cells))
    return periods.select_related("org").prefetch_related("member").order_by(
        "path", "sort_key", "member_id")


# The opinions of a year --------------------------------------------------------------------------

def placed(year: int) -> list[tuple[int, str, str]]:
    """(opinion id, its key, the path it stands at) of the opinions of `year`."""
    rows = list(Opinion.objects.filter(year=year).values_list("pk", "member_id", "feedback")
                .order_by())
    spans = MemberSpans(member for _pk, member, _level in rows)
    found = []
    for pk, member, level in rows:
        place = last_day_in(((span.valid_from, span.valid_to, span.path)
                             for span in spans.spans.get(member, ())), year)
        if place is not None:
            found.append((pk, f"liaison.feedback.{level}", place[1]))
    return found


def feedback_counts(targets, date_to: date, keys) -> dict[int, dict]:
    values = {target: dict.fromkeys(keys, 0) for target in targets}
    wanted = set(targets)
    for _pk, key, path in placed(date_to.year):
        if key in keys:
            for target in wanted.intersection(path_ids(path)):
                values[target][key] += 1
    return values


def feedback_records(org, date_to: date, key: str) -> QuerySet:
    ids = [pk for pk, found, path in placed(date_to.year)
           if found == key and org.pk in path_ids(path)]
    return Opinion.objects.filter(pk__in=ids).select_related(
        "member", "liaison__residence_org", "liaison__residence_cell").order_by(
        "member__member_code")


def describe(row) -> dict | None:
    if not isinstance(row, Opinion):
        return None
    residence = row.liaison.residence
    return {"type": "liaison_opinion", "member_code": row.member.member_code,
            "full_name": row.member.full_name, "org": residence.code, "year": row.year,
            "feedback": row.feedback}


def present(item: dict) -> None:
    if item.get("feedback"):
        item["feedback_label"] = Feedback(item["feedback"]).label


STOCK_GROUP = MetricGroup(
    key="liaison", label=_("Giữ mối liên hệ với nơi cư trú"), flow=False, order=107,
    metrics=(Label(WORKING, _("Đảng viên đang công tác ở cơ quan, đơn vị, doanh nghiệp, lực "
                              "lượng vũ trang")),
             Label(INTRODUCED, _("Đã được giới thiệu về nơi cư trú"), WORKING)),
    counts=lambda window, keys: stock_counts(window.orgs, window.targets, window.as_of, keys),
    records=lambda org, request, key: stock_records(org, request.as_of, key),
    describe=lambda row: None)
FEEDBACK_GROUP = MetricGroup(
    key="liaison_feedback", label=_("Nhận xét của chi bộ nơi cư trú (3-213)"), flow=True,
    order=108,
    metrics=tuple(Label(f"liaison.feedback.{level}", label) for level, label in
                  Feedback.choices),
    counts=lambda window, keys: feedback_counts(window.targets, window.date_to, keys),
    records=lambda org, request, key: feedback_records(org, request.date_to, key),
    describe=describe, present=present)
