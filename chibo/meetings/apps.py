from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "chibo.meetings"
    label = "meetings"
    verbose_name = _("Sinh hoạt chi bộ")

    def ready(self):
        from chibo.accounts.choices import Role
        from chibo.accounts.policy import register_capability
        from chibo.audit.registry import register_actions
        from chibo.core import registry
        from chibo.interchange.sections import register_section
        from chibo.meetings import bundle, checks, metrics
        from chibo.meetings.capabilities import MANAGE_MEETINGS
        from chibo.stats.groups import register_group

        registry.register_pages("meetings", "", "chibo.meetings.urls", order=30)
        registry.register_api("meetings", "/meetings", "chibo.meetings.api.router", order=50)

        checks.register()
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
