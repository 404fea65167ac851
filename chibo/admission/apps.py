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
        # The forms (6-, 8-, 9-KNĐ) and the report "Công tác phát triển đảng viên" (downloads).
        from chibo.core import registry

        registry.register_pages("admission-documents", "", "chibo.admission.document_urls")
        registry.register_api("admission-documents", "/admission-documents",
                              "chibo.admission.document_api.router")
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
