from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "chibo.meetings"
    label = "meetings"
    verbose_name = _("Sinh hoạt chi bộ")

    def ready(self):
        from chibo.audit.registry import register_actions
        from chibo.meetings import checks  # noqa: F401  (registers the meeting rule checks)

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
