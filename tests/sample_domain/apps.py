from django.apps import AppConfig


class SampleDomainConfig(AppConfig):
    """Everything the sample domain adds to the shared machinery, registered here only."""

    name = "tests.sample_domain"
    label = "sample_domain"
    verbose_name = "Chuyến thăm (miền mẫu của bộ kiểm thử)"

    def ready(self):
        from chibo.accounts.choices import Role
        from chibo.accounts.policy import register_capability
        from chibo.audit.registry import register_actions
        from chibo.core import registry
        from chibo.interchange.sections import register_section
        from chibo.stats.groups import register_group
        from tests.sample_domain import bundle, metrics
        from tests.sample_domain.capabilities import MANAGE_SAMPLE

        register_capability(MANAGE_SAMPLE, "Ghi chuyến thăm", roles=(Role.ORGANIZER, Role.CLERK))
        register_actions({"sample.visit": "Ghi chuyến thăm"})
        register_section(bundle.SECTION)
        register_group(metrics.GROUP)
        registry.register_pages("sample", "sample/", "tests.sample_domain.urls", order=900)
        registry.register_api("sample", "/sample", "tests.sample_domain.api.router", order=900)
