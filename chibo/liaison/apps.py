from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "chibo.liaison"
    label = "liaison"
    verbose_name = _("Giữ mối liên hệ với nơi cư trú")

    def ready(self):
        from chibo.accounts.choices import Role
        from chibo.accounts.policy import register_capability
        from chibo.interchange.sections import register_section
        from chibo.liaison import bundle, findings, metrics
        from chibo.liaison.capabilities import VIEW_RESIDENCE, WRITE_FEEDBACK
        from chibo.stats.groups import register_group

        register_capability(VIEW_RESIDENCE, _("Xem đảng viên giữ mối liên hệ nơi cư trú"),
                            roles=(Role.SECRETARY, Role.CLERK, Role.ORGANIZER))
        register_capability(WRITE_FEEDBACK, _("Nhận xét đảng viên giữ mối liên hệ nơi cư trú "
                                              "(3-213)"), roles=(Role.SECRETARY,))
        register_section(bundle.SECTION)
        findings.register()
        register_group(metrics.STOCK_GROUP)
        register_group(metrics.FEEDBACK_GROUP)
