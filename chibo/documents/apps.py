from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "chibo.documents"
    label = "documents"
    verbose_name = _("Tài liệu")

    def ready(self):
        from chibo.audit.registry import register_actions

        register_actions({
            "document.publish": _("Ban hành tài liệu lên thư viện"),
            "document.withdraw": _("Thu hồi tài liệu khỏi thư viện"),
        })
