from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class ProfessionalLevel(models.TextChoices):
    NONE = "none", _("Chưa qua đào tạo")
    VOCATIONAL = "vocational", _("Sơ cấp nghề")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    COLLEGE = "college", _("Cao đẳng")
    UNIVERSITY = "university", _("Đại học")
    MASTER = "master", _("Thạc sĩ")
    DOCTOR = "doctor", _("Tiến sĩ")


class TheoryLevel(models.TextChoices):
    NONE = "none", _("Chưa qua đào tạo")
    ELEMENTARY = "elementary", _("Sơ cấp")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    ADVANCED = "advanced", _("Cao cấp")


class MemberStatus(models.TextChoices):
    """Where a membership stands today (the replay's phase and status, in one word)."""

    PROBATIONARY = "probationary", _("Dự bị")
    OFFICIAL = "official", _("Chính thức")
    TRANSFERRED_OUT = "transferred_out", _("Đã chuyển đi")
    REMOVED = "removed", _("Đã xóa tên")
    EXPELLED = "expelled", _("Đã khai trừ")
    LEFT = "left", _("Cho ra khỏi Đảng")
    DIED = "died", _("Đã từ trần")
    NOT_RECOGNIZED = "not_recognized", _("Không được công nhận chính thức")


ACTIVE_STATUSES = frozenset({MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL})
STATUS_OF_ENDING = {
    "remove": MemberStatus.REMOVED, "expel": MemberStatus.EXPELLED, "leave": MemberStatus.LEFT,
    "die": MemberStatus.DIED, "not_recognized": MemberStatus.NOT_RECOGNIZED,
}


class EventKindChoices(models.TextChoices):
    OFFICIAL = "official", _("Công nhận đảng viên chính thức")
    TRANSFER = "transfer", _("Chuyển sinh hoạt đảng")
    TRANSFER_OUT = "transfer_out", _("Chuyển sinh hoạt ra ngoài đảng bộ")
    EXEMPT = "exempt", _("Miễn công tác và sinh hoạt đảng")
    EXEMPT_END = "exempt_end", _("Thôi miễn công tác và sinh hoạt đảng")
    REMOVE = "remove", _("Xóa tên")
    EXPEL = "expel", _("Khai trừ")
    LEAVE = "leave", _("Cho ra khỏi Đảng")
    DIE = "die", _("Từ trần")
    NOT_RECOGNIZED = "not_recognized", _("Không công nhận đảng viên chính thức")
    READMIT = "readmit", _("Kết nạp lại")


class PostRole(models.TextChoices):
    SECRETARY = "secretary", _("Bí thư")
    DEPUTY_SECRETARY = "deputy_secretary", _("Phó Bí thư")
    STANDING_MEMBER = "standing_member", _("Ủy viên Ban Thường vụ")
    COMMITTEE_MEMBER = "committee_member", _("Cấp ủy viên")
    VILLAGE_HEAD = "village_head", _("Trưởng thôn, tổ trưởng tổ dân phố")
    FRONT_WORK_HEAD = "front_work_head", _("Trưởng ban công tác Mặt trận")
    COMMUNE_OFFICIAL = "commune_official", _("Cán bộ, công chức cấp xã")


# The rank of the posts, highest first: the order in which a committee is listed (secretary,
# deputy secretaries, standing committee, committee members, then the village posts).
POST_RANK = {role: rank for rank, role in enumerate(PostRole)}

PARTY_POSTS = frozenset({PostRole.SECRETARY, PostRole.DEPUTY_SECRETARY,
                         PostRole.STANDING_MEMBER, PostRole.COMMITTEE_MEMBER})
VILLAGE_POSTS = frozenset({PostRole.VILLAGE_HEAD, PostRole.FRONT_WORK_HEAD})
