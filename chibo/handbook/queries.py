"""What the handbook reads for a member: their file, their documents, their notifications."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.documents.models import Document
from chibo.handbook.models import NotificationMark
from chibo.members.models import Member

NOTICE_WINDOW = timedelta(days=30)  # older news is no longer news


def member_of(user) -> Member | None:
    """The member file linked to the signed-in login (Member.user), with its cell."""
    if not user.is_authenticated:
        return None
    return Member.objects.select_related("cell").filter(user=user).first()


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


NOTICE_SOURCES = [lambda member, since, now: document_notices(member, since)]
