"""The derived `DuesYear` rows (chibo.dues.models): a member's payments of a year as one row,
rewritten from the payments whenever they change — by the services in their transaction, by the
bundle import after its rows are written. Nothing else writes payments, so the rows cannot
drift; `rebuild_all` rewrites every row (a repair, and the tests' check that none drifted).
"""

from collections import defaultdict
from collections.abc import Iterable

from chibo.dues.models import DuesYear, Payment, count_field, paid_field, upto_field
from chibo.interchange.bulk import insert_rows

CHUNK = 500


def year_rows(payments: Iterable[tuple]) -> list[dict]:
    """The DuesYear rows of these (member id, month, amount, paid on) payments."""
    years: dict[tuple[int, int], dict[int, tuple]] = defaultdict(dict)
    for member, month, amount, paid_on in payments:
        years[(member, month.year)][month.month] = (amount, paid_on)
    rows = []
    for (member, year), months in sorted(years.items()):
        row = {"member_id": member, "year": year,
               "last_paid": max(paid_on for _amount, paid_on in months.values())}
        total = count = 0
        for number in range(1, 13):
            if number in months:
                amount, row[paid_field(number)] = months[number]
                total, count = total + amount, count + 1
            row[upto_field(number)], row[count_field(number)] = total, count
        rows.append(row)
    return rows


def refresh_members(member_ids: Iterable[int]) -> None:
    """Rewrite every year of these members."""
    ids = sorted(set(member_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        DuesYear.objects.filter(member_id__in=chunk).delete()
        insert_rows(DuesYear, year_rows(Payment.objects.filter(member_id__in=chunk).values_list(
            "member_id", "month", "amount", "paid_on").order_by()))


def refresh(member_id: int, years: Iterable[int]) -> None:
    """Rewrite these years of one member."""
    years = sorted(set(years))
    DuesYear.objects.filter(member_id=member_id, year__in=years).delete()
    payments = Payment.objects.filter(member_id=member_id, month__year__in=years).values_list(
        "member_id", "month", "amount", "paid_on").order_by()
    for row in year_rows(payments):
        DuesYear.objects.create(**row)


def rebuild_all() -> None:
    DuesYear.objects.all().delete()
    insert_rows(DuesYear, year_rows(Payment.objects.values_list(
        "member_id", "month", "amount", "paid_on").order_by("member_id", "month").iterator()))
