"""Reading the dues: the cell's collection sheet of a month, a member's year (the handbook, the
member page), in a few queries whatever the number of members."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.dues import rules
from chibo.dues.choices import Category
from chibo.dues.config import load_rates
from chibo.dues.findings import horizon
from chibo.dues.models import DuesBasis, DuesSettings, Payment
from chibo.dues.placement import MemberSpans
from chibo.members.models import Member, MemberPeriod


@dataclass
class SheetRow:
    """A member on the cell's sheet of a month: what they owe and what they paid."""

    member: Member
    category: str
    basis_amount: int | None
    due: int | None
    payment: Payment | None
    exempt: bool
    unpaid_this_year: int  # months of the year unpaid today, this one included

    @property
    def paid(self) -> bool:
        return self.payment is not None

    @property
    def category_label(self) -> str:
        return Category(self.category).label if self.category else ""


def bases_of(member_ids, month: date) -> dict[int, DuesBasis]:
    found: dict[int, DuesBasis] = {}
    for basis in DuesBasis.objects.filter(member_id__in=member_ids, valid_from__lte=month
                                          ).order_by("valid_from"):
        found[basis.member_id] = basis
    return found


def sheet(cell, month: date, today: date | None = None) -> list[SheetRow]:
    """The members active in `cell` on some day of `month`, by name, each with the month's
    due, payment and the unpaid months of the year so far."""
    today = today or timezone.localdate()
    month = rules.first_day(month)
    ids = list(MemberPeriod.objects.filter(
        org=cell, valid_from__lte=rules.last_day(month), valid_to__gt=month).values_list(
        "member_id", flat=True).distinct())
    members = Member.objects.filter(pk__in=ids).order_by("sort_key", "pk")
    spans = MemberSpans(ids)
    bases = bases_of(ids, month)
    rates = load_rates()
    kept_from = DuesSettings.current().kept_from
    year_payments: dict[int, dict[date, Payment]] = {}
    for payment in Payment.objects.filter(member_id__in=ids, month__gte=date(month.year, 1, 1),
                                          month__lte=date(month.year, 12, 1)):
        year_payments.setdefault(payment.member_id, {})[payment.month] = payment
    rows = []
    for member in members:
        basis = bases.get(member.pk)
        category = basis.category if basis else ""
        amount = basis.basis_amount if basis else None
        paid = {key: value.paid_on for key, value in year_payments.get(member.pk, {}).items()}
        owed = [each for each in rules.judged_months(month.year, kept_from)
                if spans.owes(member.pk, each)]
        span = spans.on(member.pk, min(rules.last_day(month), today))
        rows.append(SheetRow(member, category, amount, rates.due(category, amount, month),
                             year_payments.get(member.pk, {}).get(month),
                             bool(span and span.exempt),
                             len(rules.unpaid(owed, paid, today))))
    return rows


@dataclass
class MemberMonth:
    month: date
    owed: bool
    payment: Payment | None


def member_year(member: Member, year: int, today: date | None = None) -> list[MemberMonth]:
    """A member's months of `year` up to today: owed or not, paid or not."""
    today = today or timezone.localdate()
    spans = MemberSpans([member.pk])
    kept_from = DuesSettings.current().kept_from
    payments = {payment.month: payment for payment in Payment.objects.filter(
        member=member, month__year=year).select_related("receipt")}
    found = []
    for number in range(1, 13):
        month = date(year, number, 1)
        if month > today:
            break
        kept = kept_from is None or month >= rules.first_day(kept_from)
        found.append(MemberMonth(month, bool(kept and spans.owes(member.pk, month)),
                                 payments.get(month)))
    return found


def unpaid_of(member: Member, year: int, today: date | None = None) -> list[date]:
    """The member's unpaid months of `year` on today."""
    today = today or timezone.localdate()
    months = member_year(member, year, today)
    return rules.unpaid([m.month for m in months if m.owed],
                        {m.month: m.payment.paid_on for m in months if m.payment}, today)


def unpaid_evidence(member: Member, day: date) -> str | None:
    """The removal ground "not paying dues three months in a year without valid reason" as the
    dues show it on `day`: the months of `day`'s year, or of the year before, owed, ended and
    unpaid by then — among the months the dues are kept for (from the settings' "kept from" to
    the last month any payment was recorded for, as `dues.unpaid` judges: where no dues are
    kept, nobody is behind) (chibo.removal; rules.UNPAID_MONTHS)."""
    last = horizon()
    if last is None:
        return None
    for year in (day.year, day.year - 1):
        months = [month for month in unpaid_of(member, year, day) if month <= last]
        if len(months) >= rules.UNPAID_MONTHS:
            return _("Không đóng đảng phí %(n)s tháng của năm %(year)s (tháng %(months)s).") % {
                "n": len(months), "year": year,
                "months": ", ".join(str(month.month) for month in months)}
    return None
