"""Cell meetings: the meeting as scheduled and as closed, attendance, guests, tasks, documents.

A `Meeting` belongs to a cell (`cell` or `grassroots_cell`) and is scheduled first (date, place or
online link, topic, agenda), then closed in one step (`services.close_meeting`): attendance of
every member of the cell on that day, duration, minutes, conclusion, tasks and the quality
self-assessment of RULES.md §5, whose outcome is stored with the meeting for fast lists.
"""

from datetime import datetime, time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.accounts.querysets import RestrictedQuerySet
from chibo.core.fields import BinaryCharField
from chibo.meetings.choices import AttendanceStatus, GuestRole, MeetingKind, MeetingStatus
from chibo.members.models import Member
from chibo.organizations.models import Organization


class Meeting(models.Model):
    code = BinaryCharField(_("mã buổi sinh hoạt"), max_length=100, unique=True)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                     related_name="meetings", verbose_name=_("chi bộ"))
    kind = models.CharField(_("loại sinh hoạt"), max_length=16, choices=MeetingKind.choices)
    combined_thematic = models.BooleanField(
        _("kết hợp sinh hoạt chuyên đề"), default=False,
        help_text=_("Buổi thường kỳ có lồng ghép sinh hoạt chuyên đề (ít nhất 120 phút)."))
    is_model = models.BooleanField(_("sinh hoạt chi bộ mẫu"), default=False)
    date = models.DateField(_("ngày sinh hoạt"))
    start_time = models.TimeField(_("giờ bắt đầu"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    online_link = models.URLField(_("đường dẫn họp trực tuyến"), max_length=500, blank=True)
    topic = models.CharField(_("chủ đề"), max_length=255)
    agenda = models.TextField(_("chương trình sinh hoạt"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED)
    # Preparation (quality criteria), recorded when the meeting is closed.
    agenda_prepared = models.BooleanField(_("bí thư chuẩn bị chương trình"), default=False)
    committee_prepared = models.BooleanField(_("chi ủy họp chuẩn bị trước"), default=False)
    draft_resolution = models.BooleanField(_("có dự thảo nghị quyết"), default=False)
    # The closing.
    duration_minutes = models.PositiveSmallIntegerField(_("thời lượng (phút)"), null=True,
                                                        blank=True)
    minutes = models.TextField(_("biên bản"), blank=True)
    minutes_complete = models.BooleanField(_("sổ biên bản ghi đầy đủ"), default=False)
    conclusion = models.TextField(_("kết luận, nghị quyết của chi bộ"), blank=True)
    # Derived at closing, for fast lists: members counted (exempt excluded), members attending.
    counted = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(default=0)
    # Derived from the guests (`VISIT`), kept by the services that add or mark them and by the
    # bundle import (`store_visits`): the statistics add them up with the meetings.
    visits = models.PositiveIntegerField(default=0)
    quality_passed = models.BooleanField(_("đạt chất lượng"), null=True)
    quality_failures = models.JSONField(default=list, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "organization__path"
    view_capability = "org.view"

    class Meta:
        db_table = "meeting"
        verbose_name = _("buổi sinh hoạt chi bộ")
        ordering = ["-date", "-id"]
        indexes = [
            # A cell's meetings by day, with all that the meeting keys count of them (a covering
            # index): the statistics of a subtree read index entries, never the wide rows (agenda,
            # minutes, conclusion), and PostgreSQL too scans the index alone (`id` for the
            # guests' join; SQLite keeps the row id in every index anyway).
            models.Index(fields=["organization", "date", "status", "kind", "combined_thematic",
                                 "is_model", "quality_passed", "counted", "attended", "visits",
                                 "id"], name="meeting_org_date_stats"),
            models.Index(fields=["date", "kind"], name="meeting_date_kind"),
            # The meetings below the quality bar (a few in a hundred), by day: the findings of a
            # province's year read these instead of every closed meeting of the year.
            models.Index(fields=["date"], name="meeting_below_quality",
                         condition=models.Q(status=MeetingStatus.CLOSED, quality_passed=False)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y} · {self.topic}"

    @property
    def path(self) -> str:
        return self.organization.path

    @property
    def is_closed(self) -> bool:
        return self.status == MeetingStatus.CLOSED

    @property
    def starts_at(self) -> datetime:
        """When the meeting begins (the start of its day when no time is set), local time."""
        return timezone.make_aware(datetime.combine(self.date, self.start_time or time(0)))

    @property
    def has_started(self) -> bool:
        """Whether it has begun by now (the project's clock): only then can it be closed."""
        return timezone.now() >= self.starts_at

    @property
    def counts_as_thematic(self) -> bool:
        return self.kind == MeetingKind.THEMATIC or (
            self.kind == MeetingKind.REGULAR and self.combined_thematic)

    @property
    def attendance_rate(self) -> float | None:
        return 100 * self.attended / self.counted if self.counted else None


class Attendance(models.Model):
    """One member at one meeting. A member's own advance notice of absence is a row with status
    `excused` and `reported_at` set before the meeting; the closing completes the list."""

    # No index of their own: the unique (meeting, member) and the (member, status) index lead
    # with them, and a million rows a year insert faster with two indexes fewer.
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance",
                                db_index=False)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendance",
                               db_index=False)
    status = models.CharField(_("tình trạng"), max_length=16, choices=AttendanceStatus.choices)
    reason = models.CharField(_("lý do vắng"), max_length=255, blank=True)
    spoke = models.BooleanField(_("phát biểu"), default=False)
    reported_at = models.DateTimeField(_("báo vắng lúc"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "meeting__organization__path"
    view_capability = "member.view"

    class Meta:
        db_table = "meeting_attendance"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"],
                                               name="attendance_once")]
        indexes = [
            models.Index(fields=["member", "status"], name="attendance_member"),
            # The removal check (checks.unexcused_months) reads only unexcused rows; partial, so
            # it stays small (unexcused absences are rare) and costs present rows nothing to
            # insert. PostgreSQL, 48,000 rows, 1 % unexcused: 16 ms -> 3 ms.
            models.Index(fields=["meeting"], name="attendance_unexcused",
                         condition=models.Q(status="unexcused")),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"


# A visit ("lượt dự sinh hoạt", docs/metrics-meetings.md): a higher-level official who attended.
VISIT = models.Q(role=GuestRole.HIGHER_LEVEL, attended=True)


class MeetingGuest(models.Model):
    """Someone from outside the cell: a higher-level official attending (a visit, "lượt dự
    sinh hoạt") or a secretary of another cell invited to a model meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    role = models.CharField(_("tư cách"), max_length=20, choices=GuestRole.choices)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    title = models.CharField(_("chức vụ"), max_length=255, blank=True)
    org = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+", verbose_name=_("đơn vị"))
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    attended = models.BooleanField(_("có mặt"), default=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "meeting__organization__path"
    view_capability = "org.view"

    class Meta:
        db_table = "meeting_guest"
        ordering = ["meeting_id", "id"]

    def __str__(self) -> str:
        return self.full_name


class MeetingTask(models.Model):
    """A task the cell assigned to a member at a meeting, with its deadline."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tasks")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="meeting_tasks")
    description = models.CharField(_("nhiệm vụ"), max_length=500)
    due_on = models.DateField(_("thời hạn"))
    done_on = models.DateField(_("hoàn thành ngày"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "meeting__organization__path"
    view_capability = "org.view"

    class Meta:
        db_table = "meeting_task"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description


def attachment_path(instance, filename: str) -> str:
    # The stored name never comes from the user: only the checked extension is kept.
    from uuid import uuid4

    suffix = filename.rsplit(".", 1)[-1].lower()
    return f"meetings/{instance.meeting_id}/{uuid4().hex}.{suffix}"


class MeetingAttachment(models.Model):
    """A document for a meeting, stored under the data directory and served by a view that
    checks scope. Members see it once `published_at` has passed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    published_at = models.DateTimeField(_("công bố cho đảng viên lúc"), null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "meeting__organization__path"
    view_capability = "org.view"

    class Meta:
        db_table = "meeting_attachment"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

