"""The demo province's party dues of 2025–2026: every member active in a month pays it, but a few
members fall behind.

* **Kept from** January 2025 (`DuesSettings.kept_from`): the months before are not judged —
  chibo started keeping the province's dues then.
* **Category and basis** (`DuesBasis` from January 2025): 60 and over a pensioner (a pension of
  3.5–9 million), under 24 a student, a member of an agency, public service unit, state
  enterprise, the army or police on a salary (5–15 million; enlisted soldiers under 25 on an
  allowance), the others "other" (no rate is configured for them: they pay 10,000 đồng).
* **Payments**: each month the member was active on some day, paid on a day of the month (one in
  ten a month or two late) at the month's due (chibo.dues.rules, the configured rules; where
  none is known, the category's usual amount). About 2 % of the members stop paying for three to
  five months of a year (those behind, `dues.unpaid` and `dues.members_unpaid_3_months`); the
  months after today's are never paid.

A province's 1.6 million rows are written with the bundle's bulk insert (the import's own
writer) and their `DuesYear` rows built from the same rows, not read back: the bundle's importer
would spend minutes checking rows this builder makes from the member periods themselves.
Deterministic: one `random.Random` seeded from the demo's seed, members in id order.
"""

import random
import sys
import time
from collections import defaultdict
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from chibo.core.db import DateText, analyze_tables, date_of, plain_rows
from chibo.dues import rules, sheets
from chibo.dues.choices import Category, Channel
from chibo.dues.config import load_rates
from chibo.dues.models import DuesBasis, DuesSettings, DuesYear, Payment
from chibo.interchange.bulk import insert_rows
from chibo.members.models import Member, MemberPeriod

FIRST = date(2025, 1, 1)
SALARIED = ("agency", "public_service_unit", "state_enterprise", "army", "police")
OTHER_AMOUNT = 10_000
BEHIND_SHARE = 0.02


def build_for_demo(context) -> None:
    """`chibo demo`'s builder (chibo.core.registry.DEMO_BUILDERS): the dues."""
    build(seed=context.seed, stream=context.stream)


def _category(rng: random.Random, birth: date, sector: str) -> tuple[str, int | None]:
    age = FIRST.year - birth.year
    if age >= 60:
        return Category.PENSION, rng.randrange(35, 91) * 100_000
    if age < 24:
        return Category.STUDENT, None
    if sector in ("army", "police") and age < 25:
        return Category.ALLOWANCE, rng.randrange(10, 31) * 100_000
    if sector in SALARIED:
        return Category.SALARY, rng.randrange(50, 151) * 100_000
    return Category.OTHER, None


def _sectors() -> dict[int, str]:
    """Member id -> the sector of their grassroots organization today (the cell's nearest
    ancestor with a sector)."""
    from chibo.core.fields import path_ids
    from chibo.organizations.models import Organization

    sector = dict(Organization.objects.exclude(sector="").values_list("pk", "sector"))
    found = {}
    for member, path in Member.objects.values_list("pk", "cell__path"):
        found[member] = next((sector[pk] for pk in reversed(path_ids(path)) if pk in sector), "")
    return found


@transaction.atomic
def build(*, seed: int, today: date | None = None, stream=None) -> dict[str, int]:
    stream = stream or sys.stderr
    started = time.monotonic()
    today = today or timezone.localdate()
    rng = random.Random(f"dues-{seed}")
    DuesSettings.objects.update_or_create(pk=1, defaults={"kept_from": FIRST})
    rates = load_rates()
    months = rules.months_between(FIRST, min(today, date(2026, 12, 31)))
    months = [month for month in months if month <= rules.first_day(today)]
    spans: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for member, begin, end in plain_rows(MemberPeriod.objects.filter(
            valid_to__gt=FIRST).values_list("member_id", DateText("valid_from"),
                                            DateText("valid_to")).order_by()):
        spans[member].append((date_of(begin), date_of(end)))
    births = dict(Member.objects.filter(pk__in=list(spans)).values_list("pk", "birth_date"))
    sectors = _sectors()
    bases, payments = [], []
    for member in sorted(spans):
        category, basis = _category(rng, births[member], sectors.get(member, ""))
        bases.append({"member_id": member, "valid_from": FIRST, "category": category,
                      "basis_amount": basis})
        gaps: set[date] = set()
        if rng.random() < BEHIND_SHARE:
            year = rng.choice((2025, 2026))
            start = rng.randrange(1, 8)
            gaps = {date(year, m, 1) for m in range(start, start + rng.randrange(3, 6))}
        for month in months:
            last = rules.last_day(month)
            if month in gaps or not any(b <= last and e > month for b, e in spans[member]):
                continue
            paid_on = date(month.year, month.month, rng.randrange(5, 26))
            if rng.random() < 0.1:
                paid_on = rules.add_months(paid_on, rng.randrange(1, 3))
            if paid_on > today:
                continue
            amount = rates.due(category, basis, month) or (
                5000 if category == Category.STUDENT else OTHER_AMOUNT)
            payments.append((member, month, amount, paid_on, category, basis))
    Payment.objects.all().delete()
    DuesYear.objects.all().delete()
    DuesBasis.objects.all().delete()
    insert_rows(DuesBasis, bases)
    insert_rows(Payment, ({"member_id": m, "month": month, "amount": amount,
                           "paid_on": paid_on, "category": category, "basis_amount": basis,
                           "channel": Channel.CASH.value, "note": ""}
                          for m, month, amount, paid_on, category, basis in payments))
    insert_rows(DuesYear, sheets.year_rows((m, month, amount, paid_on)
                                           for m, month, amount, paid_on, *_ in payments))
    analyze_tables(connection, [f'"{model._meta.db_table}"' for model in (
        Payment, DuesYear, DuesBasis)])
    counts = {"dues.csv": len(payments), "members": len(bases)}
    stream.write(f"  dues ({time.monotonic() - started:.0f} s): {len(payments):,} payments of "
                 f"{len(bases):,} members\n")
    stream.flush()
    return counts
