"""The early reasons of a badge (spec BUNDLE-v2.md badges.csv `early_reason`; RULES.md §7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EarlyReason(models.TextChoices):
    ILL = "ill", _("Ốm nặng")
    POSTHUMOUS = "posthumous", _("Truy tặng")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Đã đề nghị")
    AWARDED = "awarded", _("Đã quyết định tặng")
