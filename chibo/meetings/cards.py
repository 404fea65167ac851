"""What meetings shows on the home pages (registered in apps.py): the officers' card (this
month's meetings in the user's scope, links to the lists and the findings of their home
organization) and the handbook's (the member's next meetings and open tasks)."""

from datetime import date

from django.db.models import Count
from django.utils import timezone

from chibo.accounts.policy import Capability, can
from chibo.meetings import queries
from chibo.meetings.choices import MeetingStatus
from chibo.meetings.models import Meeting

UPCOMING_SHOWN = 2
TASKS_SHOWN = 3


def home_card(request) -> dict | None:
    """This month's meetings in the user's scope, held and still scheduled (one grouped
    query); None for a user with no home organization (nothing to link to)."""
    user = request.user
    home = user.home_organization()
    if home is None:
        return None
    first = timezone.localdate().replace(day=1)
    by_status = dict(Meeting.objects.visible_to(user)
                     .filter(date__gte=first, date__lt=_next_month(first))
                     .values_list("status").annotate(n=Count("id")).values_list("status", "n")
                     .order_by())
    return {"org": home, "month": first,
            "closed": by_status.get(MeetingStatus.CLOSED, 0),
            "scheduled": by_status.get(MeetingStatus.SCHEDULED, 0),
            "can_check": can(user, Capability.VIEW_STATS, home)}


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def handbook_card(request) -> dict:
    """The member's next meetings and the tasks still open (the handbook's home)."""
    member = request.member
    return {"upcoming": list(queries.upcoming_meetings(member)[:UPCOMING_SHOWN]),
            "open_tasks": list(queries.tasks_of(member, open_only=True)[:TASKS_SHOWN])}
