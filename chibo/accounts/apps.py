from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chibo.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from chibo.audit.registry import register_actions

        register_actions({
            "account.create": _("Tạo tài khoản"),
            "account.grant": _("Giao vai trò"),
            "token.create": _("Tạo mã truy cập API"),
            "token.revoke": _("Thu hồi mã truy cập API"),
        })
