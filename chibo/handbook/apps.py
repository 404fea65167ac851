from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandbookConfig(AppConfig):
    name = "chibo.handbook"
    label = "handbook"
    verbose_name = _("Sổ tay đảng viên")

    def ready(self):
        from chibo.audit.registry import register_actions
        from chibo.core import registry

        registry.register_pages("handbook", "handbook/", "chibo.handbook.urls", order=80)

        register_actions({
            "handbook.review_save": _("Lưu bản tự kiểm điểm"),
            "handbook.review_submit": _("Nộp bản tự kiểm điểm"),
        })
