from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuesConfig(AppConfig):
    name = "chibo.dues"
    label = "dues"
    verbose_name = _("Đảng phí")

    def ready(self):
        from chibo.accounts.choices import Role
        from chibo.accounts.policy import register_capability
        from chibo.audit.registry import register_actions
        from chibo.core import registry
        from chibo.core.registry import register_api
        from chibo.dues import bundle, findings, metrics, queries, services
        from chibo.dues.capabilities import CONFIGURE_DUES, RECORD_DUES, VIEW_DUES
        from chibo.interchange.sections import register_section
        from chibo.stats.groups import register_group

        # The removal ground the dues show (chibo.removal).
        registry.add(registry.REMOVAL_GROUNDS, registry.RemovalGround(
            "unpaid_dues", _("Không đóng đảng phí ba tháng trong năm không có lý do chính đáng"),
            queries.unpaid_evidence, order=20))
        register_capability(VIEW_DUES, _("Xem đảng phí"), roles=(
            Role.TREASURER, Role.SECRETARY, Role.CLERK, Role.ORGANIZER, Role.INSPECTOR))
        register_capability(RECORD_DUES, _("Thu, ghi đảng phí"),
                            roles=(Role.TREASURER, Role.CLERK))
        register_capability(CONFIGURE_DUES, _("Cấu hình mức đóng, tỷ lệ trích đảng phí"),
                            roles=())
        register_section(bundle.SECTION)
        findings.register()
        register_group(metrics.PAID_GROUP)
        register_group(metrics.UNPAID_GROUP)
        register_actions(services.ACTIONS)
        register_api("dues", "/dues", "chibo.dues.api.router", order=48)
        self.register_pages()

    def register_pages(self):
        """The sheet, the menu entry and the handbook's card."""
        from chibo.core import registry
        from chibo.dues import cards
        from chibo.dues.capabilities import VIEW_DUES

        registry.register_pages("dues", "", "chibo.dues.urls", order=38)
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "dues", _("Đảng phí"), "dues:sheet", VIEW_DUES, order=36,
            at_home_organization=True, section="work"))
        registry.add(registry.HANDBOOK_CARDS, registry.Card(
            "dues", "dues/handbook_card.html", cards.handbook_card, order=34))
        # The member's own copy of their data (the handbook's "Tải dữ liệu của tôi").
        registry.add(registry.MEMBER_DATA, registry.MemberData(
            "dues.payments", _("Đảng phí đã nộp"), lambda member: list(
                member.dues_payments.order_by("month").values(
                    "month", "amount", "paid_on", "category", "basis_amount", "channel")),
            order=45))
        # chibo demo's dues of 2025–2026 (chibo.dues.demo), once the members are loaded.
        from chibo.dues import demo

        registry.add(registry.DEMO_BUILDERS, registry.DemoBuilder(
            "dues", demo.build_for_demo, depends_on=("ratings",), order=50))
