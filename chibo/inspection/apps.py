from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "chibo.inspection"
    label = "inspection"
    verbose_name = _("Kiểm tra, giám sát, kỷ luật")

    def ready(self):
        from chibo.accounts.choices import Role
        from chibo.accounts.policy import register_capability
        from chibo.inspection import bundle, findings, metrics
        from chibo.inspection.capabilities import MANAGE_INSPECTION, VIEW_INSPECTION
        from chibo.interchange.sections import register_section
        from chibo.stats.groups import register_group

        # The cases are confidential: the inspection officers of the subtree (an administrator
        # holds every capability); other officers of the subtree get 403.
        register_capability(VIEW_INSPECTION, _("Xem hồ sơ kiểm tra, giám sát, kỷ luật"),
                            roles=(Role.INSPECTOR,))
        register_capability(MANAGE_INSPECTION, _("Quản lý kiểm tra, giám sát, kỷ luật"),
                            roles=(Role.INSPECTOR,))
        register_section(bundle.SECTION)
        findings.register()
        register_group(metrics.INSPECTION)
        register_group(metrics.DISCIPLINE)

        from chibo.audit.registry import register_actions
        from chibo.core.registry import register_api
        from chibo.inspection import services

        register_actions(services.ACTIONS)
        register_api("inspection", "/inspection", "chibo.inspection.api.router", order=45)
        self.register_pages()

        # chibo demo: the inspections, supervisions and discipline of 2020 on, after the
        # candidates and courses (chibo.inspection.demo).
        from chibo.core import registry
        from chibo.inspection import demo

        registry.add(registry.DEMO_BUILDERS,
                     registry.DemoBuilder("inspection", demo.build_for_demo, order=40))
        # The report "Báo cáo công tác kiểm tra, giám sát và thi hành kỷ luật đảng" (Excel,
        # Word): its page and downloads, and its endpoint (chibo.inspection.report).
        registry.register_pages("inspection-report", "", "chibo.inspection.report_urls")
        registry.register_api("inspection-report", "/inspection-report",
                              "chibo.inspection.report_api.router")

    def register_pages(self):
        """The pages (chibo.inspection.urls), the lists, the menu entry, the inspectors' home
        card, the member page's section and the handbook's card (docs/inspection-pages.md)."""
        from chibo.core import registry
        from chibo.inspection import cards, handbook, lists
        from chibo.inspection.capabilities import VIEW_INSPECTION
        from chibo.lists.spec import register_list

        registry.register_pages("inspection", "", "chibo.inspection.urls", order=36)
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "inspection", _("Kiểm tra, giám sát, kỷ luật"), "inspection:list", VIEW_INSPECTION,
            order=36, at_home_organization=True, section="inspection"))
        registry.add(registry.HOME_CARDS, registry.Card(
            "inspection", "inspection/home_card.html", cards.home_card, VIEW_INSPECTION,
            order=36))
        registry.add(registry.MEMBER_SECTIONS, registry.MemberSection(
            "inspection", "inspection/member_section.html", cards.member_section,
            VIEW_INSPECTION, order=60))
        registry.add(registry.HANDBOOK_CARDS, registry.Card(
            "inspection", "inspection/handbook_card.html", handbook.handbook_card, order=28))
        for each in (lists.INSPECTIONS, lists.DISCIPLINES, lists.FOLLOW_UPS, lists.PROGRAMMES):
            register_list(each)
