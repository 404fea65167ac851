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
        # chibo demo: the inspections, supervisions and discipline of 2020 on, after the
        # candidates and courses (chibo.inspection.demo).
        from chibo.core import registry
        from chibo.core.registry import DEMO_BUILDERS, DemoBuilder, add
        from chibo.inspection import demo

        add(DEMO_BUILDERS, DemoBuilder("inspection", demo.build_for_demo, order=40))
        # The report "Báo cáo công tác kiểm tra, giám sát và thi hành kỷ luật đảng" (Excel,
        # Word): its page and downloads, and its endpoint (chibo.inspection.report).
        registry.register_pages("inspection-report", "", "chibo.inspection.report_urls")
        registry.register_api("inspection-report", "/inspection-report",
                              "chibo.inspection.report_api.router")
