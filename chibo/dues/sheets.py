"""The derived `DuesYear` rows (chibo.dues.models): a member's payments of a year as one row,
rewritten from the payments whenever they change — by the services in their transaction, by the
bundle import after its rows are written. Nothing else writes payments, so the rows cannot
drift; `rebuild_all` rewrites every row (a repair, and the tests' check that none drifted).
"""

from collections import defaultdict
from collections.abc import Iterable

from chibo.dues.models import DuesYear, Payment, amount_field, paid_field
from chibo.interchange.bulk import insert_rows

CHUNK = 500


def _rows(payments: Iterable[tuple]) -> list[dict]:
    years: dict[tuple[int, int], dict] = defaultdict(dict)
    for member, month, amount, paid_on in payments:
        row = years[(member, month.year)]
        row[paid_field(month.month)] = paid_on
        row[amount_field(month.month)] = amount
    return [{"member_id": member, "year": year, **values}
            for (member, year), values in sorted(years.items())]


def refresh_members(member_ids: Iterable[int]) -> None:
    """Rewrite every year of these members."""
    ids = sorted(set(member_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        DuesYear.objects.filter(member_id__in=chunk).delete()
        insert_rows(DuesYear, _rows(Payment.objects.filter(member_id__in=chunk).values_list(
            "member_id", "month", "amount", "paid_on").order_by()))


def refresh(member_id: int, years: Iterable[int]) -> None:
    """Rewrite these years of one member."""
    years = sorted(set(years))
    DuesYear.objects.filter(member_id=member_id, year__in=years).delete()
    payments = Payment.objects.filter(member_id=member_id, month__year__in=years).values_list(
        "member_id", "month", "amount", "paid_on").order_by()
    for row in _rows(payments):
        DuesYear.objects.create(**row)


def rebuild_all() -> None:
    DuesYear.objects.all().delete()
    insert_rows(DuesYear, _rows(Payment.objects.values_list(
        "member_id", "month", "amount", "paid_on").order_by("member_id", "month").iterator()))
