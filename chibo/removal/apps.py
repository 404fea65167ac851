from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemovalConfig(AppConfig):
    name = "chibo.removal"
    label = "removal"
    verbose_name = _("Xóa tên đảng viên")

    def ready(self):
        from chibo.accounts.choices import Role
        from chibo.accounts.policy import Capability, register_capability
        from chibo.audit.registry import register_actions
        from chibo.core import registry
        from chibo.lists.spec import register_list
        from chibo.removal import cards, lists, services
        from chibo.removal.capabilities import DECIDE_REMOVAL, PROPOSE_REMOVAL

        # The cell proposes (its secretary); the committee decides, its organization board and
        # office recording the decision as they record its other decisions on member files.
        register_capability(PROPOSE_REMOVAL, _("Đề nghị xóa tên đảng viên của chi bộ"),
                            roles=(Role.ORGANIZER, Role.CLERK, Role.SECRETARY))
        register_capability(DECIDE_REMOVAL, _("Quyết định xóa tên đảng viên"),
                            roles=(Role.ORGANIZER, Role.CLERK))
        register_actions(services.ACTIONS)
        registry.register_pages("removal", "", "chibo.removal.urls", order=38)
        registry.register_api("removal", "/removals", "chibo.removal.api.router", order=48)
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "removal", _("Xóa tên đảng viên"), "removal:list", Capability.VIEW_MEMBERS,
            order=36, at_home_organization=True, section="work"))
        registry.add(registry.MEMBER_SECTIONS, registry.MemberSection(
            "removal", "removal/member_section.html", cards.member_section, order=60))
        register_list(lists.REMOVALS)
        # chibo demo's cases, once the meetings (their absences) and the ratings are built.
        from chibo.removal import demo

        registry.add(registry.DEMO_BUILDERS, registry.DemoBuilder(
            "removal", demo.build_for_demo, depends_on=("meetings", "ratings"), order=50))
