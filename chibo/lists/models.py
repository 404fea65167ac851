"""Background exports of large lists: one row per export, from the request to the file.

A list's export of up to `ListSpec.export_at_once` rows is written in the request; a larger one
becomes an `ExportRun`, queued for the worker (chibo.lists.tasks.run_export), as a bundle import
is (chibo.interchange): the run keeps what to make again (the list's key, the URL's arguments
and the query string of the filters), who asked and in which language, the rows written so far
out of the total, then the file or the error.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("chờ chạy")
    RUNNING = "running", _("đang xuất")
    DONE = "done", _("đã xong")
    FAILED = "failed", _("không xuất được")


class ExportRun(models.Model):
    """A list export running in the background: queued, running (rows done of the total),
    then done (its file) or failed (why)."""

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    list_key = models.CharField(max_length=100)
    arguments = models.JSONField(default=dict)  # the URL's (the organization's code)
    query = models.TextField(blank=True)  # the filters, as the page's query string
    title = models.CharField(_("danh sách"), max_length=255)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    language = models.CharField(max_length=8, default="vi")
    status = models.CharField(_("trạng thái"), max_length=16, choices=ExportStatus.choices,
                              default=ExportStatus.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    file = models.CharField(max_length=64, blank=True)  # under the data dir's exports/
    filename = models.CharField(max_length=150, blank=True)  # as the download is named
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "list_export_run"
        ordering = ["-at"]
        verbose_name = _("lần xuất danh sách")

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    def visible_to(self, user) -> bool:
        """An export is for the person who asked for it (and the administrators)."""
        return bool(user.is_superuser or self.actor_id == user.pk)
