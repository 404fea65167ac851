from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "chibo.organizations"
    label = "organizations"
    verbose_name = _("Tổ chức đảng")

    def ready(self):
        from chibo.accounts.policy import Capability
        from chibo.audit.registry import register_actions
        from chibo.core import registry
        from chibo.organizations import cards

        registry.register_pages("organizations", "org/", "chibo.organizations.urls", order=10)
        registry.register_api("organizations", "/organizations", "chibo.organizations.api.router",
                              order=10)
        # The tree is every signed-in user's way in, as it was before the menu was registered.
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "organizations", _("Tổ chức đảng"), "organizations:tree", order=10,
            section="records"))
        # The working calendar the rules' deadlines are counted in (chibo.core.workdays).
        registry.register_pages("calendar", "calendar/", "chibo.organizations.calendar_urls",
                                order=15)
        registry.register_api("calendar", "/calendar",
                              "chibo.organizations.calendar_api.router", order=15)
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "calendar", _("Lịch làm việc"), "calendar:year", Capability.VIEW_MEMBERS,
            order=34, section="work"))
        registry.add(registry.HOME_CARDS, registry.Card(
            "organizations", "organizations/home_card.html", cards.home_card, order=10))

        register_actions({
            "organization.create": _("Thành lập tổ chức"),
            "organization.update": _("Sửa thông tin tổ chức"),
            "organization.move": _("Chuyển tổ chức"),
            "organization.rename": _("Đổi tên tổ chức"),
            "organization.merge": _("Hợp nhất tổ chức"),
            "organization.dissolve": _("Giải thể tổ chức"),
            "village.create": _("Thêm thôn, tổ dân phố"),
            "village.update": _("Sửa thôn, tổ dân phố"),
            "calendar.correct": _("Điều chỉnh lịch làm việc"),
            "calendar.restore": _("Bỏ điều chỉnh lịch làm việc"),
        })
