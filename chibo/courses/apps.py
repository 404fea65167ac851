from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "chibo.courses"
    label = "courses"
    verbose_name = _("Bồi dưỡng, đào tạo")

    def ready(self):
        from chibo.accounts.choices import Role
        from chibo.accounts.policy import Capability, register_capability
        from chibo.audit.registry import register_actions
        from chibo.core import registry
        from chibo.courses import bundle, cards, findings, lists, metrics, services
        from chibo.courses.capabilities import MANAGE_COURSES
        from chibo.interchange.sections import register_section
        from chibo.lists.spec import register_list
        from chibo.stats.groups import register_group

        registry.register_pages("courses", "", "chibo.courses.urls", order=45)
        registry.register_api("courses", "/courses", "chibo.courses.api.router", order=65)
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "courses", _("Lớp bồi dưỡng"), "courses:list", Capability.VIEW_ORGS, order=33,
            at_home_organization=True, section="work"))
        registry.add(registry.HANDBOOK_CARDS, registry.Card(
            "courses", "courses/handbook_card.html", cards.handbook_card, order=25))
        registry.add(registry.MEMBER_SECTIONS, registry.MemberSection(
            "courses", "courses/member_section.html", cards.member_section, order=40))
        register_list(lists.COURSES)
        register_section(bundle.SECTION)
        register_group(metrics.GROUP)
        findings.register()
        register_actions(services.ACTIONS)
        register_capability(MANAGE_COURSES, _("Quản lý lớp bồi dưỡng"),
                            roles=(Role.ORGANIZER, Role.CLERK))
        from chibo.core.registry import DEMO_BUILDERS, DemoBuilder, add
        from chibo.courses import demo

        add(DEMO_BUILDERS, DemoBuilder("courses", demo.build_for_demo, depends_on=("admission",),
                                       order=31))
