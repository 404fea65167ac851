"""Bundle imports: one row per import, from the upload's confirmation to its result.

An import confirmed on the import page runs as a background task (chibo.interchange.tasks);
its row records who asked, the phase and the rows done so far, then what was added or every
error. An import from the command line (or the demo) gets its row when it succeeds. The audit
event `bundle.import` of a successful import points at its row.
"""

from django.conf import settings
from django.db import models
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


class ImportRun(models.Model):
    """A bundle import: queued, running (phase, rows done of the total), then done or failed."""

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
    errors = models.JSONField(_("lỗi"), default=list)
    upload = models.CharField(max_length=64, blank=True)  # the uploaded file, while queued
    language = models.CharField(max_length=8, default="vi")  # of the error messages
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "import_run"
        ordering = ["-at"]
        verbose_name = _("lần nhập gói dữ liệu")

    def __str__(self) -> str:
        return self.source

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    def visible_to(self, user) -> bool:
        """A run's page and errors are for the person who started it and for administrators."""
        return bool(user.is_superuser or (self.actor_id and self.actor_id == user.pk))
