from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "chibo.members"
    label = "members"
    verbose_name = _("Đảng viên")

    def ready(self):
        from chibo.accounts.policy import Capability
        from chibo.audit.registry import register_actions
        from chibo.core import registry
        from chibo.lists.spec import register_list
        from chibo.members import data, findings, hooks, lists
        from chibo.members.choices import EventKindChoices
        from chibo.organizations import services as org_services
        from chibo.organizations import views as org_views

        registry.register_pages("members", "", "chibo.members.urls", order=20)
        registry.register_api("members", "/members", "chibo.members.api.router", order=20)
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "members", _("Đảng viên"), "members:list", Capability.VIEW_MEMBERS, order=20,
            at_home_organization=True, section="records"))

        register_actions({
            "member.admit": _("Kết nạp đảng viên"),
            "member.arrive": _("Tiếp nhận đảng viên từ nơi khác đến"),
            "member.update": _("Sửa hồ sơ đảng viên"),
            "member.post": _("Giao chức vụ"),
            "member.post_end": _("Thôi giữ chức vụ"),
            "member.post_restore": _("Khôi phục chức vụ (quyết định thôi giữ bị xóa bỏ)"),
            "member.account": _("Gắn tài khoản đăng nhập"),
            "member.photo": _("Đổi ảnh hồ sơ đảng viên"),
            "member.photo_reencode": _("Mã hóa lại các ảnh hồ sơ đã lưu (bỏ EXIF)"),
            "member.void": _("Hủy bỏ sự kiện (quyết định bị xóa bỏ từ đầu)"),
            **{f"member.{value}": label for value, label in EventKindChoices.choices},
        })
        findings.register()
        register_list(lists.MEMBERS)
        register_list(lists.BADGES)
        register_list(lists.FILE_READS)
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "members.file_reads", _("Lượt xem hồ sơ"), "members:file_reads",
            Capability.VIEW_AUDIT_TRAIL, order=75, section="admin"))
        for part in data.PARTS:
            registry.add(registry.MEMBER_DATA, part)
        org_services.register_occupancy_check(hooks.members_left_on)
        org_services.register_merge_hook(hooks.follow_merge)
        org_services.register_replace_hook(hooks.follow_replace)

        if hooks.organization_page not in org_views.DETAIL_CONTEXT:
            org_views.DETAIL_CONTEXT.append(hooks.organization_page)
