"""The party badge (Huy hiệu Đảng; RULES.md §7).

- `Badge`: a badge awarded to a member — exactly badges.csv (spec BUNDLE-v2.md): the milestone
  (`years`), the day, the early reason; the decision's number and the deciding organization
  (the provincial committee, chibo.badges.capabilities) are the pages' and not in the bundle. A
  badge that breaks a badges finding rule is kept with the exception that allowed it, recorded
  in chibo.findings under the finding's key and the badge's record key (`record_key`).
- `Proposal`: a cell's (or a level's above) proposal of a member for a milestone on an award
  day, from the due list (chibo.members.queries.badge_rows). Working state: not in the bundle.

Every change goes through chibo.badges.services; every read through the restricted querysets
(`member.view`: the badges are part of the member files), under the member's cell.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from chibo.accounts.policy import Capability
from chibo.accounts.querysets import RestrictedQuerySet
from chibo.badges.choices import EarlyReason, ProposalStatus
from chibo.members.models import Member
from chibo.organizations.models import Organization

FILE = "badges.csv"


def record_key(member_code: str, years: int) -> str:
    """A badge's record in findings and exceptions.csv: its key columns (member_code, years)
    joined by `|`, e.g. "M00018|30"."""
    return f"{member_code}|{years}"


class Badge(models.Model):
    """One badge of one member: badges.csv."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="badges",
                               verbose_name=_("đảng viên"))
    years = models.PositiveSmallIntegerField(_("huy hiệu (năm tuổi Đảng)"))
    awarded_on = models.DateField(_("ngày trao"))
    early_reason = models.CharField(_("trao sớm"), max_length=16, blank=True,
                                    choices=EarlyReason.choices)
    decision_no = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decided_by = models.ForeignKey(Organization, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("cấp quyết định"))
    note = models.TextField(_("ghi chú"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "member__cell__path"
    view_capability = Capability.VIEW_MEMBERS

    class Meta:
        db_table = "badge"
        verbose_name = _("Huy hiệu Đảng")
        constraints = [
            models.UniqueConstraint(fields=["member", "years"], name="badge_once"),
        ]
        indexes = [
            # The statistics read a period's badges by their day.
            models.Index(fields=["awarded_on", "years", "member"], name="badge_awarded"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.years}"

    @property
    def record_key(self) -> str:
        return record_key(self.member.member_code, self.years)

    @property
    def path(self) -> str:
        return self.member.cell.path


class Proposal(models.Model):
    """A member proposed for the badge of `years` on `award_day` (3/2, 19/5, 2/9, 7/11)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("đảng viên"))
    years = models.PositiveSmallIntegerField(_("huy hiệu (năm tuổi Đảng)"))
    award_day = models.DateField(_("đợt trao"))
    early_reason = models.CharField(_("trao sớm"), max_length=16, blank=True,
                                    choices=EarlyReason.choices)
    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("chi bộ"))
    proposed_by = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("cấp đề nghị"))
    proposed_on = models.DateField(_("ngày đề nghị"))
    status = models.CharField(_("tình trạng"), max_length=16, choices=ProposalStatus.choices,
                              default=ProposalStatus.PROPOSED)
    badge = models.OneToOneField(Badge, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="proposal")
    note = models.TextField(_("ghi chú"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "cell__path"
    view_capability = Capability.VIEW_MEMBERS

    class Meta:
        db_table = "badge_proposal"
        verbose_name = _("đề nghị tặng Huy hiệu Đảng")
        constraints = [
            models.UniqueConstraint(fields=["member", "years"], name="badge_proposal_once"),
        ]
        indexes = [models.Index(fields=["award_day", "status"], name="badge_proposal_day")]

    def __str__(self) -> str:
        return f"{self.member} {self.years} {self.award_day}"

    @property
    def path(self) -> str:
        return self.cell.path
