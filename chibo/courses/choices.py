from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseKind(models.TextChoices):
    """Spec BUNDLE-v2.md, courses.csv `kind`."""

    AWARENESS = "awareness", _("Bồi dưỡng nhận thức về Đảng")
    NEW_MEMBER = "new_member", _("Bồi dưỡng đảng viên mới")
    SECRETARY = "secretary", _("Bồi dưỡng bí thư chi bộ và cấp ủy viên cơ sở")
    THEORY_ELEMENTARY = "political_theory_elementary", _("Lý luận chính trị sơ cấp")
    THEORY_INTERMEDIATE = "political_theory_intermediate", _("Lý luận chính trị trung cấp")
    THEORY_ADVANCED = "political_theory_advanced", _("Lý luận chính trị cao cấp")
    OTHER = "other", _("Lớp khác")


# Who may learn in a course of each kind: candidates in these, members in all but awareness.
FOR_CANDIDATES = (CourseKind.AWARENESS, CourseKind.OTHER)
NOT_FOR_MEMBERS = (CourseKind.AWARENESS,)


class Result(models.TextChoices):
    COMPLETED = "completed", _("Hoàn thành")
    FAILED = "failed", _("Không đạt")
    DROPPED = "dropped", _("Bỏ học")
