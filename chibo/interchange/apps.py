from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    name = "chibo.interchange"
    label = "interchange"
    verbose_name = _("Nhập, xuất dữ liệu")

    def ready(self):
        from chibo.accounts.policy import Capability
        from chibo.audit.registry import register_actions
        from chibo.core import registry
        from chibo.interchange import lists, records
        from chibo.lists.spec import register_list

        registry.register_pages("interchange", "import/", "chibo.interchange.urls", order=50)
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "interchange", _("Nhập dữ liệu"), "interchange:upload", Capability.IMPORT_BUNDLE,
            order=60, section="admin"))

        register_actions({"bundle.import": _("Nhập gói dữ liệu")})
        records.register()
        register_list(lists.RUNS)
        register_list(lists.RUN_ERRORS)
