"""What the handbook reads for a member: their file, their documents, their notifications; and
for a cell's officers, where the year's self-reviews stand and how many members recognized each
manifestation (never who)."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.documents.models import Document
from chibo.handbook import catalogue
from chibo.handbook.models import NotificationMark, ReviewStatus, SelfReview
from chibo.meetings import queries as meeting_queries
from chibo.meetings.choices import MeetingStatus
from chibo.meetings.models import Meeting, MeetingAttachment
from chibo.members import queries as members_queries
from chibo.members.models import Member, MemberPeriod

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


# The cell's self-reviews --------------------------------------------------------------------

# Counts of the manifestations are shown only where at least this many members of the cell have
# submitted their review: in a smaller group a count could point at a person.
FEWEST_ANSWERS = 5


class ReviewProgress(models.TextChoices):
    """Where a member's self-review of a year stands."""

    NOT_STARTED = "not_started", _("Chưa viết")
    DRAFT = ReviewStatus.DRAFT.value, _("Đang viết (bản nháp)")
    SUBMITTED = ReviewStatus.SUBMITTED.value, _("Đã nộp")


@dataclass(frozen=True)
class ReviewState:
    progress: str  # ReviewProgress
    at: datetime | None = None  # submitted at (submitted), last saved (draft)


NOT_STARTED = ReviewState(ReviewProgress.NOT_STARTED)


def _member_ids(members) -> tuple[list[int], object]:
    """The ids of `members` (Members, ids, or a queryset of members), and what a query may
    filter `member_id__in` by (a subquery for a queryset)."""
    if isinstance(members, QuerySet):
        return list(members.values_list("pk", flat=True)), members.values("pk")
    ids = [getattr(m, "pk", m) for m in members]
    return ids, ids


def review_states(members: Iterable, year: int) -> dict[int, ReviewState]:
    """member id → where their self-review of `year` stands, with its date; one query. The
    caller passes members the user may see."""
    ids, among = _member_ids(members)
    found = {
        member_id: ReviewState(status, submitted if status == ReviewStatus.SUBMITTED else saved)
        for member_id, status, saved, submitted in SelfReview.objects.filter(
            member_id__in=among, year=year).values_list(
            "member_id", "status", "updated_at", "submitted_at")}
    return {member_id: found.get(member_id, NOT_STARTED) for member_id in ids}


def review_status(members: Iterable, year: int) -> dict[int, str]:
    """member id → ReviewProgress of their self-review of `year` (not started, draft,
    submitted): for the ratings, which need who has submitted."""
    return {member_id: state.progress for member_id, state in review_states(members, year).items()}


def review_day(year: int, today: date | None = None) -> date:
    """The day whose members are expected to review `year`: today during the year, its last
    day once it is over."""
    today = today or timezone.localdate()
    return min(today, date(year, 12, 31))


@dataclass(frozen=True)
class Reviewer:
    member: Member
    exempt: bool  # exempt from party work and meetings on the day: not expected to review


def expected_reviewers(cell, day: date) -> list[Reviewer]:
    """The members active in `cell` on `day` (exempt ones flagged), in Vietnamese name order."""
    periods = (MemberPeriod.objects
               .filter(org=cell, valid_from__lte=day, valid_to__gt=day)
               .select_related("member").order_by("member__sort_key", "member_id"))
    return [Reviewer(period.member, period.exempt) for period in periods]


@dataclass
class SummaryLine:
    code: str
    text: str
    count: int | None  # None: hidden (fewer than FEWEST_ANSWERS submitted reviews)
    signs: list["SummaryLine"] = field(default_factory=list)


@dataclass
class Summary:
    submitted: int
    hidden: bool
    groups: list[tuple[catalogue.Group, list[SummaryLine]]]


def manifestation_summary(member_ids: Iterable[int], year: int) -> Summary:
    """How many of these members' submitted reviews of `year` mark each manifestation (or one
    of its signs) and each sign; every count hidden when fewer than FEWEST_ANSWERS submitted.
    Who marked what is never returned. A cell's reviews are read at once (tens of rows)."""
    marks = SelfReview.objects.filter(member_id__in=list(member_ids), year=year,
                                      status=ReviewStatus.SUBMITTED).values_list(
        "manifestations", "signs")
    counts: Counter[str] = Counter()
    submitted = 0
    for manifestations, signs in marks:
        submitted += 1
        counts.update(set(manifestations) | set(signs))
    hidden = submitted < FEWEST_ANSWERS

    def shown(code: str) -> int | None:
        return None if hidden else counts[code]

    groups = [(group, [SummaryLine(item.code, item.text, shown(item.code),
                                   [SummaryLine(sign.code, sign.text, shown(sign.code))
                                    for sign in item.signs])
                       for item in group.items])
              for group in catalogue.catalogue().groups]
    return Summary(submitted, hidden, groups)
