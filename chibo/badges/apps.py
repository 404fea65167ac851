from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BadgesConfig(AppConfig):
    name = "chibo.badges"
    label = "badges"
    verbose_name = _("Huy hiệu Đảng")

    def ready(self):
        from chibo.accounts.choices import Role
        from chibo.accounts.policy import register_capability
        from chibo.audit.registry import register_actions
        from chibo.badges import bundle, findings, metrics, services
        from chibo.badges.capabilities import MANAGE_BADGES, PROPOSE_BADGES
        from chibo.interchange.sections import register_section
        from chibo.stats.groups import register_group

        # The provincial committee decides (its organization board and office record it); a
        # cell's secretary proposes the cell's members, the officers above propose upward.
        register_capability(MANAGE_BADGES, _("Quyết định tặng Huy hiệu Đảng"),
                            roles=(Role.ORGANIZER, Role.CLERK))
        register_capability(PROPOSE_BADGES, _("Đề nghị tặng Huy hiệu Đảng"),
                            roles=(Role.ORGANIZER, Role.CLERK, Role.SECRETARY))
        register_section(bundle.SECTION)
        findings.register()
        register_group(metrics.GROUP)
        register_actions(services.ACTIONS)
