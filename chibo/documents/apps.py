from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "chibo.documents"
    label = "documents"
    verbose_name = _("Tài liệu")

    def ready(self):
        from chibo.accounts.choices import Role
        from chibo.accounts.policy import register_capability
        from chibo.audit.registry import register_actions
        from chibo.core import registry
        from chibo.documents import demo, lists
        from chibo.documents.capabilities import MANAGE_DOCUMENTS
        from chibo.lists.spec import register_list

        registry.register_pages("documents", "documents/", "chibo.documents.urls", order=70)
        registry.register_api("documents", "/documents", "chibo.documents.api.router", order=40)
        registry.add(registry.MEMBER_DATA, registry.MemberData(
            "documents.reads", _("Tài liệu đã đọc"), lambda member: list(
                member.document_reads.order_by("first_read_at", "pk").values(
                    "document__number", "document__title", "first_read_at")), order=40))
        # Every signed-in user reads the library (each sees the documents addressed to them).
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "documents", _("Tài liệu"), "documents:list", order=50))
        registry.add(registry.DEMO_BUILDERS, registry.DemoBuilder(
            "documents", demo.build_for_demo, order=20))
        register_list(lists.DOCUMENTS)

        register_actions({
            "document.publish": _("Ban hành tài liệu lên thư viện"),
            "document.withdraw": _("Thu hồi tài liệu khỏi thư viện"),
        })
        register_capability(MANAGE_DOCUMENTS, _("Ban hành tài liệu lên thư viện"),
                            roles=(Role.ORGANIZER, Role.CLERK, Role.SECRETARY))
