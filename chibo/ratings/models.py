"""The annual review and classification (đánh giá, xếp loại chất lượng; RULES.md §2).

- `Rating`: the level a member or an organization was rated for a year — exactly ratings.csv
  (spec BUNDLE-v2.md): level, score (366-QĐ/TW), the day and the deciding organization (empty:
  the default decider, chibo.ratings.rules.default_decider). A rating that breaks a ratings
  finding rule is kept with the exception that allowed it: recorded in chibo.findings under the
  finding's key and the rating's record key (`record_key`), as the other processes do.
- `ReviewCampaign`: a grassroots committee's review of a year — opened, with its deadline, then
  closed. Working state: not in the bundle.
- `Proposal`: the cell's proposal for one of its members in a campaign: the level, the
  manifestations (of the 27, chibo.handbook.catalogue) the cell concluded, a note. Working
  state.

Every change goes through chibo.ratings.services; every read through the restricted querysets
(`member.view`: the ratings are part of the member files). A member's rating and proposal lie
under the member's cell, an organization's rating under the organization, a campaign under its
committee.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.accounts.policy import Capability
from chibo.accounts.querysets import RestrictedQuerySet
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.ratings.choices import Level

FILE = "ratings.csv"


class RatingQuerySet(RestrictedQuerySet):
    def visible_to(self, user, capability: str | None = None):
        """Under the subject: the organization, or the member's cell."""
        from chibo.accounts.policy import scope_paths
        from chibo.core.querysets import path_scope_q

        paths = scope_paths(user, capability or self.model.view_capability)
        if paths is None:
            return self.all()
        return self.filter(path_scope_q(paths, "org__path")
                           | path_scope_q(paths, "member__cell__path"))


class Rating(models.Model):
    """One subject's rating for one year: ratings.csv."""

    year = models.PositiveSmallIntegerField(_("năm"))
    org = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+", verbose_name=_("tổ chức đảng"))
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="ratings", verbose_name=_("đảng viên"))
    level = models.CharField(_("xếp loại"), max_length=16, choices=Level.choices)
    score = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2, null=True,
                                blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decided_by = models.ForeignKey(Organization, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("cấp quyết định"))
    note = models.TextField(_("ghi chú"), blank=True)

    objects = RatingQuerySet.as_manager()
    scope_path_field = "member__cell__path"  # an organization's: visible_to reads both
    view_capability = Capability.VIEW_MEMBERS

    class Meta:
        db_table = "rating"
        verbose_name = _("xếp loại chất lượng")
        constraints = [
            models.CheckConstraint(condition=Q(org__isnull=True) ^ Q(member__isnull=True),
                                   name="rating_one_subject"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="rating_score_range"),
            models.UniqueConstraint(fields=["member", "year"], name="rating_member_once"),
            models.UniqueConstraint(fields=["org", "year"], name="rating_org_once"),
        ]
        indexes = [
            # The statistics and findings read a year's ratings with their subjects.
            models.Index(fields=["year", "level", "member", "org"], name="rating_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.subject_code} {self.level}"

    @property
    def subject_code(self) -> str:
        return self.member.member_code if self.member_id else self.org.code

    @property
    def record_key(self) -> str:
        return record_key(self.year, None if self.member_id else self.org.code,
                          self.member.member_code if self.member_id else None)

    @property
    def path(self) -> str:
        return self.member.cell.path if self.member_id else self.org.path


def record_key(year: int, org_code: str | None, member_code: str | None) -> str:
    """A rating's record in findings and exceptions.csv: its key columns (year, org_code,
    member_code) joined by `|`, e.g. "2024||M00012", "2024|D1.X1.C1|"."""
    return f"{year}|{org_code or ''}|{member_code or ''}"


class ReviewCampaign(models.Model):
    """A grassroots committee's review of `year`: opened on `opened_on`, the cells' proposals
    due by `deadline`, closed once decided."""

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("đảng bộ, chi bộ cơ sở"))
    year = models.PositiveSmallIntegerField(_("năm"))
    opened_on = models.DateField(_("ngày mở"))
    deadline = models.DateField(_("hạn đề xuất"))
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "org__path"
    view_capability = Capability.VIEW_MEMBERS

    class Meta:
        db_table = "rating_campaign"
        verbose_name = _("đợt đánh giá, xếp loại")
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="rating_campaign_once"),
            models.CheckConstraint(condition=Q(opened_on__lte=models.F("deadline")),
                                   name="rating_campaign_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year}"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def path(self) -> str:
        return self.org.path


class Proposal(models.Model):
    """The cell's proposal for one member in a campaign (chi bộ đề xuất xếp loại)."""

    campaign = models.ForeignKey(ReviewCampaign, on_delete=models.CASCADE,
                                 related_name="proposals")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("đảng viên"))
    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("chi bộ đề xuất"))
    level = models.CharField(_("mức đề xuất"), max_length=16, choices=Level.choices)
    # The codes ("A4") of the manifestations the cell concluded (chibo.handbook.catalogue).
    manifestations = models.JSONField(_("biểu hiện chi bộ kết luận"), default=list, blank=True)
    note = models.TextField(_("nhận xét của chi bộ"), blank=True)
    proposed_on = models.DateField(_("ngày đề xuất"))

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "cell__path"
    view_capability = Capability.VIEW_MEMBERS

    class Meta:
        db_table = "rating_proposal"
        verbose_name = _("đề xuất xếp loại của chi bộ")
        constraints = [models.UniqueConstraint(fields=["campaign", "member"],
                                               name="rating_proposal_once")]

    def __str__(self) -> str:
        return f"{self.campaign} {self.member}"

    @property
    def path(self) -> str:
        return self.cell.path
