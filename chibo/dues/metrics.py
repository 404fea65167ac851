"""The dues keys (spec METRICS-v2.md, "Dues"), each with the records behind its number.

- `dues.members_paid`: distinct members with a payment for a month wholly in the period, placed
  in S; `dues.amount` (Σ): the amounts of those payments. A payment is placed (METRICS-v2
  "Placement") on the last day of its month the member was active, at the member's cell that
  day: the member's period covering the month's last day, else — the member left during the
  month — the last of their periods that began by then.
- `dues.members_unpaid_3_months` (S): members active and not exempt in S on `as_of` with three
  or more unpaid months of the year of `as_of` (chibo.dues.rules: ended before `as_of`, the
  member active and not exempt on its last day, no payment made by `as_of`; the months before
  `DuesSettings.kept_from` are not counted).

The counts read the derived `DuesYear` rows (one per member and year: chibo.dues.sheets) joined
with the member periods in the subtree, one statement per year of the period, each month's
placement a condition on the period's days; the records read the payments with the same
conditions (`placed_q`), so that a number and its records cannot disagree (the contract tests
compare them). A period whose member left during a month looks for a later period begun that
month (`NOT EXISTS`), asked only of such periods.
"""

from collections import defaultdict
from datetime import date

from django.db import connection
from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from chibo.core.fields import path_ids, subtree_range
from chibo.dues import rules
from chibo.dues.choices import Category
from chibo.dues.models import (
    DuesSettings,
    DuesYear,
    Payment,
    count_field,
    paid_field,
    upto_field,
)
from chibo.members.models import MemberPeriod
from chibo.organizations.models import OrgPeriod
from chibo.stats import stocks
from chibo.stats.groups import Label, MetricGroup

PAID, AMOUNT, UNPAID = "dues.members_paid", "dues.amount", "dues.members_unpaid_3_months"
PERIOD_KEYS = (PAID, AMOUNT)
STOCK_KEYS = (UNPAID,)
KEYS = (*PERIOD_KEYS, *STOCK_KEYS)
PERIODS = MemberPeriod._meta.db_table
YEARS = DuesYear._meta.db_table


def whole_months(date_from: date, date_to: date) -> list[date]:
    """The months wholly in the period (their first days)."""
    first = date_from if date_from.day == 1 else rules.add_months(rules.first_day(date_from), 1)
    last = rules.first_day(date_to) if date_to == rules.last_day(date_to) else (
        rules.add_months(rules.first_day(date_to), -1))
    return rules.months_between(first, last) if first <= last else []


def org_paths(org_ids) -> list[str]:
    """Every path the organizations had: a cell's path on a day starts with one of them exactly
    when it lay in one of their subtrees that day."""
    paths = sorted(set(OrgPeriod.objects.filter(organization_id__in=org_ids).values_list(
        "path", flat=True)))
    return [path for index, path in enumerate(paths)
            if not any(path.startswith(other) for other in paths[:index])]


def _ranges(paths: list[str], column: str) -> tuple[str, list]:
    if not paths:
        return "1 = 0", []
    parts, params = [], []
    for path in paths:
        parts.append(f"({column} >= %s AND {column} < %s)")
        params += list(subtree_range(path))
    return "(" + " OR ".join(parts) + ")", params


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Placement of a month's payment ------------------------------------------------------------------

def _placed_sql(month: date) -> tuple[str, list]:
    """Period `p` is where a payment of `month` is placed (SQL, with its parameters)."""
    first, last = month, rules.last_day(month)
    sql = (f"((p.valid_from <= %s AND p.valid_to > %s) OR (p.valid_to > %s AND p.valid_to <= %s "
           f"AND NOT EXISTS (SELECT 1 FROM {PERIODS} q WHERE q.member_id = p.member_id "
           f"AND q.valid_from >= p.valid_to AND q.valid_from <= %s)))")
    return sql, [last, last, first, last, last]


def placed_q(month: date, prefix: str = "") -> Q:
    """The same condition on a member period (`prefix` leads to it) for the payments' records."""
    first, last = month, rules.last_day(month)
    later = MemberPeriod.objects.filter(member_id=OuterRef(f"{prefix}member_id"),
                                        valid_from__gte=OuterRef(f"{prefix}valid_to"),
                                        valid_from__lte=last)
    return (Q(**{f"{prefix}valid_from__lte": last, f"{prefix}valid_to__gt": last})
            | (Q(**{f"{prefix}valid_to__gt": first, f"{prefix}valid_to__lte": last})
               & ~Exists(later)))


# The period keys ---------------------------------------------------------------------------------

def _before(field, month: int) -> str:
    """The running total `field` up to the month before `month` (January: none)."""
    return f"s.{field(month - 1)}" if month > 1 else "0"


def _paid_sql(months: list[date]) -> tuple[str, str, list]:
    """The months placed at period `p` and their amount, from DuesYear `s`: when `p` covers
    every month's last day (nearly always) the running totals give both; else month by
    month."""
    a, b = months[0].month, months[-1].month
    fast, fast_params = "p.valid_from <= %s AND p.valid_to > %s", [
        rules.last_day(months[0]), rules.last_day(months[-1])]
    placed, amounts, params = [], [], []
    for month in months:
        condition, condition_params = _placed_sql(month)
        paid = f"s.{paid_field(month.month)}"
        placed.append(f"CASE WHEN {paid} IS NOT NULL AND {condition} THEN 1 ELSE 0 END")
        amounts.append(f"CASE WHEN {paid} IS NOT NULL AND {condition} THEN "
                       f"s.{upto_field(month.month)} - {_before(upto_field, month.month)} "
                       f"ELSE 0 END")
        params += condition_params
    n = (f"CASE WHEN {fast} THEN s.{count_field(b)} - {_before(count_field, a)} "
         f"ELSE {' + '.join(placed)} END")
    total = (f"CASE WHEN {fast} THEN s.{upto_field(b)} - {_before(upto_field, a)} "
             f"ELSE {' + '.join(amounts)} END")
    return n, total, [*fast_params, *params, *fast_params, *params]


def _paid_from(paths: list[str], year: int, months: list[date]) -> tuple[str, list]:
    """(path, member_id, n, total) of the members with payments of `months` (of `year`)
    placed under `paths`: n months there, of that amount. Under the root every payer of the
    year is counted: the year's rows are read first (SQLite keeps the left table of a CROSS
    JOIN outside), not the tree's periods since the 1970s; a subtree's periods first."""
    n, total, params = _paid_sql(months)
    where, where_params = _ranges(paths, "p.path")
    join = (f"{YEARS} s CROSS JOIN {PERIODS} p WHERE p.member_id = s.member_id" if any(
        path.count("/") == 1 for path in paths) else
        f"{YEARS} s JOIN {PERIODS} p ON p.member_id = s.member_id WHERE")
    join = join if join.endswith("WHERE") else join + " AND"
    sql = (f"SELECT path, member_id, n, total FROM (SELECT p.path AS path, p.member_id AS "
           f"member_id, {n} AS n, {total} AS total FROM {join} s.year = %s AND "
           f"p.valid_from <= %s AND p.valid_to > %s AND {where}) t "
           f"WHERE n > 0")
    return sql, [*params, year, rules.last_day(months[-1]), months[0], *where_params]


def _years(months: list[date]) -> dict[int, list[date]]:
    by_year: dict[int, list[date]] = defaultdict(list)
    for month in months:
        by_year[month.year].append(month)
    stored = DuesYear.objects.order_by("year").values_list("year", flat=True)
    low, high = stored.first(), stored.reverse().first()
    if low is None:
        return {}
    return {year: found for year, found in by_year.items() if low <= year <= high}


def paid_counts(orgs, targets, date_from: date, date_to: date, keys) -> dict[int, dict]:
    values = {target: dict.fromkeys(keys, 0) for target in targets}
    if not keys:
        return values
    members: dict[int, set] = defaultdict(set)
    paths = org_paths(orgs)
    years = _years(whole_months(date_from, date_to))
    if list(orgs) == list(targets) and len(targets) == 1:
        # One subtree (`compute`): counted in the database, a year at a time.
        (target,) = targets
        for year, months in years.items():
            sql, params = _paid_from(paths, year, months)
            if len(years) == 1:
                count, amount = _rows(f"SELECT COUNT(DISTINCT member_id), SUM(total) FROM "
                                      f"({sql}) u", params)[0]
                values[target] |= {PAID: count, AMOUNT: amount or 0}
                break
            for member, total in _rows(f"SELECT member_id, SUM(total) FROM ({sql}) u "
                                       f"GROUP BY member_id", params):
                members[target].add(member)
                values[target][AMOUNT] = values[target].get(AMOUNT, 0) + total
    else:
        for year, months in years.items():
            for path, member, _count, total in _rows(*_paid_from(paths, year, months)):
                for target in set(targets).intersection(path_ids(path)):
                    members[target].add(member)
                    values[target][AMOUNT] = values[target].get(AMOUNT, 0) + total
    for target in targets:
        if target in members:
            values[target][PAID] = len(members[target])
    return {target: {key: found.get(key, 0) for key in keys}
            for target, found in values.items()}


def paid_records(org, date_from: date, date_to: date, key: str) -> QuerySet:
    """The payments placed in `org`'s subtree of the months wholly in the period
    (`dues.amount`); for `dues.members_paid`, each member's last of them."""
    kept = Payment.objects.aggregate(first=Min("month"), last=Max("month"))
    months = [month for month in whole_months(date_from, date_to)
              if kept["first"] and kept["first"] <= month <= kept["last"]]
    paths = org_paths([org.pk])
    if not months or not paths:
        return Payment.objects.none()
    inside = Q()
    for path in paths:
        low, high = subtree_range(path)
        inside |= Q(path__gte=low, path__lt=high)
    condition = Q(pk__in=[])
    for month in months:
        there = MemberPeriod.objects.filter(inside, placed_q(month), member_id=OuterRef(
            "member_id"), valid_from__lte=rules.last_day(month), valid_to__gt=month)
        condition |= Q(month=month) & Q(Exists(there))
    payments = Payment.objects.filter(condition)
    if key == PAID:
        last = payments.filter(member_id=OuterRef("member_id"), month__gt=OuterRef("month"))
        payments = payments.filter(~Exists(last))
    return payments.select_related("member", "member__cell").order_by("member__member_code",
                                                                     "month")


# The stock key -----------------------------------------------------------------------------------

def owed_months(as_of: date, kept_from: date | None) -> list[date]:
    """The months of the year of `as_of` that may be unpaid on it: ended before it, kept."""
    return [month for month in rules.judged_months(as_of.year, kept_from)
            if rules.last_day(month) < as_of]


def unpaid_sum_sql(months: list[date], as_of: date, q: str = "q") -> tuple[str, list]:
    """The months of `months` unpaid on `as_of` within member period `q` (not exempt), from
    DuesYear `s` (LEFT JOINed: maybe none): when `q` covers every month's last day and nothing
    was paid after `as_of`, the running count gives it; else month by month."""
    a, b = months[0].month, months[-1].month
    fast = (f"{q}.valid_from <= %s AND {q}.valid_to > %s AND (s.last_paid IS NULL OR "
            f"s.last_paid <= %s)")
    fast_params = [rules.last_day(months[0]), rules.last_day(months[-1]), as_of]
    slow, params = [], []
    for month in months:
        last = rules.last_day(month)
        paid = f"s.{paid_field(month.month)}"
        slow.append(f"CASE WHEN {q}.valid_from <= %s AND {q}.valid_to > %s AND ({paid} IS "
                    f"NULL OR {paid} > %s) THEN 1 ELSE 0 END")
        params += [last, last, as_of]
    paid = f"COALESCE(s.{count_field(b)}, 0) - " + (
        f"COALESCE(s.{count_field(a - 1)}, 0)" if a > 1 else "0")
    sql = f"CASE WHEN {fast} THEN {len(months)} - ({paid}) ELSE {' + '.join(slow)} END"
    return sql, [*fast_params, *params]


def _behind_rows(paths: list[str], as_of: date, months: list[date]) -> list[tuple]:
    """(path on `as_of`, member) of the members active and not exempt under `path` on `as_of`
    with three or more unpaid `months`. Most were active since before the first month's last
    day: their period on `as_of` is the one of every month (one row each, no grouping); the
    others' months are read over their periods of the year."""
    first_end = rules.last_day(months[0])
    where, where_params = _ranges(paths, "a.path")
    active = f"{where} AND a.valid_from <= %s AND a.valid_to > %s AND a.exempt = %s"
    active_params = [*where_params, as_of, as_of, False]
    year = f"LEFT JOIN {YEARS} s ON s.member_id = a.member_id AND s.year = %s"
    unpaid, params = unpaid_sum_sql(months, as_of, "a")
    a, b = months[0].month, months[-1].month
    paid = f"s.{count_field(b)} - {_before(count_field, a)}"
    # Those who paid something in the year: the year's rows that may be three months short
    # (few), then their period; those who paid nothing: their period, if no row of the year.
    found = _rows(f"SELECT a.path, a.member_id FROM {YEARS} s CROSS JOIN {PERIODS} a "
                  f"WHERE a.member_id = s.member_id AND s.year = %s AND (s.last_paid > %s OR "
                  f"{paid} <= %s) AND {active} AND a.valid_from <= %s AND ({unpaid}) >= %s",
                  [as_of.year, as_of, len(months) - rules.UNPAID_MONTHS, *active_params,
                   first_end, *params, rules.UNPAID_MONTHS])
    found += _rows(f"SELECT a.path, a.member_id FROM {PERIODS} a WHERE {active} AND "
                   f"a.valid_from <= %s AND NOT EXISTS (SELECT 1 FROM {YEARS} s WHERE "
                   f"s.year = %s AND s.member_id = a.member_id)",
                   [*active_params, first_end, as_of.year])
    unpaid, params = unpaid_sum_sql(months, as_of)
    found += _rows(
        f"SELECT a.path, a.member_id FROM {PERIODS} a "
        f"JOIN {PERIODS} q ON q.member_id = a.member_id AND q.exempt = %s "
        f"AND q.valid_from <= %s AND q.valid_to > %s {year} WHERE {active} AND a.valid_from > %s "
        f"GROUP BY a.path, a.member_id HAVING SUM({unpaid}) >= %s",
        [False, rules.last_day(months[-1]), months[0], as_of.year, *active_params, first_end,
         *params, rules.UNPAID_MONTHS])
    return found


def behind(orgs, as_of: date) -> list[tuple[str, int]]:
    """(path, member) of the members of the subtrees of `orgs` counted by
    `dues.members_unpaid_3_months` on `as_of`: one set of statements for them all."""
    from chibo.organizations.models import Organization

    if not Payment.objects.exists():
        return []  # chibo keeps no dues (yet): nobody is counted behind on nothing recorded
    months = owed_months(as_of, DuesSettings.current().kept_from)
    paths = [scope.path for org in Organization.objects.filter(pk__in=orgs)
             if (scope := stocks.scope_of(org, as_of)).path is not None]
    if len(months) < rules.UNPAID_MONTHS or not paths:
        return []
    return _behind_rows(paths, as_of, months)


def unpaid_counts(orgs, targets, as_of: date) -> dict[int, dict]:
    values = {target: {UNPAID: 0} for target in targets}
    for path, _member in behind(orgs, as_of):
        for target in set(targets).intersection(path_ids(path)):
            values[target][UNPAID] += 1
    return values


def unpaid_records(org, as_of: date) -> QuerySet:
    members = [member for _path, member in behind([org.pk], as_of)]
    return MemberPeriod.objects.filter(
        member_id__in=members, valid_from__lte=as_of, valid_to__gt=as_of).select_related(
        "member", "org").order_by("path", "sort_key", "member_id")


# The groups --------------------------------------------------------------------------------------

def describe(row) -> dict | None:
    if not isinstance(row, Payment):
        return None
    return {"type": "dues", "member_code": row.member.member_code,
            "full_name": row.member.full_name, "org": row.member.cell.code,
            "month": row.month_text, "amount": row.amount, "paid_on": row.paid_on.isoformat(),
            "category": row.category}


def present(item: dict) -> None:
    if item.get("category"):
        item["category_label"] = Category(item["category"]).label


PAID_GROUP = MetricGroup(
    key="dues", label=_("Đảng phí trong kỳ"), flow=True, order=105,
    metrics=(Label(PAID, _("Đảng viên đã nộp đảng phí")),
             Label(AMOUNT, _("Số tiền đảng phí đã nộp (đồng)"))),
    counts=lambda window, keys: paid_counts(window.orgs, window.targets, window.date_from,
                                            window.date_to, keys),
    records=lambda org, request, key: paid_records(org, request.date_from, request.date_to,
                                                   key),
    describe=describe, present=present, records_template="dues/_stat_records.html")
UNPAID_GROUP = MetricGroup(
    key="dues_unpaid", label=_("Đảng viên chưa nộp đảng phí"), flow=False, order=106,
    metrics=(Label(UNPAID, _("Đảng viên không nộp đảng phí từ 3 tháng trong năm")),),
    counts=lambda window, keys: unpaid_counts(window.orgs, window.targets, window.as_of),
    records=lambda org, request, key: unpaid_records(org, request.as_of),
    describe=lambda row: None)
