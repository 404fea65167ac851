"""What the dues show outside their own pages (registered in apps.py): the member's own card in
the handbook — this year's months, paid or not, and a warning from three unpaid months."""

from django.utils import timezone

from chibo.dues import queries, rules
from chibo.dues.models import Payment


def handbook_card(request) -> dict | None:
    """Nothing where chibo keeps no dues yet (no payment recorded anywhere): every month would
    read as unpaid."""
    if not Payment.objects.exists():
        return None
    member = request.member
    today = timezone.localdate()
    months = queries.member_year(member, today.year, today)
    if not any(month.owed or month.payment for month in months):
        return None
    unpaid = rules.unpaid([m.month for m in months if m.owed],
                          {m.month: m.payment.paid_on for m in months if m.payment}, today)
    return {"year": today.year, "months": months, "unpaid": unpaid,
            "behind": len(unpaid) >= rules.UNPAID_MONTHS,
            "total": sum(m.payment.amount for m in months if m.payment)}
