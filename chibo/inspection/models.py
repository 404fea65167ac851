"""Inspection, supervision and discipline (kiểm tra, giám sát, thi hành kỷ luật đảng).

- `Programme`, `ProgrammeItem`: a committee's (standing committee's, inspection commission's)
  programme of inspection and supervision for a year or a term: what, whom, when. Working state:
  not in the bundle (spec BUNDLE-v2.md, "What a bundle carries").
- `Inspection`: one inspection or supervision (cuộc), exactly inspections.csv, carried out under a
  programme's item or outside any (on signs of violation).
- `InspectionSubject`: one subject of it (one row = one lượt), exactly inspection_subjects.csv,
  with the working fields of the conclusion's document and the follow-up it asks for.
- `Discipline`: one discipline decision, exactly discipline.csv, with its appeal.
- `EndedPost`: a party post a dismissal ended, with its end before (working state): what an
  appeal that annuls the dismissal, or makes it lighter, gives back.

Every change goes through chibo.inspection.services; every read through the restricted
querysets, which need `inspection.view` (the cases are confidential: chibo.inspection.capabilities).
The rules are in chibo.inspection.rules (pure functions).

Where a case is visible: an inspection and its subjects under the conducting organization; a
programme under its organization; a discipline decision under its subject (the organization, or
the member's cell), so that the subject's own committee and inspection commission see the
decisions on their members whoever decided them.
"""

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from chibo.accounts.querysets import RestrictedQuerySet
from chibo.core.fields import BinaryCharField
from chibo.inspection.capabilities import VIEW_INSPECTION
from chibo.inspection.choices import AppealOutcome, Body, Conclusion, Form, Kind
from chibo.members.models import Member, Position
from chibo.organizations.models import Organization


class ProgrammeQuerySet(RestrictedQuerySet):
    pass


class Programme(models.Model):
    """An inspection and supervision programme for a year (`year`) or a term (`term_from` –
    `term_to`, the years of the congress term): exactly one of the two."""

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("tổ chức đảng"))
    by_body = models.CharField(_("chủ thể"), max_length=24, choices=Body.choices)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    term_from = models.PositiveSmallIntegerField(_("nhiệm kỳ từ năm"), null=True, blank=True)
    term_to = models.PositiveSmallIntegerField(_("nhiệm kỳ đến năm"), null=True, blank=True)
    title = models.CharField(_("tên chương trình"), max_length=300)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = ProgrammeQuerySet.as_manager()
    scope_path_field = "org__path"
    view_capability = VIEW_INSPECTION

    class Meta:
        db_table = "insp_programme"
        verbose_name = _("chương trình kiểm tra, giám sát")
        constraints = [
            models.CheckConstraint(
                condition=(Q(year__isnull=False, term_from__isnull=True, term_to__isnull=True)
                           | Q(year__isnull=True, term_from__isnull=False, term_to__isnull=False,
                               term_from__lte=F("term_to"))),
                name="insp_programme_year_or_term"),
        ]
        indexes = [models.Index(fields=["org", "year"], name="insp_programme_org")]

    def __str__(self) -> str:
        return self.title

    @property
    def path(self) -> str:
        return self.org.path


class ProgrammeItemQuerySet(RestrictedQuerySet):
    pass


class ProgrammeItem(models.Model):
    """One line of a programme: what (`kind`, `content`), whom (a description, and the
    organization when the subject is one), when (`planned_from` – `planned_to`)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("loại"), max_length=24, choices=Kind.choices)
    content = models.CharField(_("nội dung"), max_length=500)
    subject = models.CharField(_("đối tượng"), max_length=300, blank=True)
    subject_org = models.ForeignKey(Organization, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("tổ chức đảng là đối tượng"))
    planned_from = models.DateField(_("dự kiến từ ngày"))
    planned_to = models.DateField(_("dự kiến đến ngày"))

    objects = ProgrammeItemQuerySet.as_manager()
    scope_path_field = "programme__org__path"
    view_capability = VIEW_INSPECTION

    class Meta:
        db_table = "insp_programme_item"
        verbose_name = _("nội dung chương trình kiểm tra, giám sát")
        ordering = ["planned_from", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(planned_from__lte=F("planned_to")),
                                   name="insp_programme_item_dates"),
        ]

    def __str__(self) -> str:
        return self.content

    @property
    def path(self) -> str:
        return self.programme.org.path


class InspectionQuerySet(RestrictedQuerySet):
    pass


class Inspection(models.Model):
    """One inspection or supervision (cuộc): inspections.csv."""

    code = BinaryCharField(_("mã"), max_length=64, unique=True)
    kind = models.CharField(_("loại"), max_length=24, choices=Kind.choices)
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("tổ chức đảng tiến hành"))
    by_body = models.CharField(_("chủ thể"), max_length=24, choices=Body.choices)
    start_on = models.DateField(_("ngày bắt đầu"))
    end_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    title = models.CharField(_("nội dung"), max_length=500, blank=True)
    decision_no = models.CharField(_("số quyết định"), max_length=100, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    programme_item = models.ForeignKey(ProgrammeItem, null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="inspections",
                                       verbose_name=_("theo chương trình"))

    objects = InspectionQuerySet.as_manager()
    scope_path_field = "org__path"
    view_capability = VIEW_INSPECTION

    class Meta:
        db_table = "insp_inspection"
        verbose_name = _("cuộc kiểm tra, giám sát")
        constraints = [
            models.CheckConstraint(condition=Q(end_on__isnull=True) | Q(start_on__lte=F("end_on")),
                                   name="insp_inspection_dates"),
        ]
        indexes = [
            # The statistics read a period's inspections by kind, then their organizations.
            models.Index(fields=["start_on", "kind", "org", "by_body"],
                         name="insp_inspection_start"),
            models.Index(fields=["org", "start_on"], name="insp_inspection_org"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    @property
    def path(self) -> str:
        return self.org.path


class SubjectQuerySet(RestrictedQuerySet):
    pass


class InspectionSubject(models.Model):
    """One subject of an inspection (one lượt): an organization or a member, and its conclusion.

    Working fields beside inspection_subjects.csv: the conclusion's document is referred to by
    its number and date (`conclusion_no`, `conclusion_doc_on`), not stored here: the documents
    library publishes to an audience (every member under it reads), which a confidential
    conclusion must never reach. The follow-up the conclusion asks for (`follow_up`), its due
    day and the day it was done."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="subjects")
    org = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+", verbose_name=_("tổ chức đảng"))
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("đảng viên"))
    conclusion = models.CharField(_("kết luận"), max_length=32, choices=Conclusion.choices,
                                  blank=True)
    concluded_on = models.DateField(_("ngày kết luận"), null=True, blank=True)
    conclusion_no = models.CharField(_("số văn bản kết luận"), max_length=100, blank=True)
    conclusion_doc_on = models.DateField(_("ngày văn bản kết luận"), null=True, blank=True)
    follow_up = models.TextField(_("yêu cầu khắc phục"), blank=True)
    follow_up_due = models.DateField(_("hạn khắc phục"), null=True, blank=True)
    follow_up_done_on = models.DateField(_("ngày hoàn thành khắc phục"), null=True, blank=True)

    objects = SubjectQuerySet.as_manager()
    scope_path_field = "inspection__org__path"
    view_capability = VIEW_INSPECTION

    class Meta:
        db_table = "insp_subject"
        verbose_name = _("đối tượng kiểm tra, giám sát")
        constraints = [
            models.CheckConstraint(condition=Q(org__isnull=True) ^ Q(member__isnull=True),
                                   name="insp_subject_one"),
            models.CheckConstraint(
                condition=(Q(conclusion="", concluded_on__isnull=True)
                           | (~Q(conclusion="") & Q(concluded_on__isnull=False))),
                name="insp_subject_concluded"),
            models.UniqueConstraint(fields=["inspection", "org"], name="insp_subject_org_once"),
            models.UniqueConstraint(fields=["inspection", "member"],
                                    name="insp_subject_member_once"),
        ]
        indexes = [
            models.Index(fields=["member", "inspection"], name="insp_subject_member"),
            models.Index(fields=["org", "inspection"], name="insp_subject_org"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.org_id or self.member_id}"

    @property
    def path(self) -> str:
        return self.inspection.org.path


def standing_form_expression():
    """The standing form in SQL (spec BUNDLE-v2.md): `appeal_form` if changed, none ("") if
    annulled, else `form`."""
    return Case(
        When(appeal_outcome=AppealOutcome.CHANGED, then=F("appeal_form")),
        When(appeal_outcome=AppealOutcome.ANNULLED, then=Value("")),
        default=F("form"),
        output_field=models.CharField(),
    )


class DisciplineQuerySet(RestrictedQuerySet):
    def visible_to(self, user, capability: str | None = None):
        """Under the subject: the organization, or the member's cell."""
        from chibo.accounts.policy import scope_paths
        from chibo.core.querysets import path_scope_q

        paths = scope_paths(user, capability or self.model.view_capability)
        if paths is None:
            return self.all()
        return self.filter(path_scope_q(paths, "org__path")
                           | path_scope_q(paths, "member__cell__path"))

    def with_standing_form(self):
        return self.annotate(standing=standing_form_expression())

    def standing(self, form: str):
        """The decisions whose standing form is `form`."""
        return self.with_standing_form().filter(standing=form)


class Discipline(models.Model):
    """One discipline decision (quyết định kỷ luật) and its appeal: discipline.csv."""

    code = BinaryCharField(_("mã"), max_length=64, unique=True)
    org = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+", verbose_name=_("tổ chức đảng"))
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("đảng viên"))
    form = models.CharField(_("hình thức"), max_length=16, choices=Form.choices)
    violation_on = models.DateField(_("ngày vi phạm"))
    decided_on = models.DateField(_("ngày quyết định"))
    decision_no = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decided_by = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("cấp quyết định"))
    by_body = models.CharField(_("chủ thể"), max_length=24, choices=Body.choices)
    effective_on = models.DateField(_("ngày hiệu lực"), null=True, blank=True)
    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="disciplines",
                                   verbose_name=_("cuộc kiểm tra đề nghị"))
    # The day the subject received the decision: the appeal's 30 working days run from it
    # (RULES.md §3). Not in discipline.csv (BUNDLE-v2 has no column): pages and API only.
    received_on = models.DateField(_("ngày nhận quyết định"), null=True, blank=True)
    appealed_on = models.DateField(_("ngày khiếu nại"), null=True, blank=True)
    appeal_outcome = models.CharField(_("kết quả giải quyết khiếu nại"), max_length=16,
                                      choices=AppealOutcome.choices, blank=True)
    appeal_decided_on = models.DateField(_("ngày giải quyết khiếu nại"), null=True, blank=True)
    appeal_form = models.CharField(_("hình thức sau khiếu nại"), max_length=16,
                                   choices=Form.choices, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    # What the audit trail records beside the fields (chibo.audit.present.field_label).
    audit_labels = {"standing_form": _("hình thức kỷ luật đang có hiệu lực")}

    objects = DisciplineQuerySet.as_manager()
    # The member's cell for a member, the organization for one (visible_to reads both).
    scope_path_field = "member__cell__path"
    view_capability = VIEW_INSPECTION

    class Meta:
        db_table = "insp_discipline"
        verbose_name = _("quyết định kỷ luật")
        constraints = [
            models.CheckConstraint(condition=Q(org__isnull=True) ^ Q(member__isnull=True),
                                   name="insp_discipline_one"),
            models.CheckConstraint(condition=Q(violation_on__lte=F("decided_on")),
                                   name="insp_discipline_violation"),
            models.CheckConstraint(
                condition=Q(effective_on__isnull=True) | Q(decided_on__lte=F("effective_on")),
                name="insp_discipline_effective"),
            models.CheckConstraint(
                condition=Q(appealed_on__isnull=True) | Q(decided_on__lte=F("appealed_on")),
                name="insp_discipline_appealed"),
            # Appeal keys need `appealed_on`; a changed form exactly with `changed`.
            models.CheckConstraint(
                condition=Q(appealed_on__isnull=False) | Q(appeal_outcome="",
                                                           appeal_decided_on__isnull=True,
                                                           appeal_form=""),
                name="insp_discipline_appeal"),
            models.CheckConstraint(
                condition=(Q(appeal_outcome=AppealOutcome.CHANGED) & ~Q(appeal_form=""))
                | (~Q(appeal_outcome=AppealOutcome.CHANGED) & Q(appeal_form="")),
                name="insp_discipline_appeal_form"),
        ]
        indexes = [
            # The statistics and findings read a period's decisions with their subjects.
            models.Index(fields=["decided_on", "form", "member", "org"],
                         name="insp_discipline_decided"),
            models.Index(fields=["member", "decided_on"], name="insp_discipline_member"),
            models.Index(fields=["org", "decided_on"], name="insp_discipline_org"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.get_form_display()}"

    @property
    def standing_form(self) -> str:
        """`appeal_form` if changed, "" (none) if annulled, else `form` (spec BUNDLE-v2.md)."""
        if self.appeal_outcome == AppealOutcome.CHANGED:
            return self.appeal_form
        if self.appeal_outcome == AppealOutcome.ANNULLED:
            return ""
        return self.form

    @property
    def effective_day(self):
        """`effective_on`, empty meaning `decided_on`."""
        return self.effective_on or self.decided_on

    @property
    def path(self) -> str:
        return self.org.path if self.org_id else self.member.cell.path


class EndedPostQuerySet(RestrictedQuerySet):
    pass


class EndedPost(models.Model):
    """A party post that a dismissal ended, with the end it had before (`held_to`, empty: held):
    what an appeal that annuls the dismissal, or changes it to a lighter form, gives back
    (services.posts_ended_by). Working state beside discipline.csv: a bundle carries the post's
    end, not why it ended (spec BUNDLE-v2.md)."""

    discipline = models.ForeignKey(Discipline, on_delete=models.PROTECT,
                                   related_name="ended_posts")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="+")
    ended_on = models.DateField(_("thôi giữ từ sau ngày"))
    held_to = models.DateField(_("trước đó giữ đến ngày"), null=True, blank=True)

    objects = EndedPostQuerySet.as_manager()
    scope_path_field = "discipline__member__cell__path"
    view_capability = VIEW_INSPECTION

    class Meta:
        db_table = "insp_ended_post"
        verbose_name = _("chức vụ thôi giữ do cách chức")
        constraints = [
            models.UniqueConstraint(fields=["discipline", "position"],
                                    name="insp_ended_post_once"),
        ]

    def __str__(self) -> str:
        return f"{self.discipline_id} {self.position_id} {self.ended_on}"


class CaseReadChannel(models.TextChoices):
    PAGE = "page", _("trang hồ sơ")
    API = "api", _("giao diện lập trình (API)")


class CaseRead(models.Model):
    """Someone read a case: an inspection with its subjects and conclusions, or a discipline
    decision (its page, or the API's record): who, which, when, how. A log beside the audit
    trail, as a member file's reads are (chibo.members.models.FileRead): a read changes
    nothing. Written by chibo.inspection.services.record_case_read; placed where the case is
    (the conducting organization, the decision's subject), read with the audit capability."""

    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+", db_constraint=False)
    discipline = models.ForeignKey(Discipline, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+", db_constraint=False)
    code = BinaryCharField(_("mã hồ sơ"), max_length=64)
    reader = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL,
                               db_constraint=False, related_name="+")
    reader_name = models.CharField(_("người xem"), max_length=150)
    at = models.DateTimeField(_("thời gian"), db_index=True)
    channel = models.CharField(_("qua"), max_length=8, choices=CaseReadChannel.choices)
    org_path = BinaryCharField(max_length=255, db_index=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "org_path"
    view_capability = "audit.trail"

    class Meta:
        db_table = "insp_case_read"
        verbose_name = _("lượt xem hồ sơ kiểm tra, kỷ luật")
        constraints = [
            models.CheckConstraint(condition=Q(inspection__isnull=True)
                                   ^ Q(discipline__isnull=True), name="insp_case_read_one"),
        ]

    def __str__(self) -> str:
        return f"{self.reader_name} → {self.code} {self.at:%d/%m/%Y %H:%M}"
