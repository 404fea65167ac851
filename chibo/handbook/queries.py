"""What the handbook reads for a member: their file, their documents, their notifications."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.documents.models import Document
from chibo.handbook.models import NotificationMark
from chibo.meetings import queries as meeting_queries
from chibo.meetings.choices import MeetingStatus
from chibo.meetings.models import Meeting, MeetingAttachment
from chibo.members import queries as members_queries
from chibo.members.models import Member

NOTICE_WINDOW = timedelta(days=30)  # older news is no longer news
TASK_WARNING = timedelta(days=7)  # a task becomes news this long before its deadline


member_of = members_queries.member_of  # the one answer to "which member is this login"


def library(member: Member):
    """Documents addressed to the member's cell or above, not withdrawn, newest first."""
    return Document.objects.current().addressed_to(member)


@dataclass(frozen=True)
class Notice:
    kind: str  # "meeting", "document", "task"
    at: datetime  # when it became news
    title: str
    detail: str
    url: str
    is_new: bool = False


def seen_at(user) -> datetime | None:
    mark = NotificationMark.objects.filter(user=user).values_list("seen_at", flat=True).first()
    return mark


def document_notices(member: Member, since: datetime) -> list[Notice]:
    rows = library(member).filter(published_at__gte=since).values_list(
        "pk", "number", "title", "published_at")[:20]
    return [Notice("document", published, _("Tài liệu mới"), f"{number} {title}".strip(),
                   reverse("handbook:document", args=[pk]))
            for pk, number, title, published in rows]


def notices(member: Member, user, now: datetime | None = None) -> list[Notice]:
    """Every current notice for the member, newest first, "new" when after the last look."""
    now = now or timezone.now()
    last = seen_at(user)
    found = []
    for source in NOTICE_SOURCES:
        found.extend(source(member, now - NOTICE_WINDOW, now))
    marked = [Notice(**{**n.__dict__, "is_new": last is None or n.at > last}) for n in found]
    return sorted(marked, key=lambda n: n.at, reverse=True)


def unread_count(member: Member, user) -> int:
    return sum(1 for notice in notices(member, user) if notice.is_new)


def cell_meetings(member: Member):
    """Meetings of the member's current cell (the handbook shows no other cell's)."""
    return Meeting.objects.filter(organization=member.cell_id)


def meeting_notices(member: Member, since: datetime, now: datetime) -> list[Notice]:
    """Meetings scheduled lately that are still ahead, and documents published for them."""
    today = timezone.localdate(now)
    upcoming = cell_meetings(member).filter(status=MeetingStatus.SCHEDULED, date__gte=today)
    found = [Notice("meeting", m.created_at, _("Lịch sinh hoạt mới"),
                    f"{m.date:%d/%m/%Y} · {m.topic}", reverse("handbook:meeting", args=[m.pk]))
             for m in upcoming.filter(created_at__gte=since)[:10]]
    attachments = (MeetingAttachment.objects.filter(
        meeting__in=upcoming, published_at__gte=since, published_at__lte=now)
        .select_related("meeting")[:10])
    found += [Notice("document", a.published_at, _("Tài liệu cho buổi sinh hoạt"),
                     f"{a.original_name} · {a.meeting.date:%d/%m/%Y}",
                     reverse("handbook:meeting", args=[a.meeting_id])) for a in attachments]
    return found


def task_notices(member: Member, since: datetime, now: datetime) -> list[Notice]:
    """Open tasks due within a week, or overdue: news from a week before the deadline."""
    today = timezone.localdate(now)
    tasks = meeting_queries.tasks_of(member, open_only=True).filter(
        due_on__lte=today + TASK_WARNING)
    found = []
    for task in tasks[:20]:
        became_news = timezone.make_aware(datetime.combine(task.due_on - TASK_WARNING, time()))
        title = _("Nhiệm vụ quá hạn") if task.due_on < today else _("Nhiệm vụ sắp đến hạn")
        found.append(Notice("task", became_news, title,
                            f"{task.description} · {task.due_on:%d/%m/%Y}",
                            reverse("handbook:meetings") + "#tasks"))
    return found


NOTICE_SOURCES = [lambda member, since, now: document_notices(member, since),
                  meeting_notices, task_notices]
