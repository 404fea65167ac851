"""The meeting rules of RULES.md §5, each with its regulation and effective dates.

A later regulation adds a version; a meeting is judged by the version in force on its date, so
the assessment of past meetings does not change when the rule does.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class QualityRule:
    source: str
    valid_from: date
    min_attendance_pct: int  # attendance must be ABOVE this share of counted members
    min_minutes: int
    min_minutes_combined: int  # a regular meeting combined with a thematic one
    max_excused_in_a_row: int  # within the calendar year
    # Inference (the sources say "many members speak" without a number): at least this share of
    # the members present, and at least `min_speakers`, spoke.
    min_speakers_pct: int = 30
    min_speakers: int = 2


QUALITY_RULES = (
    QualityRule("12-HD/BTCTW (06/7/2018)", date(2018, 7, 6), 85, 90, 90, 3),
    QualityRule("42-HD/BTCTW (28/10/2025)", date(2025, 10, 28), 85, 90, 120, 3),
)


def quality_rule_on(day: date) -> QualityRule:
    """The version in force on `day` (the oldest one before it was issued)."""
    current = QUALITY_RULES[0]
    for rule in QUALITY_RULES:
        if rule.valid_from <= day:
            current = rule
    return current


# Codes of the quality criteria a meeting can fail, with what the secretary reads.
QUALITY_CRITERIA = {
    "attendance": _("Tỷ lệ đảng viên dự sinh hoạt không vượt quá 85 %"),
    "unexcused": _("Có đảng viên vắng mặt không có lý do"),
    "excused_streak": _("Có đảng viên vắng có lý do quá 3 lần liên tiếp trong năm"),
    "duration": _("Thời lượng sinh hoạt ngắn hơn quy định"),
    "preparation": _("Thiếu chuẩn bị: chương trình, họp chi ủy trước, dự thảo nghị quyết"),
    "speakers": _("Ít đảng viên phát biểu"),
    "minutes": _("Sổ biên bản ghi chưa đầy đủ"),
}


# Removal from the list (Charter art. 8, QĐ 24 §8.1; RULES.md §1): skipping party activities
# for 3 months in a year without a valid reason.
REMOVAL_SOURCE = "Điều lệ Đảng Điều 8; 294-QĐ/TW (26/5/2025)"
REMOVAL_MONTHS = 3

# Frequency (12-HD/BTCTW 2018, 42-HD/BTCTW 2025): a regular meeting every month; a thematic
# meeting at least once a quarter, which does not replace the monthly one.
FREQUENCY_SOURCE = "12-HD/BTCTW (06/7/2018); 42-HD/BTCTW (28/10/2025)"
# Documents reach members at least one day before the meeting (42-HD/BTCTW).
PUBLISH_LEAD_DAYS = 1
