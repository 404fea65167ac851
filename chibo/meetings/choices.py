from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Sinh hoạt thường kỳ")
    THEMATIC = "thematic", _("Sinh hoạt chuyên đề")
    EXTRAORDINARY = "extraordinary", _("Sinh hoạt bất thường")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Đã lên lịch")
    CLOSED = "closed", _("Đã kết thúc")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Có mặt")
    ONLINE = "online", _("Dự trực tuyến")
    EXCUSED = "excused", _("Vắng có lý do")
    UNEXCUSED = "unexcused", _("Vắng không có lý do")
    EXEMPT = "exempt", _("Miễn sinh hoạt")


ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.ONLINE)
# Statuses a secretary records for a member who is not exempt on the meeting day.
COUNTED = (AttendanceStatus.PRESENT, AttendanceStatus.ONLINE, AttendanceStatus.EXCUSED,
           AttendanceStatus.UNEXCUSED)


class GuestRole(models.TextChoices):
    HIGHER_LEVEL = "higher_level", _("Cấp ủy cấp trên dự sinh hoạt")
    INVITED_SECRETARY = "invited_secretary", _("Bí thư chi bộ khác được mời (sinh hoạt mẫu)")
    OTHER = "other", _("Khách mời khác")


# The standard agenda (HD 09/2012, still used locally; RULES.md §5), prefilled on a new meeting.
STANDARD_AGENDA = (
    (_("Phần mở đầu"), (
        _("Thu đảng phí"),
        _("Báo cáo số đảng viên có mặt, vắng mặt (có lý do, không lý do), miễn sinh hoạt"),
        _("Thông qua chương trình sinh hoạt"),
        _("Cử thư ký ghi biên bản"),
    )),
    (_("Phần nội dung"), (
        _("Thông tin thời sự"),
        _("Đánh giá kết quả thực hiện nhiệm vụ tháng trước"),
        _("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
        _("Ý kiến, kiến nghị của nhân dân"),
        _("Nhiệm vụ tháng tới và phân công đảng viên"),
    )),
    (_("Phần kết thúc"), (
        _("Biểu quyết thông qua kết luận hoặc nghị quyết của chi bộ"),
        _("Thông qua biên bản"),
    )),
)


def standard_agenda_text() -> str:
    lines = []
    for part, items in STANDARD_AGENDA:
        lines.append(str(part))
        lines.extend(f"- {item}" for item in items)
    return "\n".join(lines)
