"""Where a record of a process falls (spec METRICS-v2.md, "Placement"): in S when its
organization — followed through the merges effective by its reference day — lay in S's subtree
as the tree was on that day (a dissolved organization: nowhere).

`TreeOnDays` reads the periods of the organizations that some records name (and of what they
merged into) once, then answers "the path of this organization on that day" without a query,
so that a subtree's records are placed in one pass for every target at once (`tally`) and the
records behind a number are exactly those the count placed (`placed_ids`). The admission and
course metrics read it; the records themselves are picked in SQL by a superset of the subtree
(`near`), a path range per period of the asked organizations.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from chibo.core.db import DateText, Unindexed, date_of, plain_rows
from chibo.core.fields import path_ids
from chibo.core.querysets import path_scope_q
from chibo.organizations.models import Organization, OrgPeriod

CHUNK = 500  # organizations per IN (…)


class TreeOnDays:
    def __init__(self, org_ids: Iterable[int]):
        self.merges = {pk: (ended_on, into) for pk, ended_on, into in
                       Organization.objects.filter(merged_into__isnull=False).values_list(
                           "pk", "ended_on", "merged_into")}
        wanted = set(org_ids)
        wanted |= {into for _ended, into in self.merges.values()}
        self.periods: dict[int, list[tuple[date, date, str]]] = defaultdict(list)
        for org, valid_from, valid_to, path in self._read(sorted(wanted)):
            if org in wanted:
                self.periods[org].append((date_of(valid_from), date_of(valid_to), path))

    @staticmethod
    def _read(ids: list[int]) -> Iterable[tuple]:
        """The periods of `ids` (and maybe others), at the database's speed (chibo.core.db): a
        few hundred organizations at a time, or, when they are a good part of the tree (a
        province's cells in its own database), the whole table in one statement."""
        periods = OrgPeriod.objects.values_list(
            "organization", DateText("valid_from"), DateText("valid_to"), "path").order_by()
        if len(ids) > CHUNK and OrgPeriod.objects.count() <= 4 * len(ids):
            yield from plain_rows(periods)
            return
        for start in range(0, len(ids), CHUNK):
            yield from plain_rows(periods.filter(organization__in=ids[start:start + CHUNK]))

    def followed(self, org_id: int, day: date) -> int:
        """The organization `org_id` had become by `day` through merges effective by then (at
        most one step per merge, as chibo.stats.stocks follows them)."""
        for _step in range(len(self.merges)):
            merge = self.merges.get(org_id)
            if merge is None or merge[0] is None or merge[0] > day:
                break
            org_id = merge[1]
        return org_id

    def path(self, org_id: int, day: date) -> str | None:
        """The path of `org_id` (followed through merges) on `day`; None when it did not exist."""
        org_id = self.followed(org_id, day)
        for valid_from, valid_to, path in self.periods.get(org_id, ()):
            if valid_from <= day < valid_to:
                return path
        return None


def most_of_tree(periods: QuerySet) -> bool:
    """Whether these organization periods (a subtree's) are most of the tree's: then reading a
    table in its order beats seeking each row by index (chosen by the application: SQLite's
    planner seeks either way)."""
    return 2 * periods.count() > OrgPeriod.objects.count()


def near(queryset: QuerySet, orgs, org_field: str) -> QuerySet:
    """The rows of `queryset` whose organization (the foreign key `org_field`) lay under one of
    `orgs` at some time, or merged away: a superset of any placement in their subtrees, which
    `TreeOnDays` narrows exactly.

    Two lists of organizations, no join. When the subtrees hold most of the tree (a province in
    its own database), the rows are read in their table's order, each looked up in the lists;
    else by the organization's index (SQLite chose the index for a province too, a seek per
    row: 3 times the time of the scan)."""
    paths = list(OrgPeriod.objects.filter(organization__in=orgs).values_list("path", flat=True))
    periods = OrgPeriod.objects.filter(path_scope_q(paths, "path"))
    merged = Organization.objects.filter(merged_into__isnull=False).values("pk")
    field = org_field
    if most_of_tree(periods):
        queryset, field = queryset.alias(_near=Unindexed(org_field)), "_near"
    return queryset.filter(Q(**{f"{field}__in": periods.values("organization")})
                           | Q(**{f"{field}__in": merged}))


def tally(rows: Iterable[tuple[int, date, tuple[int, ...]]], tree: TreeOnDays,
          targets: Iterable[int], width: int) -> dict[int, list[int]]:
    """For each target: the sums of the rows' numbers (`width` of them) placed in its subtree.
    A row is (organization id, reference day, numbers)."""
    wanted = set(targets)
    totals = {target: [0] * width for target in wanted}
    for org_id, day, numbers in rows:
        path = tree.path(org_id, day)
        if path is None:
            continue
        for target in wanted.intersection(path_ids(path)):
            total = totals[target]
            for i, n in enumerate(numbers):
                total[i] += n
    return totals


def placed(tree: TreeOnDays, org_id: int, day: date, target: int) -> bool:
    path = tree.path(org_id, day)
    return path is not None and target in path_ids(path)
