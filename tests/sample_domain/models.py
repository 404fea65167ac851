from django.db import models

from chibo.accounts.querysets import RestrictedQuerySet
from chibo.organizations.models import Organization


class SampleVisit(models.Model):
    """An organization visited on a day: `visitors` people met, and a note."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    visitors = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "organization__path"

    class Meta:
        db_table = "sample_visit"
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} · {self.note}"
