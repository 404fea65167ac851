"""One row per successful bundle import: what the audit event points at."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """A bundle imported into the database, with the number of rows it added per file."""

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    source = models.CharField(_("gói dữ liệu"), max_length=255)
    actor_name = models.CharField(_("người nhập"), max_length=150)
    counts = models.JSONField(_("số dòng đã thêm"), default=dict)

    class Meta:
        db_table = "import_run"
        ordering = ["-at"]
        verbose_name = _("lần nhập gói dữ liệu")

    def __str__(self) -> str:
        return self.source
