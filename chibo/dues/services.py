"""Every change to the dues (RULES.md §6; spec BUNDLE-v2.md dues.csv): the cell's treasurer
records the months a member pays (one receipt for what is paid together), an office records
payments made through another channel, a member's category and basis are set.

Each service runs in one transaction, checks the actor's capability on the member's cell
(`dues.record`), refuses input that would make the stored history inconsistent (a month already
paid, a member not active in the month, a payment day after today: `RuleViolation` naming the
field, nothing written) and writes one audit record; the derived `DuesYear` rows are rewritten
in the same transaction (chibo.dues.sheets). A payment that is not the month's known rate
(`dues.amount`) is refused with the rule's words unless `exception` gives the decision that
allowed it, recorded then in the same transaction.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.policy import require
from chibo.audit.services import record_change
from chibo.core.exceptions import RuleViolation
from chibo.dues import rules, sheets
from chibo.dues.capabilities import RECORD_DUES
from chibo.dues.choices import Category, Channel
from chibo.dues.config import load_rates
from chibo.dues.models import DuesBasis, Payment, Receipt
from chibo.dues.placement import MemberSpans
from chibo.findings.queries import open_findings
from chibo.findings.rules import RecordFinding
from chibo.findings.services import Decision, record_exception
from chibo.members.models import Member

ACTIONS = {
    "dues.record": gettext_lazy("Thu đảng phí"),
    "dues.basis": gettext_lazy("Đặt đối tượng, căn cứ tính đảng phí"),
    "dues.import": gettext_lazy("Nhập đảng phí từ bảng tính"),
}


@dataclass(frozen=True)
class MonthPaid:
    """One month a member pays: its first day, the amount (None: the month's due)."""

    month: date
    amount: int | None = None


def basis_on(member_id: int, month: date) -> DuesBasis | None:
    """The member's category and basis in force in `month`."""
    return DuesBasis.objects.filter(member_id=member_id, valid_from__lte=month).order_by(
        "-valid_from").first()


def _check_month(member: Member, spans: MemberSpans, month: date, taken: set) -> None:
    text = rules.month_text(month)
    if month in taken:
        raise RuleViolation(_("Đảng viên %(member)s đã nộp đảng phí tháng %(month)s.") % {
            "member": member.full_name, "month": text}, code="duplicate", field="month")
    if not spans.active_between(member.pk, month, rules.last_day(month)):
        raise RuleViolation(_("Đảng viên %(member)s không sinh hoạt ngày nào trong tháng "
                              "%(month)s.") % {"member": member.full_name, "month": text},
                            field="month")


@transaction.atomic
def record_payments(member: Member, months: list[MonthPaid], *, paid_on: date, actor,
                    channel: str = Channel.CASH, exception: Decision | None = None,
                    note: str = "") -> list[Payment]:
    """Record the months `member` paid on `paid_on`; paid in cash at the cell, with a receipt
    numbered in the cell's year."""
    member = Member.objects.select_for_update().select_related("cell").get(pk=member.pk)
    require(actor, RECORD_DUES, member.cell)
    if not months:
        raise RuleViolation(_("Chọn ít nhất một tháng."), field="month")
    if paid_on > timezone.localdate():
        raise RuleViolation(_("Ngày nộp %(day)s sau hôm nay.") % {
            "day": paid_on.strftime("%d/%m/%Y")}, field="paid_on")
    if channel not in Channel.values:
        raise RuleViolation(_("Hình thức nộp không hợp lệ."), field="channel")
    spans = MemberSpans([member.pk])
    taken = set(Payment.objects.filter(member=member).values_list("month", flat=True))
    rates, rows, breaches = load_rates(), [], []
    for item in months:
        month = rules.first_day(item.month)
        _check_month(member, spans, month, taken)
        taken.add(month)
        basis = basis_on(member.pk, month)
        category = basis.category if basis else ""
        amount = basis_amount = None
        if basis is not None:
            basis_amount = basis.basis_amount
        amount = item.amount if item.amount is not None else rates.due(category, basis_amount,
                                                                       month)
        if not amount or amount <= 0:
            raise RuleViolation(_("Nhập số tiền của tháng %(month)s (chưa biết mức đóng của "
                                  "đảng viên).") % {"month": rules.month_text(month)},
                                field="amount")
        if problem := rules.amount_problem(rates, category=category, basis=basis_amount,
                                           month=month, amount=amount):
            breaches.append(_amount_finding(member, month, paid_on, problem))
        rows.append(Payment(member=member, month=month, amount=amount, paid_on=paid_on,
                            category=category, basis_amount=basis_amount, channel=channel,
                            note=(note or "").strip()))
    breaches = open_findings(breaches)
    if breaches and exception is None:
        raise RuleViolation(
            _("%(detail)s. %(rule)s (%(source)s) Ghi số văn bản cho phép ngoại lệ để lưu.") % {
                "detail": breaches[0].detail, "rule": breaches[0].rule,
                "source": breaches[0].source}, code="finding", field="amount")
    receipt = None
    if channel == Channel.CASH:
        receipt = _receipt(member, paid_on, sum(row.amount for row in rows), actor)
    for row in rows:
        row.receipt = receipt
        row.save()
    for breach in breaches:
        record_exception(breach.key, breach.file, breach.record, decision=exception,
                         org=member.cell, actor=actor)
    sheets.refresh(member.pk, {row.month.year for row in rows})
    record_change("dues.record", actor=actor, obj=member, org=member.cell, after={
        "member": member.member_code, "paid_on": paid_on, "channel": channel,
        "receipt": receipt.label if receipt else None,
        "months": {rules.month_text(row.month): row.amount for row in rows}})
    return rows


def _amount_finding(member: Member, month: date, paid_on: date, detail: str) -> RecordFinding:
    return RecordFinding(key=rules.AMOUNT, file=rules.FILE,
                         record=f"{member.member_code}|{rules.month_text(month)}",
                         org_code=member.cell.code, org_name=member.cell.name,
                         subject=f"{member.member_code} {member.full_name}", detail=detail,
                         rule=str(rules.WORDS[rules.AMOUNT]),
                         source=str(rules.SOURCES[rules.AMOUNT]), day=paid_on)


def _receipt(member: Member, paid_on: date, total: int, actor) -> Receipt:
    last = Receipt.objects.select_for_update().filter(cell=member.cell, year=paid_on.year
                                                      ).aggregate(last=Max("number"))["last"]
    return Receipt.objects.create(cell=member.cell, year=paid_on.year, number=(last or 0) + 1,
                                  member=member, issued_on=paid_on, total=total,
                                  issued_by=actor if getattr(actor, "pk", None) else None)


@transaction.atomic
def set_basis(member: Member, *, valid_from: date, category: str, basis_amount: int | None,
              actor) -> DuesBasis:
    """The member's category and basis from the month of `valid_from` on."""
    member = Member.objects.select_related("cell").get(pk=member.pk)
    require(actor, RECORD_DUES, member.cell)
    if category not in Category.values:
        raise RuleViolation(_("Đối tượng không hợp lệ: %(value)s.") % {"value": category},
                            field="category")
    if basis_amount is not None and basis_amount < 0:
        raise RuleViolation(_("Căn cứ tính không âm."), field="basis_amount")
    month = rules.first_day(valid_from)
    basis, _created = DuesBasis.objects.update_or_create(
        member=member, valid_from=month,
        defaults={"category": category, "basis_amount": basis_amount})
    record_change("dues.basis", actor=actor, obj=member, org=member.cell, after={
        "member": member.member_code, "from": rules.month_text(month), "category": category,
        "basis_amount": basis_amount})
    return basis
