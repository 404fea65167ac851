"""What the handbook keeps of its own: the annual self-review, and when a member last looked at
their notifications (the notifications themselves are derived from meetings, documents and tasks).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chibo.accounts.querysets import RestrictedQuerySet
from chibo.members.models import Member
from chibo.ratings.choices import Level


class ReviewStatus(models.TextChoices):
    """A stored self-review's state (a member with none has "not started":
    chibo.handbook.queries.ReviewProgress)."""

    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Đã nộp")


class SelfReview(models.Model):
    """A member's self-review (tự kiểm điểm) for one year: a draft, then submitted for good.

    The manifestations and signs are the member's own self-examination against the catalogue
    (chibo.handbook.catalogue), kept as its codes; the cell's officers see only how many
    members marked each (chibo.handbook.queries.manifestation_summary), never who."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="self_reviews")
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=ReviewStatus.choices,
                              default=ReviewStatus.DRAFT)
    achievements = models.TextField(_("thành tích"), blank=True)
    strengths = models.TextField(_("ưu điểm"), blank=True)
    shortcomings = models.TextField(_("hạn chế, khuyết điểm và nguyên nhân"), blank=True)
    remedies = models.TextField(_("biện pháp khắc phục"), blank=True)
    manifestations = models.JSONField(_("biểu hiện tự nhận"), default=list, blank=True)
    signs = models.JSONField(_("dấu hiệu tự nhận"), default=list, blank=True)
    manifestation_notes = models.TextField(_("giải thích về các biểu hiện"), blank=True)
    self_score = models.PositiveSmallIntegerField(_("điểm tự chấm"), null=True, blank=True)
    proposed_rating = models.CharField(_("tự xếp loại"), max_length=16, blank=True,
                                       choices=Level.choices)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "member__cell__path"
    view_capability = "member.view"

    class Meta:
        db_table = "self_review"
        constraints = [models.UniqueConstraint(fields=["member", "year"],
                                               name="self_review_once_a_year")]

    def __str__(self) -> str:
        return f"{self.member} {self.year}"

    @property
    def path(self) -> str:
        return self.member.cell.path

    @property
    def is_submitted(self) -> bool:
        return self.status == ReviewStatus.SUBMITTED


class NotificationMark(models.Model):
    """When the user last opened their notifications: what came later is "new"."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_mark")
    seen_at = models.DateTimeField()

    class Meta:
        db_table = "notification_mark"

    def __str__(self) -> str:
        return f"{self.user_id} {self.seen_at}"
