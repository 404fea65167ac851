from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    PROVINCIAL = "provincial", _("Đảng bộ tỉnh")
    DISTRICT = "district", _("Đảng bộ cấp huyện")
    BLOC = "bloc", _("Đảng bộ khối")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Đảng bộ cơ sở")
    GRASSROOTS_CELL = "grassroots_cell", _("Chi bộ cơ sở")
    PARTIAL_COMMITTEE = "partial_committee", _("Đảng bộ bộ phận")
    CELL = "cell", _("Chi bộ trực thuộc")


K = OrgKind
# The kinds each kind may sit under (spec/BUNDLE.md); a provincial committee is a root.
ALLOWED_PARENT_KINDS: dict[str, frozenset[str]] = {
    K.PROVINCIAL: frozenset(),
    K.DISTRICT: frozenset({K.PROVINCIAL}),
    K.BLOC: frozenset({K.PROVINCIAL}),
    K.GRASSROOTS_COMMITTEE: frozenset({K.PROVINCIAL, K.DISTRICT, K.BLOC}),
    K.GRASSROOTS_CELL: frozenset({K.PROVINCIAL, K.DISTRICT, K.BLOC}),
    K.PARTIAL_COMMITTEE: frozenset({K.GRASSROOTS_COMMITTEE}),
    K.CELL: frozenset({K.GRASSROOTS_COMMITTEE, K.PARTIAL_COMMITTEE}),
}
# Kinds whose members are held directly (a member belongs to a cell).
MEMBER_HOLDING_KINDS = frozenset({K.CELL, K.GRASSROOTS_CELL})


class Sector(models.TextChoices):
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    TOWN = "town", _("Thị trấn")
    AGENCY = "agency", _("Cơ quan")
    PUBLIC_SERVICE_UNIT = "public_service_unit", _("Đơn vị sự nghiệp")
    STATE_ENTERPRISE = "state_enterprise", _("Doanh nghiệp nhà nước")
    NON_STATE_ENTERPRISE = "non_state_enterprise", _("Doanh nghiệp ngoài nhà nước")
    ARMY = "army", _("Quân đội")
    POLICE = "police", _("Công an")
    OTHER = "other", _("Khác")


class VillageKind(models.TextChoices):
    VILLAGE = "village", _("Thôn, bản")
    RESIDENTIAL_GROUP = "residential_group", _("Tổ dân phố")


class ChangeKind(models.TextChoices):
    MOVE = "move", _("Chuyển trực thuộc")
    RENAME = "rename", _("Đổi tên")
    MERGE = "merge", _("Hợp nhất vào tổ chức khác")
    DISSOLVE = "dissolve", _("Giải thể")
