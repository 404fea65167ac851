"""The choices of party dues (RULES.md §6; spec BUNDLE-v2.md dues.csv `category`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Whom a member's dues are reckoned on (đối tượng đóng đảng phí)."""

    SALARY = "salary", _("Hưởng lương (tiền lương đóng BHXH)")
    BENEFIT = "benefit", _("Hưởng trợ cấp BHXH (ốm đau, thai sản)")
    PENSION = "pension", _("Hưởng lương hưu")
    ALLOWANCE = "allowance", _("Chiến sĩ hưởng phụ cấp")
    STUDENT = "student", _("Học sinh, sinh viên")
    OTHER = "other", _("Đối tượng khác")


class Channel(models.TextChoices):
    """How a payment reached chibo (working state: not in the bundle)."""

    CASH = "cash", _("Nộp tiền mặt tại chi bộ")
    PORTAL = "portal", _("Nộp qua Cổng Dịch vụ công Quốc gia")
    TRANSFER = "transfer", _("Chuyển khoản, kênh khác")
    BUNDLE = "bundle", _("Nhập từ gói dữ liệu")


class Level(models.TextChoices):
    """The levels whose shares of the dues are configured (RULES.md §6, 342-QĐ/TW table): what
    each keeps of what it receives, the rest going to the level above."""

    CELL = "cell", _("Chi bộ trực thuộc đảng ủy cơ sở")
    COMMUNE = "commune", _("Đảng bộ, chi bộ cơ sở xã, phường, thị trấn")
    GRASSROOTS = "grassroots", _("Đảng bộ, chi bộ cơ sở khác")
    ABOVE = "above", _("Mỗi cấp trên cơ sở")
