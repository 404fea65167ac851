"""The choices of the residence liaison (RULES.md §8; spec BUNDLE-v2.md residence_liaison.csv)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Feedback(models.TextChoices):
    """The residence cell's yearly opinion on a member (nhận xét 3-213)."""

    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Khá")
    POOR = "poor", _("Chưa tốt")
