"""Removal from the list (xóa tên đảng viên; Điều lệ Đảng Điều 8, QĐ 24 §8.1, RULES.md §1).

`RemovalCase`: the cell's proposal to remove one of its members, with its grounds — each either
shown by the records (unexcused absences, unpaid dues, "not complete" two years in a row: what
the records showed is kept in `evidence`, as it read on the day of the proposal) or stood for by
the cell's document (`document`) — then the competent committee's decision: removed (the
member's `remove` event, `event`) or not. Working state: the bundle carries the event
(member_events.csv), not the case.

Every change goes through chibo.removal.services; every read through the restricted querysets
(`member.view`, under the member's cell as it was proposed).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.accounts.policy import Capability
from chibo.accounts.querysets import RestrictedQuerySet
from chibo.members.models import Member, MemberEvent
from chibo.organizations.models import Organization
from chibo.removal.choices import Outcome


class RemovalCase(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("đảng viên"))
    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("chi bộ đề nghị"))
    grounds = models.JSONField(_("căn cứ"), default=list)
    # What the records showed for each recorded ground on the day of the proposal ({key: text}).
    evidence = models.JSONField(_("hồ sơ chứng minh"), default=dict, blank=True)
    document = models.CharField(_("văn bản của chi bộ"), max_length=200, blank=True)
    proposed_on = models.DateField(_("ngày chi bộ đề nghị"))
    note = models.TextField(_("ghi chú"), blank=True)
    outcome = models.CharField(_("kết quả"), max_length=12, choices=Outcome.choices,
                               default=Outcome.PENDING)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_no = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decided_by = models.ForeignKey(Organization, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("cấp quyết định"))
    event = models.OneToOneField(MemberEvent, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("sự kiện xóa tên"))

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "cell__path"
    view_capability = Capability.VIEW_MEMBERS

    class Meta:
        db_table = "removal_case"
        verbose_name = _("đề nghị xóa tên đảng viên")
        ordering = ["-proposed_on", "-id"]
        constraints = [
            # One case at a time: a member has at most one case waiting for its decision.
            models.UniqueConstraint(fields=["member"], condition=Q(outcome="pending"),
                                    name="removal_one_pending"),
            models.CheckConstraint(
                condition=Q(outcome="pending", decided_on__isnull=True)
                | Q(~Q(outcome="pending"), decided_on__isnull=False),
                name="removal_decided_dated"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.proposed_on}"

    @property
    def path(self) -> str:
        return self.cell.path

    @property
    def is_pending(self) -> bool:
        return self.outcome == Outcome.PENDING
