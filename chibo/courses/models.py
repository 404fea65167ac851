"""Training courses (lớp bồi dưỡng, đào tạo) opened by a committee, and their learners.

A learner is a member or a candidate (exactly one); a result and a certificate once known
(spec BUNDLE-v2.md, courses.csv and enrollments.csv). Changes go through
chibo.courses.services."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.accounts.querysets import RestrictedQuerySet
from chibo.admission.models import Candidate
from chibo.core.fields import BinaryCharField
from chibo.courses.choices import CourseKind, Result
from chibo.members.models import Member
from chibo.organizations.models import Organization


class CourseQuerySet(RestrictedQuerySet):
    pass


class Course(models.Model):
    code = BinaryCharField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên lớp"), max_length=255)
    kind = models.CharField(_("loại lớp"), max_length=32, choices=CourseKind.choices)
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="courses",
                            verbose_name=_("cấp ủy mở lớp"))
    start_on = models.DateField(_("ngày khai giảng"))
    end_on = models.DateField(_("ngày bế giảng"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    decision_no = models.CharField(_("số quyết định mở lớp"), max_length=100, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = CourseQuerySet.as_manager()
    scope_path_field = "org__path"

    class Meta:
        db_table = "course"
        verbose_name = _("lớp bồi dưỡng")
        constraints = [models.CheckConstraint(condition=Q(start_on__lte=models.F("end_on")),
                                              name="course_dates")]
        indexes = [models.Index(fields=["end_on", "kind", "org"], name="course_end")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EnrollmentQuerySet(RestrictedQuerySet):
    pass


class Enrollment(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="enrollments", verbose_name=_("đảng viên"))
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="enrollments", verbose_name=_("quần chúng"))
    result = models.CharField(_("kết quả"), max_length=16, choices=Result.choices, blank=True)
    certificate_on = models.DateField(_("ngày cấp giấy chứng nhận"), null=True, blank=True)
    certificate_no = models.CharField(_("số giấy chứng nhận"), max_length=100, blank=True)

    objects = EnrollmentQuerySet.as_manager()
    scope_path_field = "course__org__path"

    class Meta:
        db_table = "course_enrollment"
        verbose_name = _("học viên")
        constraints = [
            models.CheckConstraint(condition=Q(member__isnull=True) ^ Q(candidate__isnull=True),
                                   name="enrollment_one_learner"),
            models.UniqueConstraint(fields=["course", "member"], name="enrollment_member_once"),
            models.UniqueConstraint(fields=["course", "candidate"],
                                    name="enrollment_candidate_once"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.member_id or self.candidate_id}"
