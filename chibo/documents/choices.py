from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """Kinds of papers in the library (GLOSSARY: directive kinds, plus guidance and leaflets)."""

    RESOLUTION = "resolution", _("Nghị quyết")
    DIRECTIVE = "directive", _("Chỉ thị")
    CONCLUSION = "conclusion", _("Kết luận")
    REGULATION = "regulation", _("Quy định")
    GUIDANCE = "guidance", _("Hướng dẫn")
    PLAN = "plan", _("Kế hoạch, chương trình hành động")
    LEAFLET = "leaflet", _("Tài liệu tóm tắt, tuyên truyền")
    OTHER = "other", _("Tài liệu khác")
