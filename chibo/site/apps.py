from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The composition root: the one package that knows every domain.

    It holds what puts the domains together — the `chibo` commands (chibo.cli names them), the
    demo's orchestration, the home page and the menu — and nothing any domain needs, so that
    `chibo.core` and the shared machinery import no domain (docs/architecture.md)."""

    name = "chibo.site"
    label = "site"
    verbose_name = "chibo"

    def ready(self):
        from chibo.core import registry

        # The menu's headings: the domains file their entries under them (NavEntry.section).
        for key, label, order in (("records", _("Hồ sơ"), 10), ("work", _("Công tác đảng"), 30),
                                  ("inspection", _("Kiểm tra, giám sát"), 35),
                                  ("admin", _("Quản trị"), 80)):
            registry.add(registry.NAV_SECTIONS, registry.NavSection(key, label, order))
        # The officers' help belongs to no domain; it explains the areas and links the API's
        # documentation (which left the menu: few officers use it, and it is one click away).
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "help", _("Hướng dẫn"), "help", order=90))
        # A refused edit (a record changed since its form was opened) tells what changed and
        # who changed it from the audit trail, which the core may not import.
        from chibo.core.concurrency import TRAILS
        from chibo.site.trail import AUDIT_TRAIL

        registry.add(TRAILS, AUDIT_TRAIL)
