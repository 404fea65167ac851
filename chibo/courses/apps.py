from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "chibo.courses"
    label = "courses"
    verbose_name = _("Bồi dưỡng, đào tạo")

    def ready(self):
        from chibo.accounts.choices import Role
        from chibo.accounts.policy import register_capability
        from chibo.audit.registry import register_actions
        from chibo.courses import bundle, findings, metrics, services
        from chibo.courses.capabilities import MANAGE_COURSES
        from chibo.interchange.sections import register_section
        from chibo.stats.groups import register_group

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
