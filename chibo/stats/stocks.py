"""Stock metrics (spec/METRICS.md): counts as of a day over an organization's subtree, taking the
tree as it was that day. Each metric is a condition on one kind of record, so that one grouped
SQL statement computes every metric of a kind, and the same condition returns the records.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from chibo.core.ages import age_q
from chibo.core.fields import subtree_range
from chibo.members.choices import ProfessionalLevel, TheoryLevel
from chibo.members.models import MemberPeriod, Position
from chibo.organizations.choices import MEMBER_HOLDING_KINDS, OrgKind
from chibo.organizations.models import Organization, OrgPeriod, Village

AGE_BANDS = {"upto_30": (None, 30), "31_40": (31, 40), "41_50": (41, 50), "51_60": (51, 60),
             "over_60": (61, None)}
UNIVERSITY_PLUS = ("university", "master", "doctor")
LISTED = 500  # up to this many organizations, a subtree's are named in the query (`listed`)


def working_cells_q(first: date, last: date) -> Q:
    """Of organization periods on `last`, the cells at work over [first, last]: established on
    or before `first`, with active members on `last` (a cell without members holds no meetings
    and admits no one). The cells expected to meet (meetings) and those judged for
    `cells.no_admission` (admission) alike."""
    with_members = MemberPeriod.objects.filter(org=OuterRef("organization"),
                                               valid_from__lte=last, valid_to__gt=last)
    return Q(organization__kind__in=MEMBER_HOLDING_KINDS,
             organization__established_on__lte=first) & Q(Exists(with_members))


def member_conditions(day: date, prefix: str = "") -> dict[str, Q]:
    """The member stock metrics as conditions on active member periods, which carry the
    member's attributes (`prefix="member__"` reads them from the member rows instead)."""
    p = prefix
    none_or_empty = {"none", ""}
    conditions = {
        "members.total": Q(),
        "members.official": Q(status="official"),
        "members.probationary": Q(status="probationary"),
        "members.exempt": Q(exempt=True),
        "members.female": Q(**{f"{p}gender": "female"}),
        "members.ethnic_minority": ~Q(**{f"{p}ethnicity": "Kinh"}),
        "members.religious": ~Q(**{f"{p}religion": ""}),
        "members.general.high_school": Q(**{f"{p}general_education__in": ["12/12", "10/10"]}),
        "members.professional.any": ~Q(**{f"{p}professional_level__in": none_or_empty}),
        "members.professional.university_plus": Q(
            **{f"{p}professional_level__in": UNIVERSITY_PLUS}),
    }
    for band, (low, high) in AGE_BANDS.items():
        conditions[f"members.age.{band}"] = age_q(day, low, high, p)
    for level in ProfessionalLevel.values:
        values = none_or_empty if level == "none" else {level}
        conditions[f"members.professional.{level}"] = Q(
            **{f"{p}professional_level__in": values})
    for level in TheoryLevel.values:
        values = none_or_empty if level == "none" else {level}
        conditions[f"members.theory.{level}"] = Q(**{f"{p}theory_level__in": values})
    return conditions


ORG_KEYS = {
    "orgs.grassroots_committee": [OrgKind.GRASSROOTS_COMMITTEE],
    "orgs.grassroots_cell": [OrgKind.GRASSROOTS_CELL],
    "orgs.partial_committee": [OrgKind.PARTIAL_COMMITTEE],
    "orgs.cell": [OrgKind.CELL],
    "orgs.grassroots": [OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL],
}
VILLAGE_KEYS = ("villages.total", "villages.with_cell")
VILLAGE_CELL_KEYS = ("village_cells.total", "village_cells.small",
                     "village_cells.secretary_village_head", "village_cells.secretary_front_head",
                     "village_cells.deputy_commune_official")


@dataclass(frozen=True)
class Scope:
    """An organization's subtree as it was on `day` (None when it did not exist that day)."""

    day: date
    path: str | None

    def periods(self) -> QuerySet:
        if self.path is None:
            return OrgPeriod.objects.none()
        # No default ordering: SQLite would read the whole table in organization order.
        return OrgPeriod.objects.as_of(self.day).in_subtree(self.path).order_by()

    def org_ids(self) -> QuerySet:
        return self.periods().values("organization")


def child_of(scope: Scope) -> dict[int, int]:
    """Organization id -> the direct child of the scope's organization whose subtree holds it,
    for the organizations of the subtree that day (the organization itself maps to nothing)."""
    depth = scope.path.count("/")
    out = {}
    for org_id, path in scope.periods().values_list("organization", "path").order_by():
        parts = path.split("/")
        if len(parts) > depth + 1:
            out[org_id] = int(parts[depth])
    return out


def scope_of(org, day: date) -> Scope:
    period = OrgPeriod.objects.as_of(day).filter(organization=org).first()
    return Scope(day, period.path if period else None)


def scopes_of(org, days) -> list[Scope]:
    """`scope_of` on each of `days`, from one read of the organization's periods."""
    periods = list(OrgPeriod.objects.filter(organization=org).values_list(
        "valid_from", "valid_to", "path"))
    return [Scope(day, next((path for start, end, path in periods if start <= day < end), None))
            for day in days]


def active_periods(scope: Scope) -> QuerySet:
    """Member periods active on the scope's day in its subtree: one path range, as a period
    carries the path its cell had throughout."""
    if scope.path is None:
        return MemberPeriod.objects.none()
    low, high = subtree_range(scope.path)
    return MemberPeriod.objects.filter(path__gte=low, path__lt=high, valid_from__lte=scope.day,
                                       valid_to__gt=scope.day)


def _holds_on(day: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_on__lte": day}) & (
        Q(**{f"{prefix}end_on__isnull": True}) | Q(**{f"{prefix}end_on__gte": day}))


def village_cells(scope: Scope) -> QuerySet:
    """Periods of the active cells linked to a village, in the subtree."""
    return scope.periods().filter(organization__village__isnull=False,
                                  organization__kind__in=MEMBER_HOLDING_KINDS)


@dataclass(frozen=True)
class VillageCell:
    """An active village cell on a day, with what its metrics ask about it."""

    org_id: int
    village_id: int
    active: int
    secretary_village_head: bool
    secretary_front_head: bool
    deputy_commune_official: bool


def _merge_targets(day: date) -> dict[int, int]:
    """Organization -> the organization it merged into, for merges effective by `day`."""
    return dict(Organization.objects.filter(merged_into__isnull=False, ended_on__lte=day)
                .values_list("pk", "merged_into"))


def _followed(org_id: int | None, merges: dict[int, int]) -> int | None:
    """What `org_id` became through the chain of merges (a cell merged into one merged into
    …). A chain takes each merge once at most, so len(merges) steps bound it without guessing
    a depth, and a cycle, which the tree's rules never let in, could not hang the count."""
    for _ in range(len(merges)):
        if org_id not in merges:
            break
        org_id = merges[org_id]
    return org_id


def village_cell_facts(scope: Scope, active: dict[int, int]) -> list[VillageCell]:
    """The village cells of the subtree on the day, with their members and posts that day;
    `active` is the active members per cell id (counted with the member metrics).

    Three indexed queries bounded by the subtree (the cells; the party posts held that day on
    them, each asking whether its member also holds a commune post; the village posts held that
    day on their villages); the per-cell logic then runs over at most a few thousand rows. Posts
    follow merges of their organization (METRICS.md)."""
    day = scope.day
    cells = dict(village_cells(scope).values_list("organization", "organization__village"))
    if not cells:
        return []
    merges = _merge_targets(day)
    merged_in = [pk for pk in merges if _followed(pk, merges) in cells]
    # The posts are selected by subqueries of the subtree's village cells, not by lists of its
    # 1,700 cells (SQLite) nor by all its organizations (PostgreSQL then scanned every post).
    # Whether a deputy also holds a commune post is asked of each post row (by the member's
    # index), not with a list of the deputies, which ran to thousands of parameters.
    official = Exists(Position.objects.filter(_holds_on(day), role="commune_official",
                                              member=OuterRef("member")))
    party = Position.objects.filter(
        Q(org__in=village_cells(scope).values("organization")) | Q(org__in=merged_in),
        _holds_on(day), role__in=["secretary", "deputy_secretary"]).annotate(
        official=official).values_list("role", "org", "member", "official").order_by()
    village_posts = set(Position.objects.filter(
        _holds_on(day), role__in=["village_head", "front_work_head"],
        village__in=village_cells(scope).values("organization__village")).values_list(
        "role", "village", "member").order_by())
    secretaries: dict[int, set] = {cell: set() for cell in cells}
    deputy_officials: set[int] = set()
    for role, org_id, member, is_official in party:
        cell = _followed(org_id, merges)
        if cell not in cells:
            continue
        if role == "secretary":
            secretaries[cell].add(member)
        elif is_official:
            deputy_officials.add(cell)

    def heads(role: str, cell: int, village: int) -> bool:
        return any((role, village, m) in village_posts for m in secretaries[cell])

    return [VillageCell(cell, village, active.get(cell, 0), heads("village_head", cell, village),
                        heads("front_work_head", cell, village), cell in deputy_officials)
            for cell, village in cells.items()]


VILLAGE_CELL_TESTS = {
    "village_cells.total": lambda c: True,
    "village_cells.small": lambda c: c.active < 7,
    "village_cells.secretary_village_head": lambda c: c.secretary_village_head,
    "village_cells.secretary_front_head": lambda c: c.secretary_front_head,
    "village_cells.deputy_commune_official": lambda c: c.deputy_commune_official,
}


def villages_in(scope: Scope) -> QuerySet:
    """Villages whose commune, followed through merges up to that day, lies in the subtree:
    their commune is in it, or is one of the few merged organizations whose successor is (read
    in Python; the merge chains as joins made PostgreSQL scan every village with four joins)."""
    if scope.path is None:
        return Village.objects.none()
    day = scope.day
    villages = Village.objects.filter(Q(established_on__isnull=True) | Q(established_on__lte=day))
    inside = set(scope.org_ids().values_list("organization", flat=True))
    merges = _merge_targets(day)
    # of the merged organizations, only villages' communes (not the many merged cells)
    communes = Organization.objects.filter(merged_into__isnull=False, ended_on__lte=day).filter(
        Exists(Village.objects.filter(commune=OuterRef("pk")))).values_list("pk", flat=True)
    merged = sorted(pk for pk in communes if _followed(pk, merges) in inside)
    # named when few (see `listed`)
    orgs = sorted(inside) if len(inside) <= LISTED else scope.org_ids()
    return villages.filter(Q(commune__in=orgs) | Q(commune__in=merged))


def listed(ids: QuerySet) -> QuerySet | list[int]:
    """The ids of a one-column queryset as a list when they are few (LISTED), else the
    queryset: with a list, PostgreSQL sees a small subtree as small and reads its rows by index
    (a subquery led it to scan whole tables: 99 ms instead of a few on ten provinces)."""
    known = list(ids.values_list(ids.query.values_select[0], flat=True).order_by()[:LISTED + 1])
    return ids if len(known) > LISTED else sorted(set(known))


def village_communes(scope: Scope) -> list[tuple[int, bool]]:
    """(commune followed through merges, has an active cell) of each village of the subtree."""
    merges = _merge_targets(scope.day)
    rows = villages_in(scope).annotate(has_cell=_has_cell(scope.day)).values_list(
        "commune", "has_cell")
    return [(_followed(commune, merges), bool(has_cell)) for commune, has_cell in rows]


def _has_cell(day: date) -> Exists:
    """A village has an active cell linked to it that day, wherever the cell sits."""
    return Exists(OrgPeriod.objects.as_of(day).filter(
        organization__village=OuterRef("pk"), organization__kind__in=MEMBER_HOLDING_KINDS))


def village_conditions(day: date) -> dict[str, Q]:
    return {"villages.total": Q(), "villages.with_cell": Q(_has_cell(day))}
