from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "chibo.stats"
    label = "stats"
    verbose_name = _("Thống kê")

    def ready(self):
        from chibo.organizations import views as org_views
        from chibo.stats import dashboard

        if dashboard.organization_page not in org_views.DETAIL_CONTEXT:
            org_views.DETAIL_CONTEXT.append(dashboard.organization_page)
