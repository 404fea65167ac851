from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "chibo.liaison"
    label = "liaison"
    verbose_name = _("Giữ mối liên hệ với nơi cư trú")

    def ready(self):
        from chibo.accounts.choices import Role
        from chibo.accounts.policy import register_capability
        from chibo.audit.registry import register_actions
        from chibo.core.registry import register_api
        from chibo.interchange.sections import register_section
        from chibo.liaison import bundle, findings, metrics, services
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
        register_actions(services.ACTIONS)
        register_api("liaison", "/liaison", "chibo.liaison.api.router", order=49)
        self.register_pages()
        from chibo.core import registry
        from chibo.liaison import demo

        registry.add(registry.DEMO_BUILDERS, registry.DemoBuilder(
            "liaison", demo.build_for_demo, order=50))

    def register_pages(self):
        """The working side's list and the residence side's narrow list, each in the menu."""
        from chibo.accounts.policy import Capability
        from chibo.core import registry
        from chibo.liaison import cards
        from chibo.liaison.capabilities import VIEW_RESIDENCE

        registry.register_pages("liaison", "", "chibo.liaison.urls", order=39)
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "liaison", _("Giới thiệu về nơi cư trú"), "liaison:working",
            Capability.VIEW_MEMBERS, order=36, at_home_organization=True, section="work"))
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "liaison.residents", _("Đảng viên giữ mối liên hệ nơi cư trú"),
            "liaison:residents", VIEW_RESIDENCE, order=37, at_home_organization=True,
            section="work"))
        registry.add(registry.MEMBER_SECTIONS, registry.MemberSection(
            "liaison", "liaison/member_section.html", cards.member_section, order=57))
