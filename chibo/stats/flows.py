"""Flow metrics (spec/METRICS.md): events in a period that fell in an organization's subtree.

A fact falls in S when its cell lies in S's subtree as the tree was on the fact's reference day.
Each fact stores that day and the path its cell had then (`path`; for a transfer's leaving side,
`from_path` on `from_ref_day`), kept right when a subtree moves (chibo.members.hooks). S itself
may have moved: each of S's periods covers the reference days on which S had that path, so "in
S" is one indexed path range per period of S.

The rules are declared once (`RULES`) and read over facts reduced to what the rules ask of them
(kind, inside, came from inside, breakdown flags; `_apply_rules`): for one organization, grouped
so in SQL (`counts`); for every child of an organization at once, over rows grouped by the
facts' paths (`count_rows`): a cell lies in C's subtree on a day exactly when C's id is on its
path that day. `flow_conditions` writes the rules as SQL conditions, which select the records
behind a number.
"""

from datetime import date

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)

from chibo.core.db import YearOf, plain_rows
from chibo.core.fields import subtree_range
from chibo.core.querysets import path_scope_q
from chibo.members.models import MemberFlow
from chibo.organizations.models import OrgPeriod
from chibo.stats.stocks import listed

UNIVERSITY_PLUS = ("university", "master", "doctor")
ADMISSIONS = ("admitted", "readmitted")

# Where a fact must fall, relative to S: IN (its cell lies in S), ARRIVES (a transfer into S from
# outside it), LEAVES (a transfer from S to outside it).
IN, ARRIVES, LEAVES = "in", "arrives", "leaves"

# A breakdown of admissions: a condition on the member's attributes and age, which the fact
# carries (MemberFlow's FLOW_PROFILE), so that no statement joins the member table.
FLAGS = {
    "female": Q(gender="female"),
    "ethnic_minority": ~Q(ethnicity="Kinh"),
    "upto_30": Q(age__lte=30),
    "high_school": Q(general_education__in=["12/12", "10/10"]),
    "professional_any": ~Q(professional_level__in=["", "none"]),
    "university_plus": Q(professional_level__in=UNIVERSITY_PLUS),
}

# key -> the (fact kinds, where, breakdown flag) that it counts
RULES: dict[str, list[tuple[tuple[str, ...], str, str | None]]] = {
    "admitted": [(ADMISSIONS, IN, None)],
    **{f"admitted.{flag}": [(ADMISSIONS, IN, flag)] for flag in FLAGS},
    "recognized_official": [(("official",), IN, None)],
    "removed": [(("remove",), IN, None)],
    "expelled": [(("expel",), IN, None)],
    "left": [(("leave",), IN, None)],
    "died": [(("die",), IN, None)],
    "not_recognized": [(("not_recognized",), IN, None)],
    "transferred_in": [(("transfer",), ARRIVES, None), (("returned", "arrived"), IN, None)],
    "transferred_out": [(("transfer",), LEAVES, None), (("transfer_out",), IN, None)],
}
FLOW_KEYS = tuple(RULES)


def placed_in(org, org_field: str = "org", ref_field: str = "ref_day") -> Q:
    """Rows whose `org_field` lay in `org`'s subtree on their `ref_field` day (flow facts;
    meetings, with their cell and day, use the same rule)."""
    condition = Q(pk__in=[])
    for start, end, path in OrgPeriod.objects.filter(organization=org).values_list(
            "valid_from", "valid_to", "path"):
        low, high = subtree_range(path)
        there = OrgPeriod.objects.filter(
            organization=OuterRef(org_field), valid_from__lte=OuterRef(ref_field),
            valid_to__gt=OuterRef(ref_field), path__gte=low, path__lt=high)
        condition |= Q(**{f"{ref_field}__gte": start, f"{ref_field}__lt": end}) & Q(Exists(there))
    return condition


def placed_at(org, path_field: str = "path", ref_field: str = "ref_day") -> Q:
    """Facts whose stored cell path (`path_field`, as of their `ref_field` day) lay in `org`'s
    subtree on that day: for each period of `org`, its days and its path range."""
    condition = Q(pk__in=[])
    for start, end, path in OrgPeriod.objects.filter(organization=org).values_list(
            "valid_from", "valid_to", "path"):
        low, high = subtree_range(path)
        condition |= Q(**{f"{ref_field}__gte": start, f"{ref_field}__lt": end,
                          f"{path_field}__gte": low, f"{path_field}__lt": high})
    return condition


def flow_conditions(org) -> dict[str, Q]:
    """Every flow key of `org`'s subtree as a condition on flow facts."""
    inside = placed_at(org)
    came_from_inside = placed_at(org, "from_path", "from_ref_day")
    where = {IN: inside, ARRIVES: inside & ~came_from_inside, LEAVES: came_from_inside & ~inside}
    conditions = {}
    for key, parts in RULES.items():
        condition = Q(pk__in=[])
        for kinds, place, flag in parts:
            condition |= Q(kind__in=kinds) & where[place] & (FLAGS[flag] if flag else Q())
        conditions[key] = condition
    return conditions


def counts(org, date_from: date, date_to: date, keys) -> dict[str, int]:
    """The flow keys of `org`'s subtree over the period."""
    wanted = [k for k in keys if k in RULES]
    if not wanted:
        return {}
    return _apply_rules(_tallies(org, date_from, date_to, wanted).get((), {}), wanted)


def counts_by_year(org, date_from: date, date_to: date, keys) -> dict[int, dict[str, int]]:
    """`counts` of each year of the period in which a fact counted by `keys` fell."""
    wanted = [k for k in keys if k in RULES]
    return {year: _apply_rules(tally, wanted) for (year,), tally in _tallies(
        org, date_from, date_to, wanted, {"year": YearOf("day")}).items()}


def _tallies(org, date_from: date, date_to: date, keys,
             by: dict | None = None) -> dict[tuple, dict[tuple, int]]:
    """The period's facts near `org`'s subtree (`touching`) of the kinds `keys` count, grouped in
    SQL by the `by` columns and by what the rules ask of a fact (kind, inside, came from inside,
    flags): (values of `by`) -> {signature: facts}. A few dozen groups for the rules to read,
    where one conditional count per key made Django compile, and the database evaluate, a
    condition per key (10 ms to compile for a commune)."""
    by = by or {}
    where = {"inside": placed_at(org), "came": placed_at(org, "from_path", "from_ref_day")}
    columns = {name: ExpressionWrapper(condition, output_field=BooleanField())
               for name, condition in (where | _flag_conditions()).items()}
    rows = _of_kinds(facts_between(date_from, date_to).filter(touching([org])), keys).annotate(
        **by, **columns).values(*by, *columns).annotate(n=Count("day")).values_list(
        *by, "kind", *columns, "n").order_by()
    tallies: dict[tuple, dict[tuple, int]] = {}
    for row in plain_rows(rows):
        group, (kind, inside, came, *flags, n) = tuple(row[:len(by)]), row[len(by):]
        signature = (kind, bool(inside), bool(came),
                     frozenset(name for name, hit in zip(FLAGS, flags, strict=True) if hit))
        tally = tallies.setdefault(group, {})
        tally[signature] = tally.get(signature, 0) + n
    return tallies


def _flag_conditions() -> dict[str, Q]:
    return {f"flag_{name}": condition for name, condition in FLAGS.items()}


def _of_kinds(facts: QuerySet, keys) -> QuerySet:
    """Only the facts of the kinds that `keys` count."""
    return facts.filter(kind__in=sorted({kind for key in keys for kinds, _, _ in RULES[key]
                                          for kind in kinds}))


def facts_between(date_from: date, date_to: date) -> QuerySet:
    return MemberFlow.objects.filter(day__gte=date_from, day__lte=date_to)


def touching(orgs) -> Q:
    """Facts whose cell, on either side, lay in the subtree of one of `orgs` at some time: the
    path ranges of all their periods (a superset, two index ranges per outermost path, so that
    the cost follows the subtree, not the table), which the rules narrow exactly (`counts`,
    `count_rows`, the records' conditions)."""
    paths = list(OrgPeriod.objects.filter(organization__in=orgs).values_list(
        "path", flat=True).order_by())
    # A small subtree's paths are named (each an index seek on (path, day)); SQLite otherwise
    # read a commune's ranges by the day index, all provinces' facts of the period.
    named = listed(OrgPeriod.objects.filter(path_scope_q(paths, "path")).values("path"))
    if isinstance(named, list):
        return Q(path__in=named) | Q(from_path__in=named)
    return path_scope_q(paths, "path") | path_scope_q(paths, "from_path")


def grouped_rows(orgs, date_from: date, date_to: date) -> list[dict]:
    """The period's facts that may fall in the subtrees of `orgs`, grouped by kind, the paths
    of their cells on their reference days and the breakdown flags: one grouped query."""
    flags = {name: ExpressionWrapper(condition, output_field=BooleanField())
             for name, condition in _flag_conditions().items()}
    return list(facts_between(date_from, date_to).filter(touching(orgs)).annotate(
        **flags).values("kind", "path", "from_path", *flags).annotate(n=Count("pk")).order_by())


def ids_on(path: str | None) -> set[str]:
    """The ids (as text) of the organizations on a path: a row whose cell has this path on its
    day lies in the subtree of each of them."""
    return set(path.split("/")) if path else set()


def count_rows(rows: list[dict], org_ids, keys) -> dict[int, dict[str, int]]:
    """The flow keys of the subtree of each organization of `org_ids` over `grouped_rows`:
    the rows are tallied per organization by what the rules ask of them (kind, inside, came
    from inside, flags), then the rules read each distinct tally once."""
    wanted = [k for k in keys if k in RULES]
    names = {str(org_id): org_id for org_id in org_ids}
    tallies: dict[int, dict[tuple, int]] = {org_id: {} for org_id in org_ids}
    for row in rows:
        on, came_from = ids_on(row["path"]), ids_on(row["from_path"])
        flags = frozenset(name for name in FLAGS if row[f"flag_{name}"])
        for name in (on | came_from) & names.keys():
            signature = (row["kind"], name in on, name in came_from, flags)
            tally = tallies[names[name]]
            tally[signature] = tally.get(signature, 0) + row["n"]
    return {org_id: _apply_rules(tally, wanted) for org_id, tally in tallies.items()}


def _apply_rules(tally: dict[tuple, int], keys) -> dict[str, int]:
    values = dict.fromkeys(keys, 0)
    for (kind, inside, came, flags), n in tally.items():
        where = {IN: inside, ARRIVES: inside and not came, LEAVES: came and not inside}
        for key in keys:
            if any(kind in kinds and where[place] and (not flag or flag in flags)
                   for kinds, place, flag in RULES[key]):
                values[key] += n
    return values
