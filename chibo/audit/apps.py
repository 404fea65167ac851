from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "chibo.audit"
    label = "audit"
    verbose_name = _("Nhật ký thay đổi")

    def ready(self):
        from chibo.accounts.policy import Capability
        from chibo.audit.lists import TRAIL
        from chibo.core import registry
        from chibo.lists.spec import register_list

        registry.register_pages("audit", "audit/", "chibo.audit.urls", order=40)
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "audit", _("Nhật ký"), "audit:trail", Capability.VIEW_AUDIT_TRAIL, order=70,
            section="admin"))
        register_list(TRAIL)
