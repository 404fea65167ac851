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
        from chibo.core.registry import register_api

        register_api("badges", "/badges", "chibo.badges.api.router", order=48)
        # chibo demo's badges over the years, after the discipline whose delay they mind.
        from chibo.badges import demo
        from chibo.core import registry

        registry.add(registry.DEMO_BUILDERS, registry.DemoBuilder(
            "badges", demo.build_for_demo, depends_on=("inspection",), order=46))
        self.register_pages()

    def register_pages(self):
        """The lists (chibo.badges.lists), the pages that write, the menu entry, the member
        page's section and the handbook's card."""
        from chibo.accounts.policy import Capability
        from chibo.badges import cards, lists
        from chibo.core import registry
        from chibo.lists.spec import register_list

        registry.register_pages("badges", "", "chibo.badges.urls", order=38)
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "badges", _("Huy hiệu Đảng"), "badges:list", Capability.VIEW_MEMBERS,
            order=36, at_home_organization=True, section="work"))
        registry.add(registry.MEMBER_SECTIONS, registry.MemberSection(
            "badges", "badges/member_section.html", cards.member_section, order=57))
        registry.add(registry.HANDBOOK_CARDS, registry.Card(
            "badges", "badges/handbook_card.html", cards.handbook_card, order=33))
        for each in (lists.AWARDED, lists.PROPOSALS, lists.DUE):
            register_list(each)
