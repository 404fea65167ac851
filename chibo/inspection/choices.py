"""The values of the inspection, supervision and discipline files (spec BUNDLE-v2.md:
inspections.csv, inspection_subjects.csv, discipline.csv)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What kind of work an inspection (cuộc) is: three kinds of inspection, two of
    supervision (296-QĐ/TW; RULES.md §4)."""

    INSPECTION_REGULAR = "inspection_regular", _("Kiểm tra theo chương trình")
    INSPECTION_ON_SIGNS = "inspection_on_signs", _("Kiểm tra khi có dấu hiệu vi phạm")
    INSPECTION_OTHER = "inspection_other", _("Kiểm tra khác (công tác kiểm tra, giám sát, kỷ "
                                             "luật; tài chính, đảng phí)")
    SUPERVISION_REGULAR = "supervision_regular", _("Giám sát thường xuyên")
    SUPERVISION_THEMATIC = "supervision_thematic", _("Giám sát chuyên đề")

    @classmethod
    def is_inspection(cls, kind: str) -> bool:
        return kind in INSPECTION_KINDS

    @classmethod
    def is_supervision(cls, kind: str) -> bool:
        return kind in SUPERVISION_KINDS


INSPECTION_KINDS = (Kind.INSPECTION_REGULAR, Kind.INSPECTION_ON_SIGNS, Kind.INSPECTION_OTHER)
SUPERVISION_KINDS = (Kind.SUPERVISION_REGULAR, Kind.SUPERVISION_THEMATIC)


class Body(models.TextChoices):
    """Which body of the organization acts (chủ thể): inspections.csv and discipline.csv
    `by_body`. A cell or a partial committee acts as `committee` only."""

    COMMITTEE = "committee", _("Cấp ủy")
    STANDING_COMMITTEE = "standing_committee", _("Ban Thường vụ")
    INSPECTION_COMMISSION = "inspection_commission", _("Ủy ban Kiểm tra")


class Conclusion(models.TextChoices):
    """A subject's conclusion (kết luận); empty while pending."""

    NO_VIOLATION = "no_violation", _("Không vi phạm")
    SHORTCOMINGS = "shortcomings", _("Có hạn chế, khuyết điểm")
    VIOLATION = "violation", _("Có vi phạm")
    VIOLATION_DISCIPLINE_PROPOSED = ("violation_discipline_proposed",
                                     _("Vi phạm đến mức phải xem xét kỷ luật"))


# The conclusions counted as a violation (METRICS-v2 `inspected.*.violation`).
VIOLATIONS = (Conclusion.VIOLATION, Conclusion.VIOLATION_DISCIPLINE_PROPOSED)


class Form(models.TextChoices):
    """A discipline's form (hình thức kỷ luật), 69-QĐ/TW; RULES.md §3."""

    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    DISMISSAL = "dismissal", _("Cách chức")
    EXPULSION = "expulsion", _("Khai trừ")
    DISSOLUTION = "dissolution", _("Giải tán")


MEMBER_FORMS = (Form.REPRIMAND, Form.WARNING, Form.DISMISSAL, Form.EXPULSION)
ORG_FORMS = (Form.REPRIMAND, Form.WARNING, Form.DISSOLUTION)
# A probationary member may receive only these (69-QĐ/TW art. 7).
PROBATIONARY_FORMS = (Form.REPRIMAND, Form.WARNING)
# The forms that end the subject: membership (`expel` event), the organization (`dissolve`).
ENDING_FORMS = (Form.EXPULSION, Form.DISSOLUTION)


class AppealOutcome(models.TextChoices):
    """How an appeal (khiếu nại kỷ luật) was decided."""

    UPHELD = "upheld", _("Giữ nguyên")
    CHANGED = "changed", _("Thay đổi hình thức")
    ANNULLED = "annulled", _("Xóa bỏ quyết định")
