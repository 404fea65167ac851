from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "chibo.audit"
    label = "audit"
    verbose_name = _("Nhật ký thay đổi")

    def ready(self):
        from chibo.core import registry

        registry.register_pages("audit", "audit/", "chibo.audit.urls", order=40)
