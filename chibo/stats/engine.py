"""The statistics engine: every key of spec/METRICS.md for a subtree, as of a day or over a period.

Metrics are grouped by the records they count: the base group here (member periods,
organizations, villages, village cells, flow facts), and each process's registered group
(chibo.stats.groups: the meetings' are in docs/metrics-meetings.md); each kind of record is one
SQL statement of conditional counts, whatever the number of keys asked for. `records` returns
the rows behind one number with the same condition.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from chibo.core.db import plain_rows
from chibo.core.fields import path_ids
from chibo.stats import flows, groups, stocks

TOTAL = "members.total"


class UnknownMetric(ValueError):
    pass


def stock_keys() -> list[str]:
    """The keys counted as of a day: the base group's, then the registered groups'."""
    any_day = date(2000, 1, 1)
    return [*stocks.member_conditions(any_day), *stocks.ORG_KEYS, *stocks.VILLAGE_KEYS,
            *stocks.VILLAGE_CELL_KEYS,
            *(k for group in groups.ordered() if not group.flow for k in group.keys)]


def _alias(key: str) -> str:
    return key.replace(".", "__dot__")


def _rename(values: dict) -> dict[str, int]:
    return {k.replace("__dot__", "."): v for k, v in values.items()}


def stock_values(org, day: date, keys) -> dict[str, int]:
    scope = stocks.scope_of(org, day)
    members = _by_cell(scope, keys)
    values = members.totals(keys)
    org_conditions = {k: Q(organization__kind__in=kinds) for k, kinds in stocks.ORG_KEYS.items()}
    values |= _rename(_aggregate(scope.periods(), org_conditions, keys))
    if any(k in keys for k in stocks.VILLAGE_KEYS):
        values |= _rename(_aggregate(stocks.villages_in(scope), stocks.village_conditions(day),
                                     keys))
    wanted = {k: test for k, test in stocks.VILLAGE_CELL_TESTS.items() if k in keys}
    if wanted:
        cells = stocks.village_cell_facts(scope, members.active())
        values |= {k: sum(1 for cell in cells if test(cell)) for k, test in wanted.items()}
    return values


def group_values(orgs: list[int], targets: list[int], request: "Request",
                 keys) -> dict[int, dict[str, int]]:
    """The registered groups' asked keys for each target's subtree, reading under `orgs`."""
    window = groups.Window(tuple(orgs), tuple(targets), request.as_of, request.date_from,
                           request.date_to)
    values: dict[int, dict[str, int]] = {target: {} for target in targets}
    for group in groups.ordered():
        asked = {k for k in group.keys if k in keys}
        if asked:
            for target, counts in group.counts(window, asked).items():
                values[target] |= counts
    return values


def _aggregate(queryset: QuerySet, conditions: dict[str, Q], keys) -> dict:
    """One conditional count per asked key over `queryset`."""
    wanted = {k: c for k, c in conditions.items() if k in keys}
    if not wanted:
        return {}
    return queryset.aggregate(**{_alias(k): Count("pk", filter=c or None)
                                 for k, c in wanted.items()})


def all_keys() -> list[str]:
    return [*stock_keys(), *period_keys()]


def period_keys() -> list[str]:
    """The keys counted over the period (from–to): flows, then the registered groups'."""
    return [*flows.FLOW_KEYS, *(k for group in groups.ordered() if group.flow
                                for k in group.keys)]


@dataclass(frozen=True)
class Request:
    """What a statistics request asks: whose subtree, on which day, over which period."""

    as_of: date
    date_from: date
    date_to: date
    keys: tuple[str, ...]

    @classmethod
    def parse(cls, as_of: date | None = None, date_from: date | None = None,
              date_to: date | None = None, metrics: str | None = None,
              today: date | None = None) -> "Request":
        """Defaults of spec/METRICS.md: as of today; from 1 January of that year to `as_of`."""
        as_of = as_of or today or date.today()
        known = all_keys()
        keys = tuple(k.strip() for k in metrics.split(",") if k.strip()) if metrics else tuple(
            known)
        unknown = [k for k in keys if k not in set(known)]
        if unknown:
            raise UnknownMetric(", ".join(unknown))
        return cls(as_of, date_from or date(as_of.year, 1, 1), date_to or as_of, keys)


def compute(org, request: Request) -> dict[str, int]:
    """Every asked key for `org`'s subtree: one SQL statement per group of records."""
    values = stock_values(org, request.as_of, request.keys)
    values |= flows.counts(org, request.date_from, request.date_to, request.keys)
    values |= group_values([org.pk], [org.pk], request, request.keys)[org.pk]
    return {key: values[key] for key in request.keys}


def compute_children(org, request: Request) -> list[tuple] | None:
    """`compute` for each direct child of `org` on `request.as_of`, in code order: a list of
    (OrgPeriod of the child, values). None when `org` did not exist that day.

    One grouped query per group of records over `org`'s subtree (member periods by cell,
    organizations, villages, village cells, flow facts and meeting records by cell path),
    rolled up to the children by their paths, instead of one `compute` per child."""
    from chibo.organizations.models import OrgPeriod

    day, keys = request.as_of, set(request.keys)
    scope = stocks.scope_of(org, day)
    if scope.path is None:
        return None
    children = list(OrgPeriod.objects.as_of(day).filter(parent=org).select_related(
        "organization").order_by("organization__code"))
    values = {c.organization_id: dict.fromkeys(request.keys, 0) for c in children}
    if not children:
        return []
    child_of = stocks.child_of(scope)

    def add(org_id, counts: dict) -> None:
        child = child_of.get(org_id)
        if child in values:
            for key, n in counts.items():
                values[child][key] += n

    members = _by_cell(scope, keys)
    for cell, counts in members.by_cell():
        add(cell, {k: n for k, n in counts.items() if k in keys})
    for org_id, kind in scope.periods().values_list("organization", "organization__kind"):
        add(org_id, {k: 1 for k, kinds in stocks.ORG_KEYS.items() if k in keys and kind in kinds})
    if keys & set(stocks.VILLAGE_KEYS):
        for commune, has_cell in stocks.village_communes(scope):
            add(commune, {k: 1 for k, hit in (("villages.total", True),
                                             ("villages.with_cell", has_cell))
                          if k in keys and hit})
    wanted = {k: test for k, test in stocks.VILLAGE_CELL_TESTS.items() if k in keys}
    if wanted:
        for cell in stocks.village_cell_facts(scope, members.active()):
            add(cell.org_id, {k: 1 for k, test in wanted.items() if test(cell)})
    if keys & set(flows.FLOW_KEYS):
        # The parent's own ranges hold its children's today: they keep the selection short.
        rows = flows.grouped_rows([org.pk, *values], request.date_from, request.date_to)
        for child, counts in flows.count_rows(rows, list(values), keys).items():
            values[child] |= counts
    for child, counts in group_values([org.pk, *values], list(values), request, keys).items():
        values[child] |= counts
    return [(period, values[period.organization_id]) for period in children]


@dataclass(frozen=True)
class CellCounts:
    """The member stock counts of each cell of a subtree: `rows` are (path, *counts in the order
    of `keys`); `keys` starts with `members.total`, which the village cells' metrics need too, so
    one read of the subtree's members serves both."""

    keys: tuple[str, ...]
    rows: list[tuple]

    def by_cell(self):
        """(cell id, {key: count}) of each cell with active members."""
        for path, *counts in self.rows:
            yield path_ids(path)[-1], dict(zip(self.keys, counts, strict=True))

    def totals(self, keys) -> dict[str, int]:
        summed = dict.fromkeys(self.keys, 0)
        for _, *counts in self.rows:
            for key, n in zip(self.keys, counts, strict=True):
                summed[key] += n
        return {k: n for k, n in summed.items() if k in keys}

    def active(self) -> dict[int, int]:
        """Active members per cell id."""
        column = 1 + self.keys.index(TOTAL)
        return {path_ids(row[0])[-1]: row[column] for row in self.rows}


def _by_cell(scope: stocks.Scope, keys) -> CellCounts:
    """Conditional counts of the scope's active member periods, grouped by their cell's path,
    when `keys` asks a member key or a village-cell key (no query otherwise). The path ends with
    the cell's id and leads the covering index, so the groups come in the index's order;
    counting `member`, which the index holds, lets PostgreSQL answer from the index alone."""
    conditions = stocks.member_conditions(scope.day)
    if not any(k in keys for k in (*conditions, *stocks.VILLAGE_CELL_KEYS)):
        return CellCounts((TOTAL,), [])
    wanted = {k: c for k, c in conditions.items() if k in keys or k == TOTAL}
    aliases = {_alias(k): Count("member", filter=c or None) for k, c in wanted.items()}
    rows = stocks.active_periods(scope).values("path").annotate(**aliases).values_list(
        "path", *aliases).order_by()
    return CellCounts(tuple(wanted), plain_rows(rows))


def payload(org, request: Request, values: dict[str, int]) -> dict:
    """The API's answer (and `chibo stats --format json`'s output)."""
    return {"org": org.code, "as_of": request.as_of.isoformat(),
            "from": request.date_from.isoformat(), "to": request.date_to.isoformat(),
            "values": values}


def records(org, request: Request, key: str) -> QuerySet:
    """The rows behind one number: as many as the number counts (drill-down)."""
    if key not in set(all_keys()):
        raise UnknownMetric(key)
    day = request.as_of
    scope = stocks.scope_of(org, day)
    members = stocks.member_conditions(day)
    if key in members:
        # By cell, then in name order (the periods' own copy of the sort key): the order of the
        # covering index, so that a page streams from it, without sorting the subtree's members,
        # and reads only its own members (a join would visit every member in scope).
        return stocks.active_periods(scope).filter(members[key]).select_related(
            "org").prefetch_related("member").order_by("path", "sort_key", "member_id")
    if key in stocks.ORG_KEYS:
        return scope.periods().filter(organization__kind__in=stocks.ORG_KEYS[key]).select_related(
            "organization").order_by("path")
    if key in stocks.VILLAGE_KEYS:
        return stocks.villages_in(scope).filter(stocks.village_conditions(day)[key]).order_by(
            "code")
    if key in stocks.VILLAGE_CELL_TESTS:
        test = stocks.VILLAGE_CELL_TESTS[key]
        chosen = [c.org_id for c in stocks.village_cell_facts(
            scope, _by_cell(scope, [key]).active()) if test(c)]
        return scope.periods().filter(organization__in=chosen).select_related(
            "organization").order_by("path")
    if group := groups.group_of(key):
        return group.records(org, request, key)
    # The facts that `flows.counts` reads (near the subtree), narrowed by the key's condition.
    # Without the nearness, SQLite read a commune's facts among every province's of the period.
    return flows.facts_between(request.date_from, request.date_to).filter(
        flows.touching([org]), flows.flow_conditions(org)[key]).select_related(
        "member", "org").order_by("day", "pk")


def describe(row) -> dict:
    """A record of `records` as plain data, for the API and the pages."""
    from chibo.members.models import MemberFlow, MemberPeriod
    from chibo.organizations.models import Organization, OrgPeriod, Village

    if isinstance(row, MemberPeriod):
        return {"type": "member", "member_code": row.member.member_code,
                "full_name": row.member.full_name, "org": row.org.code}
    if isinstance(row, MemberFlow):
        return {"type": "event", "member_code": row.member.member_code,
                "full_name": row.member.full_name, "event": row.kind,
                "day": row.day.isoformat(), "org": row.org.code if row.org else None}
    if isinstance(row, OrgPeriod):
        return {"type": "organization", "code": row.organization.code, "name": row.name}
    if isinstance(row, Organization):
        return {"type": "organization", "code": row.code, "name": row.name}
    if isinstance(row, Village):
        return {"type": "village", "code": row.code, "name": row.name}
    for group in groups.ordered():
        if (described := group.describe(row)) is not None:
            return described
    raise TypeError(row)
