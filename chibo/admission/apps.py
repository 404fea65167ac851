from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionConfig(AppConfig):
    name = "chibo.admission"
    label = "admission"
    verbose_name = _("Phát triển đảng viên")

    def ready(self):
        from chibo.accounts.choices import Role
        from chibo.accounts.policy import Capability, register_capability
        from chibo.admission import bundle, cards, findings, lists, metrics, services
        from chibo.admission.capabilities import MANAGE_ADMISSION
        from chibo.audit.registry import register_actions
        from chibo.core import registry
        from chibo.interchange.sections import register_section
        from chibo.lists.spec import register_list
        from chibo.stats.groups import register_group

        registry.register_pages("admission", "", "chibo.admission.urls", order=35)
        registry.register_api("admission", "/admission", "chibo.admission.api.router",
                              order=55)
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "admission", _("Phát triển đảng viên"), "admission:list", Capability.VIEW_MEMBERS,
            order=32, at_home_organization=True, section="work"))
        registry.add(registry.HOME_CARDS, registry.Card(
            "admission", "admission/home_card.html", cards.home_card, MANAGE_ADMISSION,
            order=32))
        register_list(lists.CANDIDATES)
        register_list(lists.NO_ADMISSION)
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
        from chibo.admission import handbook  # the sponsor's card of the handbook
        handbook.register()
        register_capability(MANAGE_ADMISSION, _("Quản lý phát triển đảng viên"),
                            roles=(Role.ORGANIZER, Role.CLERK, Role.SECRETARY))
        from chibo.admission import demo
        from chibo.core.registry import DEMO_BUILDERS, DemoBuilder, add

        add(DEMO_BUILDERS, DemoBuilder("admission", demo.build_for_demo, order=30))
