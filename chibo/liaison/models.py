"""Residence liaison (giữ mối liên hệ với nơi cư trú; RULES.md §8; spec BUNDLE-v2.md
residence_liaison.csv).

- `Liaison`: a working member introduced (giấy giới thiệu 1-213) to the grassroots committee
  and the cell of their residence, from `introduced_on` until `ended_on`. The working side
  (the member's cell and grassroots committee) reads it with the member file (`member.view`
  under the member's cell); the residence side reads only the narrow view of
  chibo.liaison.queries (`liaison.residence` under the residence cell): it never opens the
  member file.
- `Opinion`: the residence cell's yearly opinion on the member (phiếu nhận xét 3-213), one per
  member and year, which the working side then reads.

Every change goes through chibo.liaison.services.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.accounts.policy import Capability
from chibo.accounts.querysets import RestrictedQuerySet
from chibo.liaison.choices import Feedback
from chibo.members.models import Member
from chibo.organizations.models import Organization


class Liaison(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="liaisons",
                               verbose_name=_("đảng viên"))
    introduced_on = models.DateField(_("ngày giới thiệu"))
    residence_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("đảng ủy cơ sở nơi cư trú"))
    residence_cell = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+",
                                       verbose_name=_("chi bộ nơi cư trú"))
    exempt_from_meetings = models.BooleanField(_("miễn sinh hoạt nơi cư trú"), default=False)
    ended_on = models.DateField(_("ngày thôi giữ mối liên hệ"), null=True, blank=True)
    # Working state (not in the bundle): the letter's number, who introduced, a note.
    letter_no = models.CharField(_("số giấy giới thiệu"), max_length=50, blank=True)
    address = models.CharField(_("địa chỉ nơi cư trú"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    # The working side's read: the member's file.
    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "member__cell__path"
    view_capability = Capability.VIEW_MEMBERS

    class Meta:
        db_table = "liaison"
        verbose_name = _("giữ mối liên hệ nơi cư trú")
        constraints = [
            models.UniqueConstraint(fields=["member", "introduced_on"], name="liaison_once"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True)
                                   | Q(ended_on__gte=models.F("introduced_on")),
                                   name="liaison_dates"),
        ]
        indexes = [models.Index(fields=["residence_org", "ended_on"], name="liaison_residence"),
                   models.Index(fields=["introduced_on", "member"], name="liaison_day")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.introduced_on}"

    @property
    def record(self) -> str:
        """Its key columns as the findings name it: `member_code|introduced_on`."""
        return record_key(self.member.member_code, self.introduced_on)

    @property
    def residence(self) -> Organization:
        """Where the member keeps contact: the cell, else the grassroots committee."""
        return self.residence_cell or self.residence_org


def record_key(member_code: str, introduced_on) -> str:
    return f"{member_code}|{introduced_on.isoformat()}"


class Opinion(models.Model):
    liaison = models.ForeignKey(Liaison, on_delete=models.CASCADE, related_name="opinions")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+",
                               db_index=False)  # one per member and year
    year = models.PositiveSmallIntegerField(_("năm"))
    feedback = models.CharField(_("nhận xét"), max_length=8, choices=Feedback.choices)
    # Working state: the words of the slip, when and by whom it was written.
    comment = models.TextField(_("nội dung nhận xét"), blank=True)
    written_on = models.DateField(_("ngày nhận xét"), null=True, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        db_table = "liaison_opinion"
        verbose_name = _("phiếu nhận xét 3-213")
        constraints = [models.UniqueConstraint(fields=["member", "year"],
                                               name="liaison_opinion_once")]
        indexes = [models.Index(fields=["year", "member"], name="liaison_opinion_year")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year} {self.feedback}"
