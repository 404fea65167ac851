from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "chibo.stats"
    label = "stats"
    verbose_name = _("Thống kê")

    def ready(self):
        from chibo.accounts.policy import Capability
        from chibo.core import registry
        from chibo.organizations import views as org_views
        from chibo.stats import dashboard, figures

        registry.register_pages("stats", "stats/", "chibo.stats.urls", order=60)
        registry.register_api("stats", "/stats", "chibo.stats.api.router", order=30)
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "stats", _("Thống kê"), "stats:page", Capability.VIEW_STATS, order=40,
            at_home_organization=True))
        for figure in (
                figures.metric_figure("members.total", "members.total", _("Đảng viên"), order=10),
                figures.metric_figure("admitted", "admitted", _("Kết nạp trong năm"), order=20)):
            registry.add(registry.HOME_FIGURES, figure)

        if dashboard.organization_page not in org_views.DETAIL_CONTEXT:
            org_views.DETAIL_CONTEXT.append(dashboard.organization_page)
