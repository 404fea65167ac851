from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "chibo.ratings"
    label = "ratings"
    verbose_name = _("Đánh giá, xếp loại chất lượng")

    def ready(self):
        from chibo.accounts.choices import Role
        from chibo.accounts.policy import register_capability
        from chibo.audit.registry import register_actions
        from chibo.core.registry import register_api
        from chibo.interchange.sections import register_section
        from chibo.ratings import bundle, findings, metrics, services
        from chibo.ratings.capabilities import MANAGE_RATINGS, PROPOSE_RATINGS
        from chibo.stats.groups import register_group

        # The committee decides; its organization board and office record the decision (the
        # holders of admission.manage); a cell's secretary proposes for the cell's members.
        register_capability(MANAGE_RATINGS, _("Quyết định đánh giá, xếp loại chất lượng"),
                            roles=(Role.ORGANIZER, Role.CLERK))
        register_capability(PROPOSE_RATINGS, _("Đề xuất xếp loại đảng viên của chi bộ"),
                            roles=(Role.ORGANIZER, Role.CLERK, Role.SECRETARY))
        register_section(bundle.SECTION)
        findings.register()
        register_group(metrics.GROUP)
        register_actions(services.ACTIONS)
        register_api("ratings", "/ratings", "chibo.ratings.api.router", order=47)
        self.register_pages()
        # chibo demo's ratings, after the discipline that caps them; the yearly report's page
        # and endpoint (docs/ratings-demo-report.md).
        from chibo.core import registry
        from chibo.ratings import demo

        registry.add(registry.DEMO_BUILDERS, registry.DemoBuilder(
            "ratings", demo.build_for_demo, depends_on=("inspection",), order=45))
        registry.register_pages("ratings-report", "", "chibo.ratings.report_urls")
        register_api("ratings-report", "/ratings-report", "chibo.ratings.report_api.router")

    def register_pages(self):
        """The lists (chibo.ratings.lists), the menu entry, the member page's section and the
        handbook's card (docs/ratings.md, "Pages")."""
        from chibo.accounts.policy import Capability
        from chibo.core import registry
        from chibo.lists.spec import register_list
        from chibo.ratings import cards, charts, lists, queries

        registry.register_pages("ratings", "", "chibo.ratings.urls", order=37)
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "ratings", _("Đánh giá, xếp loại"), "ratings:list", Capability.VIEW_MEMBERS,
            order=34, at_home_organization=True, section="work"))
        registry.add(registry.MEMBER_SECTIONS, registry.MemberSection(
            "ratings", "ratings/member_section.html", cards.member_section, order=55))
        registry.add(registry.HANDBOOK_CARDS, registry.Card(
            "ratings", "ratings/handbook_card.html", cards.handbook_card, order=32))
        for each in (lists.RATINGS, lists.CAMPAIGN, lists.COMMENDATIONS):
            register_list(each)
        registry.add(registry.REMOVAL_GROUNDS, registry.RemovalGround(
            "not_complete_two_years", _("Vi phạm tư cách đảng viên hai năm liền (xếp loại không "
                                        "hoàn thành nhiệm vụ)"),
            queries.not_complete_evidence, order=30))
        registry.add(registry.DASHBOARD_CHARTS, registry.DashboardChart(
            "ratings-good-plus", _("Tỷ lệ xếp loại hoàn thành tốt nhiệm vụ trở lên"),
            charts.good_plus_share, kind="lines", percent=True, order=40))
