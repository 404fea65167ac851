from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "chibo.meetings"
    label = "meetings"
    verbose_name = _("Sinh hoạt chi bộ")

    def ready(self):
        from chibo.accounts.choices import Role
        from chibo.accounts.policy import Capability, register_capability
        from chibo.audit.registry import register_actions
        from chibo.core import registry
        from chibo.interchange.sections import register_section
        from chibo.lists.spec import register_list
        from chibo.meetings import bundle, cards, checks, demo, figures, lists, metrics
        from chibo.meetings.capabilities import MANAGE_MEETINGS
        from chibo.stats.groups import register_group

        registry.register_pages("meetings", "", "chibo.meetings.urls", order=30)
        registry.add(registry.MEMBER_DATA, registry.MemberData(
            "meetings.attendance", _("Tham dự sinh hoạt chi bộ"), lambda member: list(
                member.attendance.order_by("meeting__date", "meeting__code").values(
                    "meeting__code", "meeting__date", "meeting__kind", "status", "reason",
                    "reported_at")), order=30))
        registry.register_api("meetings", "/meetings", "chibo.meetings.api.router", order=50)
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "meetings", _("Sinh hoạt chi bộ"), "meetings:list", Capability.VIEW_ORGS, order=30,
            at_home_organization=True, section="work"))
        # The findings page reads the statistics of a subtree: the same capability as stats.
        registry.add(registry.NAVIGATION, registry.NavEntry(
            "meetings.findings", _("Kiểm tra theo quy định"), "meetings:findings",
            Capability.VIEW_STATS, order=35, at_home_organization=True,
            section="inspection"))
        registry.add(registry.HOME_CARDS, registry.Card(
            "meetings", "meetings/home_card.html", cards.home_card, Capability.VIEW_ORGS,
            order=30))
        for figure in figures.FIGURES:
            registry.add(registry.HOME_FIGURES, figure)
        registry.add(registry.HANDBOOK_CARDS, registry.Card(
            "meetings", "meetings/handbook_card.html", cards.handbook_card, order=10))
        registry.add(registry.DEMO_BUILDERS, registry.DemoBuilder(
            "meetings", demo.build_for_demo, order=10))

        checks.register()
        # The removal ground the attendance lists show (chibo.removal).
        registry.add(registry.REMOVAL_GROUNDS, registry.RemovalGround(
            "unexcused_absence", _("Bỏ sinh hoạt đảng ba tháng trong năm không có lý do chính "
                                   "đáng"), checks.absence_evidence, order=10))
        register_list(lists.MEETINGS)
        register_list(lists.FINDINGS)
        register_section(bundle.SECTION)
        register_group(metrics.GROUP)

        register_actions({
            "meeting.schedule": _("Lên lịch sinh hoạt chi bộ"),
            "meeting.update": _("Sửa lịch sinh hoạt chi bộ"),
            "meeting.guest": _("Mời khách dự sinh hoạt"),
            "meeting.absence": _("Báo vắng sinh hoạt"),
            "meeting.close": _("Kết thúc buổi sinh hoạt"),
            "meeting.attach": _("Đính kèm tài liệu sinh hoạt"),
            "meeting.publish": _("Công bố tài liệu sinh hoạt"),
            "meeting.task_done": _("Hoàn thành nhiệm vụ được giao"),
        })
        register_capability(MANAGE_MEETINGS, _("Quản lý sinh hoạt chi bộ"),
                            roles=(Role.ORGANIZER, Role.CLERK, Role.SECRETARY))
