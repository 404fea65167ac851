"""Exceptions recorded to record findings (ngoại lệ được chấp thuận).

A finding keeps being found (the record still breaks the rule), but with a recorded exception it
is listed as excepted, not as open: the decision that allowed it is named beside it. One
exception per finding key and record (spec BUNDLE-v2.md, exceptions.csv). Organizations and
records are referred to by their codes, as in the bundle: this app sits below the records core
and knows no organization or member model.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.fields import BinaryCharField


class RecordedException(models.Model):
    finding = models.CharField(_("phát hiện"), max_length=64)
    file = models.CharField(_("tệp"), max_length=64)
    record = BinaryCharField(_("bản ghi"), max_length=255)
    decision_no = models.CharField(_("số quyết định"), max_length=100)
    decided_on = models.DateField(_("ngày quyết định"))
    decided_by = models.CharField(_("cấp quyết định (mã tổ chức)"), max_length=64, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_by_name = models.CharField(_("người ghi"), max_length=150)
    recorded_at = models.DateTimeField(_("thời điểm ghi"), default=timezone.now)

    class Meta:
        db_table = "recorded_exception"
        verbose_name = _("ngoại lệ được chấp thuận")
        constraints = [models.UniqueConstraint(fields=["finding", "file", "record"],
                                               name="recorded_exception_once")]

    def __str__(self) -> str:
        return f"{self.finding} {self.file}:{self.record} ({self.decision_no})"
