"""The meetings' key numbers on the officers' home page (registered in apps.py)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from chibo.accounts.policy import Capability
from chibo.core.registry import Figure, FigureValue
from chibo.meetings.choices import MeetingStatus
from chibo.meetings.queries import meetings_of
from chibo.organizations.choices import MEMBER_HOLDING_KINDS
from chibo.stats.figures import last_month, metric_figure


def overdue(request, org) -> FigureValue:
    """Meetings whose day has passed and that nobody closed: their minutes and attendance
    are still to be recorded."""
    count = meetings_of(org, request.user).filter(status=MeetingStatus.SCHEDULED,
                                                  date__lt=timezone.localdate()).count()
    return FigureValue(count, reverse("meetings:list", args=[org.code]) + "?view=past&status="
                       + MeetingStatus.SCHEDULED)


def next_meeting(request, org) -> FigureValue | None:
    """A cell's next meeting (None above a cell: a province has hundreds)."""
    if org.kind not in MEMBER_HOLDING_KINDS:
        return None
    meeting = (meetings_of(org, request.user).filter(status=MeetingStatus.SCHEDULED,
                                                     date__gte=timezone.localdate())
               .order_by("date", "start_time").first())
    if meeting is None:
        return FigureValue("—", reverse("meetings:list", args=[org.code]),
                           _("chưa lên lịch"))
    return FigureValue(date_format(meeting.date, "SHORT_DATE_FORMAT"),
                       reverse("meetings:detail", args=[meeting.code]), meeting.topic)


FIGURES = (
    Figure("meetings.overdue", _("Buổi sinh hoạt đã qua chưa ghi kết quả"), overdue,
           Capability.VIEW_ORGS, order=10, urgent=True),
    Figure("meetings.next", _("Buổi sinh hoạt tới"), next_meeting, Capability.VIEW_ORGS,
           order=25),
    metric_figure("meetings.held", "meetings.held", _("Buổi sinh hoạt đã họp tháng trước"),
                  window=last_month, order=30),
)
