from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionConfig(AppConfig):
    name = "chibo.admission"
    label = "admission"
    verbose_name = _("Phát triển đảng viên")

    def ready(self):
        from chibo.accounts.choices import Role
        from chibo.accounts.policy import register_capability
        from chibo.admission import bundle, findings, metrics, services
        from chibo.admission.capabilities import MANAGE_ADMISSION
        from chibo.audit.registry import register_actions
        from chibo.interchange.sections import register_section
        from chibo.stats.groups import register_group

        register_section(bundle.SECTION)
        register_group(metrics.CANDIDATES)
        register_group(metrics.ADMISSION)
        findings.register()
        # A candidate's row judges the age of the admission it carries (admission.age): the
        # member rule members.admission_age leaves it out.
        from chibo.members.findings import CARRIED

        CARRIED.add("admission", findings.carried_admissions)
        register_actions(services.ACTIONS)
        register_capability(MANAGE_ADMISSION, _("Quản lý phát triển đảng viên"),
                            roles=(Role.ORGANIZER, Role.CLERK, Role.SECRETARY))
        from chibo.admission import demo
        from chibo.core.registry import DEMO_BUILDERS, DemoBuilder, add

        add(DEMO_BUILDERS, DemoBuilder("admission", demo.build_for_demo, order=30))
