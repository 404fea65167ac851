"""Read helpers for meetings: who is expected at a meeting, and what a member's handbook shows."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from chibo.meetings.choices import MeetingStatus
from chibo.meetings.models import Meeting, MeetingAttachment, MeetingTask
from chibo.members.models import Member, MemberPeriod


@dataclass(frozen=True)
class Expected:
    member: Member
    exempt: bool


def expected_members(meeting: Meeting) -> list[Expected]:
    """The members of the meeting's cell on the meeting day (exempt ones flagged), in name
    order: the list the secretary takes attendance on."""
    periods = (MemberPeriod.objects
               .filter(org=meeting.organization_id, valid_from__lte=meeting.date,
                       valid_to__gt=meeting.date)
               .select_related("member").order_by("member__sort_key"))
    return [Expected(period.member, period.exempt) for period in periods]


def member_cell_on(member: Member, day: date):
    """The id of the cell the member was active in on `day` (None when not active)."""
    return (MemberPeriod.objects.filter(member=member, valid_from__lte=day, valid_to__gt=day)
            .values_list("org_id", flat=True).first())


def upcoming_meetings(member: Member, today: date | None = None):
    """Scheduled meetings of the member's cell from today on, soonest first."""
    today = today or timezone.localdate()
    return (Meeting.objects.filter(organization=member.cell_id, status=MeetingStatus.SCHEDULED,
                                   date__gte=today)
            .select_related("organization").order_by("date", "start_time", "id"))


def past_conclusions(member: Member, limit: int = 12):
    """The closed meetings of the member's cell with their conclusions, latest first."""
    return (Meeting.objects.filter(organization=member.cell_id, status=MeetingStatus.CLOSED)
            .select_related("organization").order_by("-date", "-id")[:limit])


def tasks_of(member: Member, *, open_only: bool = False):
    """Tasks the cell assigned to the member, earliest deadline first."""
    tasks = MeetingTask.objects.filter(member=member).select_related("meeting")
    if open_only:
        tasks = tasks.filter(done_on__isnull=True)
    return tasks.order_by("due_on", "id")


def published_attachments(meeting: Meeting, now=None):
    """The documents members may read: published, and published already."""
    now = now or timezone.now()
    return MeetingAttachment.objects.filter(meeting=meeting, published_at__isnull=False,
                                            published_at__lte=now)


def meetings_of(org, user, capability="org.view"):
    """Meetings of `org`'s subtree that `user` may see, latest first."""
    from chibo.core.fields import subtree_range

    low, high = subtree_range(org.path)
    return (Meeting.objects.visible_to(user, capability)
            .filter(organization__path__gte=low, organization__path__lt=high)
            .select_related("organization"))
