"""The levels of the annual review (đánh giá, xếp loại chất lượng), shared by the member's
self-review in the handbook and the ratings that committees decide (RULES.md §2; BUNDLE-v2.md
ratings.csv `level`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The four levels, best first (the same for organizations and members)."""

    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    COMPLETE = "complete", _("Hoàn thành nhiệm vụ")
    NOT_COMPLETE = "not_complete", _("Không hoàn thành nhiệm vụ")


# The levels at or above "good" (METRICS-v2 `good_plus`).
GOOD_PLUS = (Level.EXCELLENT, Level.GOOD)


def rank(level: str) -> int:
    """0 for the best level, 3 for "not complete": a level is above another when its rank is
    lower."""
    return list(Level.values).index(level)


class Subjects(models.TextChoices):
    """Who a rating is of (the quota counts each kind apart: BUNDLE-v2 `ratings.quota`)."""

    ORGS = "orgs", _("Tổ chức đảng")
    MEMBERS = "members", _("Đảng viên")
