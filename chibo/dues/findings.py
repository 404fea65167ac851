"""The dues findings of spec BUNDLE-v2.md (dues.csv, "Findings") as record finding rules
(chibo.findings): `chibo check`, the findings page and exceptions.csv know them.

- `dues.amount`: a payment that is not its month's rate where the rate is known
  (chibo.dues.rules: the rule in force on the month's first day, the category and basis the
  payment was reckoned on). Its record is the payment's key columns, `member_code|YYYY-MM`; it
  arises on the day it was paid.
- `dues.unpaid`: a member with three or more unpaid months in a year (active and not exempt on
  the month's last day, no payment made by today), judged once the year is over and within the
  months kept (chibo.dues.rules.judged_years). Its record is `member_code|YYYY`; it arises on
  31 December of the year.

Both lie at the member's cell (today's), as the other processes' member findings do. Who may
record an exception: `dues.record`; who reads them: whoever reads the subtree's statistics.
"""

from collections import defaultdict
from datetime import date

from django.db import connection
from django.db.models import F, Max, Q
from django.utils.translation import gettext as _

from chibo.core.fields import subtree_range
from chibo.dues import rules
from chibo.dues.capabilities import RECORD_DUES
from chibo.dues.config import load_rates
from chibo.dues.metrics import unpaid_sum_sql
from chibo.dues.models import DuesSettings, DuesYear, Payment
from chibo.dues.placement import MemberSpans
from chibo.findings.rules import FindingRule, RecordFinding, register_rule
from chibo.members.models import Member, MemberPeriod

PERIODS = MemberPeriod._meta.db_table
YEARS = DuesYear._meta.db_table


def horizon() -> date | None:
    """The last month any payment was recorded for."""
    return Payment.objects.aggregate(last=Max("month"))["last"]


def _members_sql(org) -> tuple[str, list]:
    low, high = subtree_range(org.path)
    sql, params = Member.objects.filter(cell__path__gte=low, cell__path__lt=high).values(
        "pk").order_by().query.sql_with_params()
    return sql, list(params)


def behind_in(org, year: int, today: date, kept_from: date | None) -> list[int]:
    """The members of `org`'s subtree (by their cell today) with three or more unpaid months
    of `year` on `today`."""
    months = [month for month in rules.judged_months(year, kept_from)
              if rules.last_day(month) < today]
    if len(months) < rules.UNPAID_MONTHS:
        return []
    unpaid, params = unpaid_sum_sql(months, today)
    members, member_params = _members_sql(org)
    sql = (f"SELECT q.member_id FROM {PERIODS} q LEFT JOIN {YEARS} s ON s.member_id = "
           f"q.member_id AND s.year = %s WHERE q.exempt = %s AND q.valid_from <= %s AND "
           f"q.valid_to > %s AND q.member_id IN ({members}) GROUP BY q.member_id "
           f"HAVING SUM({unpaid}) >= %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [year, False, rules.last_day(months[-1]), months[0],
                             *member_params, *params, rules.UNPAID_MONTHS])
        return [row[0] for row in cursor.fetchall()]


def unpaid_months(spans: MemberSpans, sheet: DuesYear | None, member_id: int, year: int,
                  today: date, kept_from: date | None) -> list[date]:
    """The unpaid months of a member's year on `today` (chibo.dues.rules.unpaid)."""
    owed = [month for month in rules.judged_months(year, kept_from)
            if spans.owes(member_id, month)]
    paid = {} if sheet is None else {date(year, month, 1): sheet.paid(month)
                                     for month in range(1, 13) if sheet.paid(month)}
    return rules.unpaid(owed, paid, today)


def _cell(member: dict) -> tuple[str, str]:
    return member["cell__code"], member["cell__name"]


def find_unpaid(org, today: date) -> list[RecordFinding]:
    kept_from = DuesSettings.current().kept_from
    flagged: dict[int, list[int]] = defaultdict(list)
    for year in rules.judged_years(today, horizon(), kept_from):
        for member in behind_in(org, year, today, kept_from):
            flagged[member].append(year)
    if not flagged:
        return []
    spans = MemberSpans(flagged)
    sheets = {(row.member_id, row.year): row for row in DuesYear.objects.filter(
        member_id__in=list(flagged))}
    people = {row["pk"]: row for row in Member.objects.filter(pk__in=list(flagged)).values(
        "pk", "member_code", "full_name", "cell__code", "cell__name")}
    found = []
    for member, years in flagged.items():
        person = people[member]
        for year in years:
            months = unpaid_months(spans, sheets.get((member, year)), member, year, today,
                                   kept_from)
            detail = _("năm %(year)s chưa nộp %(count)s tháng: %(months)s") % {
                "year": year, "count": len(months),
                "months": ", ".join(f"{month:%m}" for month in months)}
            org_code, org_name = _cell(person)
            found.append(RecordFinding(
                key=rules.UNPAID, file=rules.FILE, record=f"{person['member_code']}|{year}",
                org_code=org_code, org_name=org_name,
                subject=f"{person['member_code']} {person['full_name']} — {year}",
                detail=detail, rule=str(rules.WORDS[rules.UNPAID]),
                source=str(rules.SOURCES[rules.UNPAID]), day=date(year, 12, 31)))
    return found


def _due_conditions(rates: rules.Rates) -> Q:
    """The payments whose due is known and differs from their amount, as one condition: for
    each rule, the months it charges (from the first month beginning on or after it takes
    effect until the next rule's) and each of its rates."""
    condition = Q(pk__in=[])
    for index, rule in enumerate(rates.rules):
        first = rule.effective_on if rule.effective_on.day == 1 else rules.add_months(
            rules.first_day(rule.effective_on), 1)
        months = Q(month__gte=first)
        if index + 1 < len(rates.rules):
            following = rates.rules[index + 1].effective_on
            months &= Q(month__lt=following if following.day == 1 else rules.add_months(
                rules.first_day(following), 1))
        for category, rate in rule.rates.items():
            if rate.amount is not None:
                condition |= months & Q(category=category) & ~Q(amount=rate.amount)
            else:
                hundredths = int(rate.percent * 100)
                due = (F("basis_amount") * hundredths + 5000) / 10000
                condition |= months & Q(category=category, basis_amount__isnull=False) & ~Q(
                    amount=due)
    return condition


def find_amount(org, today: date) -> list[RecordFinding]:
    rates = load_rates()
    low, high = subtree_range(org.path)
    rows = Payment.objects.filter(_due_conditions(rates), member__cell__path__gte=low,
                                  member__cell__path__lt=high, paid_on__lte=today).values(
        "month", "amount", "paid_on", "category", "basis_amount", "member__member_code",
        "member__full_name", "member__cell__code", "member__cell__name").order_by()
    found = []
    for row in rows:
        problem = rules.amount_problem(rates, category=row["category"],
                                       basis=row["basis_amount"], month=row["month"],
                                       amount=row["amount"])
        if problem is None:
            continue
        code = row["member__member_code"]
        found.append(RecordFinding(
            key=rules.AMOUNT, file=rules.FILE, record=f"{code}|{rules.month_text(row['month'])}",
            org_code=row["member__cell__code"], org_name=row["member__cell__name"],
            subject=f"{code} {row['member__full_name']}", detail=problem,
            rule=str(rules.WORDS[rules.AMOUNT]), source=str(rules.SOURCES[rules.AMOUNT]),
            day=row["paid_on"]))
    return found


def register() -> None:
    """Called by the dues app's ready()."""
    for order, (key, find) in enumerate(((rules.AMOUNT, find_amount),
                                         (rules.UNPAID, find_unpaid))):
        register_rule(FindingRule(key=key, label=rules.LABELS[key], rule=rules.WORDS[key],
                                  source=str(rules.SOURCES[key]), file=rules.FILE,
                                  capability=RECORD_DUES, find=find, order=70 + order))
