"""Party dues (đảng phí; RULES.md §6; spec BUNDLE-v2.md dues.csv).

Configuration (one for the installation, not in the bundle: BUNDLE-v2 "dues rates"):

- `DuesRule` and its `DuesRate`s: a dues regulation (342-QĐ/TW, 01-QĐ/TW …) in force from its
  `effective_on` until the next rule's, with the rate of each category it sets — a share of the
  member's basis or a fixed amount a month. A category a rule sets no rate for has no known rate
  (no `dues.amount` finding then). A month is charged at the rule in force on its first day
  (chibo.dues.rules), whenever it is paid.
- `DuesShare`: what each level keeps of the dues it receives, from a day (the rest goes up).
- `DuesSettings`: from which month chibo keeps the dues (the months before are not judged).

Records:

- `DuesBasis`: a member's category and basis (căn cứ tính) from a month on, which the cell's
  sheet reckons the month's dues with.
- `Payment`: one member's dues for one month — exactly dues.csv (member, month, amount, paid
  on, category, basis) — with how it came in and its receipt (working state).
- `Receipt`: what the cell's treasurer hands the member for the months paid together.
- `DuesYear`: derived, one row per member and year with each month's amount and payment day,
  rewritten by chibo.dues.sheets whenever the year's payments change (the services, the bundle
  import): the statistics and the findings read a province's year in tens of thousands of rows,
  not its hundreds of thousands of payments.

Every change goes through chibo.dues.services; reads through the restricted querysets
(`dues.view`, under the member's cell).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.accounts.querysets import RestrictedQuerySet
from chibo.dues.capabilities import VIEW_DUES
from chibo.dues.choices import Category, Channel, Level
from chibo.members.models import Member
from chibo.organizations.models import Organization

FILE = "dues.csv"
MONTHS = range(1, 13)


class DuesRule(models.Model):
    """A dues regulation, in force from `effective_on` until the next rule's."""

    name = models.CharField(_("văn bản"), max_length=100)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective_on = models.DateField(_("ngày có hiệu lực"), unique=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        db_table = "dues_rule"
        verbose_name = _("quy định về đảng phí")
        ordering = ["effective_on"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_on:%d/%m/%Y})"


class DuesRate(models.Model):
    """The rate a rule sets for a category: `percent` of the basis, or a fixed `amount`."""

    rule = models.ForeignKey(DuesRule, on_delete=models.CASCADE, related_name="rates")
    category = models.CharField(_("đối tượng"), max_length=16, choices=Category.choices)
    percent = models.DecimalField(_("tỷ lệ trên căn cứ tính (%)"), max_digits=5,
                                  decimal_places=2, null=True, blank=True)
    amount = models.PositiveIntegerField(_("mức cố định (đồng/tháng)"), null=True, blank=True)

    class Meta:
        db_table = "dues_rate"
        verbose_name = _("mức đóng đảng phí")
        constraints = [
            models.UniqueConstraint(fields=["rule", "category"], name="dues_rate_once"),
            models.CheckConstraint(condition=Q(percent__isnull=True) ^ Q(amount__isnull=True),
                                   name="dues_rate_one_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.category}"


class DuesShare(models.Model):
    """The share of the dues it receives that a level keeps from `effective_on`."""

    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    effective_on = models.DateField(_("từ ngày"))
    keep_percent = models.DecimalField(_("giữ lại (%)"), max_digits=5, decimal_places=2)
    source = models.CharField(_("căn cứ"), max_length=200, blank=True)

    class Meta:
        db_table = "dues_share"
        verbose_name = _("tỷ lệ trích giữ lại")
        constraints = [
            models.UniqueConstraint(fields=["level", "effective_on"], name="dues_share_once"),
            models.CheckConstraint(condition=Q(keep_percent__gte=0, keep_percent__lte=100),
                                   name="dues_share_range"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.effective_on} {self.keep_percent}"


class DuesSettings(models.Model):
    """The installation's dues settings: one row (pk 1)."""

    kept_from = models.DateField(
        _("theo dõi đảng phí từ tháng"), null=True, blank=True,
        help_text=_("Các tháng trước đó không bị coi là chưa nộp. Để trống: mọi tháng."))

    class Meta:
        db_table = "dues_settings"
        verbose_name = _("cài đặt đảng phí")

    def __str__(self) -> str:
        return f"{self.kept_from}"

    @classmethod
    def current(cls) -> "DuesSettings":
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class DuesBasis(models.Model):
    """A member's category and basis from the month `valid_from` (its first day) on."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="dues_bases")
    valid_from = models.DateField(_("từ tháng"))
    category = models.CharField(_("đối tượng"), max_length=16, choices=Category.choices)
    basis_amount = models.PositiveBigIntegerField(_("căn cứ tính (đồng)"), null=True,
                                                  blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "member__cell__path"
    view_capability = VIEW_DUES

    class Meta:
        db_table = "dues_basis"
        verbose_name = _("đối tượng, căn cứ tính đảng phí")
        constraints = [models.UniqueConstraint(fields=["member", "valid_from"],
                                               name="dues_basis_once")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.valid_from} {self.category}"


class Receipt(models.Model):
    """A receipt (biên lai thu đảng phí): the months a member paid together at their cell."""

    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("chi bộ thu"))
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("đảng viên"))
    issued_on = models.DateField(_("ngày thu"))
    total = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("người thu"))

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "cell__path"
    view_capability = VIEW_DUES

    class Meta:
        db_table = "dues_receipt"
        verbose_name = _("biên lai thu đảng phí")
        constraints = [models.UniqueConstraint(fields=["cell", "year", "number"],
                                               name="dues_receipt_number")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.number:04d}/{self.year}"

    @property
    def path(self) -> str:
        return self.cell.path


class Payment(models.Model):
    """One member's dues for one month: a row of dues.csv."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues_payments",
                               db_index=False, verbose_name=_("đảng viên"))
    month = models.DateField(_("tháng"))  # its first day
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    paid_on = models.DateField(_("ngày nộp"))
    category = models.CharField(_("đối tượng"), max_length=16, choices=Category.choices,
                                blank=True)
    basis_amount = models.PositiveBigIntegerField(_("căn cứ tính (đồng)"), null=True,
                                                  blank=True)
    channel = models.CharField(_("hình thức nộp"), max_length=16, choices=Channel.choices,
                               default=Channel.CASH)
    receipt = models.ForeignKey(Receipt, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="payments", verbose_name=_("biên lai"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "member__cell__path"
    view_capability = VIEW_DUES

    class Meta:
        db_table = "dues_payment"
        verbose_name = _("đảng phí tháng")
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_payment_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="dues_payment_amount"),
        ]
        indexes = [models.Index(fields=["month", "member"], name="dues_payment_month")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m} {self.amount}"

    @property
    def month_text(self) -> str:
        return f"{self.month:%Y-%m}"


class DuesYear(models.Model):
    """Derived: a member's payments of one year, rewritten with the payments
    (chibo.dues.sheets.refresh). For each month MM: `paid_MM`, the day it was paid (empty: no
    payment), and the running totals from January to MM of the amounts (`upto_MM`) and of the
    months paid (`count_MM`); `last_paid` the latest day any was paid. With the running totals a
    statement reads the months of a period from two columns, not twelve (chibo.dues.metrics)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="dues_years",
                               db_index=False)
    year = models.PositiveSmallIntegerField()
    last_paid = models.DateField(null=True)

    class Meta:
        db_table = "dues_year"
        constraints = [models.UniqueConstraint(fields=["member", "year"],
                                               name="dues_year_once")]
        indexes = [models.Index(fields=["year", "member"], name="dues_year_year")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year}"

    def paid(self, month: int) -> date | None:
        return getattr(self, paid_field(month))

    def amount(self, month: int) -> int | None:
        """The month's amount (None: not paid)."""
        if self.paid(month) is None:
            return None
        before = getattr(self, upto_field(month - 1)) if month > 1 else 0
        return getattr(self, upto_field(month)) - before


def paid_field(month: int) -> str:
    return f"paid_{month:02d}"


def upto_field(month: int) -> str:
    return f"upto_{month:02d}"


def count_field(month: int) -> str:
    return f"count_{month:02d}"


for _month in MONTHS:
    DuesYear.add_to_class(paid_field(_month), models.DateField(null=True, blank=True))
    DuesYear.add_to_class(upto_field(_month), models.PositiveBigIntegerField(default=0))
    DuesYear.add_to_class(count_field(_month), models.PositiveSmallIntegerField(default=0))
