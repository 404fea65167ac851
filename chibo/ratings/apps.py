from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "chibo.ratings"
    label = "ratings"
    verbose_name = _("Đánh giá, xếp loại chất lượng")

    def ready(self):
        from chibo.accounts.choices import Role
        from chibo.accounts.policy import register_capability
        from chibo.ratings.capabilities import MANAGE_RATINGS, PROPOSE_RATINGS

        # The committee decides; its organization board and office record the decision (the
        # holders of admission.manage); a cell's secretary proposes for the cell's members.
        register_capability(MANAGE_RATINGS, _("Quyết định đánh giá, xếp loại chất lượng"),
                            roles=(Role.ORGANIZER, Role.CLERK))
        register_capability(PROPOSE_RATINGS, _("Đề xuất xếp loại đảng viên của chi bộ"),
                            roles=(Role.ORGANIZER, Role.CLERK, Role.SECRETARY))
        from chibo.interchange.sections import register_section
        from chibo.ratings import bundle, findings, metrics
        from chibo.stats.groups import register_group

        register_section(bundle.SECTION)
        findings.register()
        register_group(metrics.GROUP)

        from chibo.audit.registry import register_actions
        from chibo.ratings import services

        register_actions(services.ACTIONS)
        from chibo.core.registry import register_api

        register_api("ratings", "/ratings", "chibo.ratings.api.router", order=47)
