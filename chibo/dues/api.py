"""API of the dues (`/api/v1/dues`): a cell's collection sheet of a month, and recording the
months a member pays.

Reading needs `dues.view` on the cell (an officer who sees the cell without it gets 403, one
outside it 404, the anonymous visitor 401); recording needs `dues.record` on the member's cell
(the cell's treasurer, the committees' offices). What the history forbids is a 422 naming the
field; a payment that is not the month's rate is refused (422, code `finding`) unless the body
gives the `exception` that allowed it.
"""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from chibo.accounts.policy import require
from chibo.core.exceptions import RuleViolation
from chibo.core.validation import api_code, api_date
from chibo.dues import queries, rules, services
from chibo.dues.capabilities import RECORD_DUES, VIEW_DUES
from chibo.dues.choices import Channel
from chibo.findings.schemas import ExceptionIn, decision_of
from chibo.members.models import Member
from chibo.members.queries import in_reach
from chibo.organizations.models import Organization

router = Router(tags=["dues"])

Code = api_code(64)
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class SheetFilters(Schema):
    org: Code = Field(description="the cell")
    month: str = Field(pattern=MONTH, description="YYYY-MM")


class SheetRowOut(Schema):
    member_code: str
    full_name: str
    category: str
    basis_amount: int | None
    due: int | None = Field(description="the month's due (empty: not known)")
    paid: bool
    amount: int | None
    paid_on: date | None
    receipt: str | None
    unpaid_this_year: int


class MonthIn(Schema):
    month: str = Field(pattern=MONTH, description="YYYY-MM")
    amount: int | None = Field(None, ge=1, le=10**10,
                               description="empty: the month's due for the member's category "
                                           "and basis")


class PaymentsIn(Schema):
    member_code: Code
    months: list[MonthIn] = Field(min_length=1, max_length=24)
    paid_on: api_date()
    channel: Channel = Channel.CASH
    exception: ExceptionIn | None = None


class PaymentOut(Schema):
    member_code: str
    month: str
    amount: int
    paid_on: date
    category: str
    basis_amount: int | None
    channel: str
    receipt: str | None


def _month(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)


@router.get("/sheet", response=list[SheetRowOut])
def get_dues_sheet(request, filters: Query[SheetFilters]):
    """The cell's members in the month: the due, the payment, the months of the year unpaid."""
    org = get_object_or_404(Organization.objects.visible_to(request.user), code=filters.org)
    require(request.user, VIEW_DUES, org)
    return [{"member_code": row.member.member_code, "full_name": row.member.full_name,
             "category": row.category, "basis_amount": row.basis_amount, "due": row.due,
             "paid": row.paid, "amount": row.payment.amount if row.payment else None,
             "paid_on": row.payment.paid_on if row.payment else None,
             "receipt": row.payment.receipt.label if row.payment and row.payment.receipt_id
             else None, "unpaid_this_year": row.unpaid_this_year}
            for row in queries.sheet(org, _month(filters.month))]


@router.post("/payments", response={201: list[PaymentOut]})
def record_dues(request, payload: PaymentsIn):
    """Record the months a member paid on `paid_on` (in cash: with a receipt)."""
    member: Member = in_reach(request.user, Member, payload.member_code, "member_code")
    require(request.user, RECORD_DUES, member.cell)
    if payload.channel == Channel.BUNDLE:
        raise RuleViolation(_("Hình thức nộp không hợp lệ."), field="channel")
    rows = services.record_payments(
        member, [services.MonthPaid(_month(item.month), item.amount) for item in payload.months],
        paid_on=payload.paid_on, channel=payload.channel, actor=request.user,
        exception=decision_of(payload.exception))
    return Status(201, [{"member_code": member.member_code,
                         "month": rules.month_text(row.month), "amount": row.amount,
                         "paid_on": row.paid_on, "category": row.category,
                         "basis_amount": row.basis_amount, "channel": row.channel,
                         "receipt": row.receipt.label if row.receipt else None}
                        for row in rows])
