from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "chibo.organizations"
    label = "organizations"
    verbose_name = _("Tổ chức đảng")

    def ready(self):
        from chibo.audit.registry import register_actions
        from chibo.core import registry

        registry.register_pages("organizations", "org/", "chibo.organizations.urls", order=10)
        registry.register_api("organizations", "/organizations", "chibo.organizations.api.router",
                              order=10)

        register_actions({
            "organization.create": _("Thành lập tổ chức"),
            "organization.update": _("Sửa thông tin tổ chức"),
            "organization.move": _("Chuyển tổ chức"),
            "organization.rename": _("Đổi tên tổ chức"),
            "organization.merge": _("Hợp nhất tổ chức"),
            "organization.dissolve": _("Giải thể tổ chức"),
            "village.create": _("Thêm thôn, tổ dân phố"),
            "village.update": _("Sửa thôn, tổ dân phố"),
        })
