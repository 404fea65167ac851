"""A candidate for admission (quần chúng ưu tú, người vào Đảng) and every dated step of the file.

One row per candidate, as candidates.csv carries it (spec BUNDLE-v2.md): the person, the cell
that proposes them, each stage's date, the sponsors, the cell's vote, the decision and the
ceremony, the outcome. Every change goes through chibo.admission.services; the decision creates
(or readmits) the member through the members app's services and links it here (`member`).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.accounts.querysets import RestrictedQuerySet
from chibo.admission.choices import Outcome
from chibo.core.fields import BinaryCharField
from chibo.members.choices import Gender, ProfessionalLevel, TheoryLevel
from chibo.members.models import Member
from chibo.organizations.models import Organization

# The person keys of members.csv that a candidate carries (not the card number), in its order.
PERSON_TEXTS = ("ethnicity", "religion", "national_id", "phone", "email", "hometown",
                "residence", "occupation")


class CandidateQuerySet(RestrictedQuerySet):
    pass


class Candidate(models.Model):
    code = BinaryCharField(_("mã"), max_length=64, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("ngày sinh"))
    ethnicity = models.CharField(_("dân tộc"), max_length=50, blank=True)
    religion = models.CharField(_("tôn giáo"), max_length=50, blank=True)
    national_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.CharField(_("thư điện tử"), max_length=254, blank=True)
    hometown = models.CharField(_("quê quán"), max_length=255, blank=True)
    residence = models.CharField(_("nơi cư trú"), max_length=255, blank=True)
    occupation = models.CharField(_("nghề nghiệp"), max_length=255, blank=True)
    general_education = models.CharField(_("giáo dục phổ thông"), max_length=10, blank=True)
    professional_level = models.CharField(_("chuyên môn"), max_length=16, blank=True,
                                          choices=ProfessionalLevel.choices)
    theory_level = models.CharField(_("lý luận chính trị"), max_length=16, blank=True,
                                    choices=TheoryLevel.choices)
    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="candidates",
                             verbose_name=_("chi bộ đề nghị"))
    listed_on = models.DateField(_("ngày vào danh sách quần chúng ưu tú"))
    awareness_course_on = models.DateField(_("giấy chứng nhận lớp nhận thức về Đảng"),
                                           null=True, blank=True)
    sponsor1 = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("đảng viên giới thiệu"))
    sponsor2 = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("đảng viên giới thiệu"))
    youth_union_sponsor = models.BooleanField(_("Đoàn thanh niên giới thiệu"), default=False)
    background_checked_on = models.DateField(_("thẩm tra lý lịch xong"), null=True, blank=True)
    cell_resolution_on = models.DateField(_("nghị quyết chi bộ"), null=True, blank=True)
    cell_votes_for = models.PositiveIntegerField(_("số đảng viên chính thức tán thành"),
                                                 null=True, blank=True)
    cell_votes_total = models.PositiveIntegerField(_("số đảng viên chính thức của chi bộ"),
                                                   null=True, blank=True)
    committee_resolution_on = models.DateField(_("nghị quyết đảng ủy cơ sở"), null=True,
                                               blank=True)
    decision_on = models.DateField(_("ngày quyết định kết nạp"), null=True, blank=True)
    decision_no = models.CharField(_("số quyết định kết nạp"), max_length=100, blank=True)
    decided_by = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("cấp ủy quyết định"))
    ceremony_on = models.DateField(_("ngày lễ kết nạp"), null=True, blank=True)
    ceremony_extension_no = models.CharField(_("văn bản đồng ý làm lễ muộn"), max_length=100,
                                             blank=True)
    age_exception_no = models.CharField(_("văn bản đồng ý kết nạp người trên 60 tuổi"),
                                        max_length=100, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=16, choices=Outcome.choices,
                               default=Outcome.PENDING)
    outcome_on = models.DateField(_("ngày rút tên, không kết nạp"), null=True, blank=True)
    member = models.OneToOneField(Member, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="candidacy", verbose_name=_("đảng viên"))

    objects = CandidateQuerySet.as_manager()
    scope_path_field = "cell__path"
    view_capability = "member.view"  # a candidate's file is personal data, as a member's

    class Meta:
        db_table = "candidate"
        verbose_name = _("quần chúng ưu tú")
        constraints = [
            models.CheckConstraint(
                condition=Q(cell_votes_for__isnull=True) | Q(cell_votes_total__isnull=False,
                                                             cell_votes_for__lte=models.F(
                                                                 "cell_votes_total")),
                name="candidate_votes"),
        ]
        indexes = [
            # The statistics and findings read a subtree's candidates by cell with their dates.
            models.Index(fields=["cell", "listed_on"], name="candidate_cell"),
            models.Index(fields=["decision_on"], name="candidate_decision"),
            models.Index(fields=["outcome_on"], name="candidate_outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.full_name}"
