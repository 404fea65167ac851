from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FindingsConfig(AppConfig):
    """Record findings and the exceptions recorded to them: platform machinery that every
    process registers its finding rules with (chibo.findings.rules)."""

    name = "chibo.findings"
    label = "findings"
    verbose_name = _("Phát hiện và ngoại lệ")

    def ready(self):
        from chibo.audit.registry import register_actions

        register_actions({"finding.exception": _("Ghi ngoại lệ được chấp thuận cho một phát hiện")})
