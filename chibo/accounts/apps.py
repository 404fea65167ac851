from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "chibo.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from chibo.accounts import lockout  # noqa: F401  (its settings check)
        from chibo.audit.registry import register_actions

        register_actions({
            "account.create": _("Tạo tài khoản"),
            "account.grant": _("Giao vai trò"),
            "token.create": _("Tạo mã truy cập API"),
            "token.revoke": _("Thu hồi mã truy cập API"),
            "second_factor.enrol": _("Thiết lập xác thực hai bước"),
            "second_factor.codes": _("Tạo mã khôi phục mới"),
            "second_factor.remove": _("Gỡ xác thực hai bước"),
        })
