"""The tree of party organizations and its dated history.

An organization's place in the tree over time is a series of periods (`OrgPeriod`): from
`valid_from` (included) to `valid_to` (excluded; END_OF_TIME while it lasts), each with a parent,
a name and a materialized path of organization ids ("1/7/23/"). The tree as of day D is the set
of periods with valid_from <= D < valid_to, and a subtree is a range of paths, so both are one
indexed query at any date. `Organization` keeps the identity and, for fast reads, the place and
name of its latest period. Reorganizations are recorded as `Reorganization` rows.
"""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.accounts.querysets import RestrictedQuerySet
from chibo.core.fields import BinaryCharField, path_ids, subtree_range
from chibo.core.text import MAX_TITLE_KEY_LENGTH
from chibo.organizations.choices import ChangeKind, OrgKind, Sector, VillageKind

END_OF_TIME = date(9999, 12, 31)


def as_of_q(day: date, prefix: str = "") -> Q:
    """Periods (or rows with valid_from/valid_to) that hold on `day`."""
    return Q(**{f"{prefix}valid_from__lte": day, f"{prefix}valid_to__gt": day})


class OrganizationQuerySet(RestrictedQuerySet):
    def in_subtree(self, path: str):
        low, high = subtree_range(path)
        return self.filter(path__gte=low, path__lt=high)

    def active_on(self, day: date):
        return self.filter(established_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )


class Organization(models.Model):
    code = BinaryCharField(_("mã"), max_length=64, unique=True)
    kind = models.CharField(_("loại"), max_length=32, choices=OrgKind.choices)
    # The sector of its latest period (periods keep the sector of each stretch, as the name).
    sector = models.CharField(_("loại hình"), max_length=32, choices=Sector.choices, blank=True)
    village = models.ForeignKey(
        "Village", null=True, blank=True, on_delete=models.PROTECT, related_name="cells",
        verbose_name=_("thôn, tổ dân phố"),
    )
    established_on = models.DateField(_("ngày thành lập"))
    ended_on = models.DateField(_("ngày giải thể"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    # The latest period, kept here for fast reads (lists, scoping, breadcrumbs of today).
    name = models.CharField(_("tên"), max_length=255)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = BinaryCharField(max_length=255, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0)
    search_key = models.CharField(max_length=255, db_index=True)
    # chibo.core.text.title_sort_key(name): ORDER BY it for the Vietnamese order of names.
    sort_key = BinaryCharField(max_length=MAX_TITLE_KEY_LENGTH, default="")

    objects = OrganizationQuerySet.as_manager()
    scope_path_field = "path"

    class Meta:
        db_table = "organization"
        verbose_name = _("tổ chức đảng")

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: date) -> bool:
        return self.established_on <= day and (self.ended_on is None or day < self.ended_on)

    @property
    def ancestor_ids(self) -> list[int]:
        return path_ids(self.path)


class OrgPeriodQuerySet(RestrictedQuerySet):
    def as_of(self, day: date):
        return self.filter(as_of_q(day))

    def in_subtree(self, path: str):
        low, high = subtree_range(path)
        return self.filter(path__gte=low, path__lt=high)


class OrgPeriod(models.Model):
    """One stretch of an organization's life with the same parent, name, sector and path."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="periods")
    parent = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=255)
    # The sector in this stretch: a town's committee became a commune's in the 2025 reform.
    sector = models.CharField(_("loại hình"), max_length=32, choices=Sector.choices, blank=True,
                              default="")
    search_key = models.CharField(max_length=255)
    sort_key = BinaryCharField(max_length=MAX_TITLE_KEY_LENGTH, default="")
    path = BinaryCharField(max_length=255)
    depth = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField(default=END_OF_TIME)

    objects = OrgPeriodQuerySet.as_manager()
    scope_path_field = "organization__path"

    class Meta:
        db_table = "organization_period"
        ordering = ["organization_id", "valid_from"]
        indexes = [
            models.Index(fields=["path", "valid_from", "valid_to"], name="period_subtree"),
            models.Index(fields=["parent", "valid_from", "valid_to"], name="period_children"),
            models.Index(fields=["organization", "valid_from"], name="period_org"),
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.valid_from}, {self.valid_to})"


class VillageQuerySet(RestrictedQuerySet):
    pass


class Village(models.Model):
    """A village (thôn, bản) or residential group (tổ dân phố): a place, not a party body."""

    code = BinaryCharField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=32, choices=VillageKind.choices)
    commune = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="villages",
        verbose_name=_("đảng bộ xã, phường, thị trấn"),
    )
    established_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    search_key = models.CharField(max_length=255, db_index=True)
    sort_key = BinaryCharField(max_length=MAX_TITLE_KEY_LENGTH, default="")

    objects = VillageQuerySet.as_manager()
    scope_path_field = "commune__path"

    class Meta:
        db_table = "village"
        verbose_name = _("thôn, tổ dân phố")

    def __str__(self) -> str:
        return self.name


class Reorganization(models.Model):
    """A dated change to the tree, as decided: what happened, to whom, by which decision."""

    effective_on = models.DateField(_("ngày hiệu lực"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="reorganizations"
    )
    change = models.CharField(_("thay đổi"), max_length=16, choices=ChangeKind.choices)
    new_parent = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_name = models.CharField(max_length=255, blank=True)
    # A rename may change the sector too (a town becoming a commune); empty: unchanged.
    new_sector = models.CharField(max_length=32, choices=Sector.choices, blank=True)
    into = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    old_name = models.CharField(max_length=255, blank=True)
    old_sector = models.CharField(max_length=32, choices=Sector.choices, blank=True)
    old_parent = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_no = models.CharField(_("số quyết định"), max_length=100, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "organization__path"

    class Meta:
        db_table = "reorganization"
        ordering = ["effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.effective_on} {self.change} {self.organization.code}"


class CalendarDay(models.Model):
    """A province's correction to the working calendar (chibo.core.workdays): a day off the
    national calendar does not know (a holiday announced late, the province's own) or a weekend
    day made working. Not scoped: the calendar is the same for everyone who reads a deadline."""

    day = models.DateField(_("ngày"), unique=True)
    working = models.BooleanField(_("ngày làm việc"))
    note = models.CharField(_("lý do"), max_length=255)

    class Meta:
        db_table = "calendar_day"
        ordering = ["day"]
        verbose_name = _("ngày điều chỉnh lịch làm việc")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"
