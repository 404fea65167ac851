from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """Where a candidate's file ends (spec BUNDLE-v2.md, candidates.csv `outcome`)."""

    PENDING = "pending", _("Đang xem xét")
    ADMITTED = "admitted", _("Đã kết nạp")
    WITHDRAWN = "withdrawn", _("Rút tên")
    REJECTED = "rejected", _("Không kết nạp")


# The outcomes dated by `outcome_on` (an admission is dated by its decision).
CLOSED_WITHOUT_DECISION = (Outcome.WITHDRAWN, Outcome.REJECTED)


class Stage(models.TextChoices):
    """The furthest step of the pipeline a candidate reached by a day (METRICS-v2
    `candidates.<stage>`)."""

    LISTED = "listed", _("Trong danh sách quần chúng ưu tú")
    TRAINED = "trained", _("Đã học lớp nhận thức về Đảng")
    CELL_RESOLVED = "cell_resolved", _("Chi bộ đã ra nghị quyết")
    COMMITTEE_RESOLVED = "committee_resolved", _("Đảng ủy cơ sở đã ra nghị quyết")
