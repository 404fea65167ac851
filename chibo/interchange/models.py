"""Bundle imports: one row per check (dry run) or import, from the upload to its result.

An upload on the import page is first checked, then — once its person confirms a check that
passed — imported; both run as background tasks (chibo.interchange.tasks) and have a row each:
who asked, the phase and the rows done so far, then what was (or would be) added or every
error. The import's row points at the check it was confirmed from. An import from the command
line (or the demo) gets its row when it succeeds. The audit event `bundle.import` of a
successful import points at its row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("chờ chạy")
    RUNNING = "running", _("đang nhập")
    DONE = "done", _("đã nhập")
    FAILED = "failed", _("có lỗi, không ghi gì")


class ImportPhase(models.TextChoices):
    """The steps of an import, in order (chibo.interchange.importer)."""

    READ = "read", _("đọc tệp")
    TREE = "tree", _("tổ chức, thôn và sắp xếp")
    MEMBERS = "members", _("kiểm tra đảng viên và sự kiện")
    WRITE = "write", _("ghi đảng viên")
    POSITIONS = "positions", _("chức vụ")
    FINISH = "finish", _("hoàn tất")


# What a check (dry run) is called in each status where it differs from an import.
CHECK_STATUS_LABELS = {
    ImportStatus.RUNNING: _("đang kiểm tra"),
    ImportStatus.DONE: _("kiểm tra xong, không có lỗi"),
}


class ImportRun(models.Model):
    """A bundle check or import: queued, running (phase, rows done of the total), then done or
    failed."""

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    source = models.CharField(_("gói dữ liệu"), max_length=255)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(_("người nhập"), max_length=150)
    status = models.CharField(_("trạng thái"), max_length=16, choices=ImportStatus.choices,
                              default=ImportStatus.DONE)
    phase = models.CharField(_("bước"), max_length=16, choices=ImportPhase.choices, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(_("số dòng đã thêm"), default=dict)
    errors = models.JSONField(_("lỗi"), default=list)  # the first IMPORT_ERROR_LIMIT lines
    more_errors = models.PositiveIntegerField(_("số lỗi không liệt kê"), default=0)
    # The uploaded file, held by one run at a time: the check until it fails or is confirmed
    # (then by its import), the import until it ends.
    upload = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=8, default="vi")  # of the error messages
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A check (chạy thử): every step of the import, then nothing kept.
    dry_run = models.BooleanField(_("chạy thử"), default=False)
    # For an import: the check it was confirmed from. One import per check, by the database.
    check_run = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="import_run")

    class Meta:
        db_table = "import_run"
        ordering = ["-at"]
        verbose_name = _("lần nhập gói dữ liệu")
        constraints = [
            # One run per upload, whoever confirms at the same moment (views.confirm).
            models.UniqueConstraint(fields=["upload"], condition=~Q(upload=""),
                                    name="import_run_one_per_upload"),
        ]

    def __str__(self) -> str:
        return self.source

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.more_errors

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def status_label(self) -> str:
        if self.dry_run and self.status in CHECK_STATUS_LABELS:
            return CHECK_STATUS_LABELS[self.status]
        return self.get_status_display()

    @property
    def confirmed_import(self) -> "ImportRun | None":
        """For a check: the import confirmed from it, if any."""
        return ImportRun.objects.filter(check_run=self).first() if self.dry_run else None

    def visible_to(self, user) -> bool:
        """A run's page and errors are for the person who started it and for administrators."""
        return bool(user.is_superuser or (self.actor_id and self.actor_id == user.pk))
