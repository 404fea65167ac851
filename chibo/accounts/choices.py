from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles a user holds on an organization; each covers that organization's whole subtree."""

    ADMIN = "admin", _("Quản trị hệ thống")
    ORGANIZER = "organizer", _("Cán bộ tổ chức")
    INSPECTOR = "inspector", _("Cán bộ kiểm tra")
    CLERK = "clerk", _("Văn phòng cấp ủy")
    SECRETARY = "secretary", _("Bí thư chi bộ")
    TREASURER = "treasurer", _("Thủ quỹ chi bộ (thu đảng phí)")
    VIEWER = "viewer", _("Xem thống kê")
    MEMBER = "member", _("Đảng viên")
