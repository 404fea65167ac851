from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    PENDING = "pending", _("Chờ quyết định")
    REMOVED = "removed", _("Đã quyết định xóa tên")
    REJECTED = "rejected", _("Không xóa tên")


# The grounds of Điều lệ Đảng Điều 8 and QĐ 24 §8.1 that no record of chibo shows: the cell's
# document (its resolution, the minutes of its meeting) stands for them. The grounds records
# show are registered by their processes (chibo.core.registry.REMOVAL_GROUNDS).
class DocumentedGround(models.TextChoices):
    CARD_RETURNED = "card_returned", _("Tự trả thẻ đảng viên hoặc tự hủy thẻ đảng viên")
    NO_PROGRESS = "no_progress", _("Giảm sút ý chí phấn đấu, đã được chi bộ giáo dục nhưng sau "
                                   "12 tháng không tiến bộ")
    POLITICAL_STANDARD = "political_standard", _("Không bảo đảm tiêu chuẩn chính trị")
