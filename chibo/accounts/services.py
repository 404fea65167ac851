"""Accounts, role grants and API tokens: every change audited."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chibo.accounts.models import ApiToken, RoleGrant, User, hash_token, token_expiry
from chibo.accounts.policy import Capability, forget_grants, require
from chibo.accounts.second_factor import required_for
from chibo.audit.services import record_change
from chibo.core.exceptions import RuleViolation

TOKEN_PREFIX = "chibo_"
RECOVERY_CODE_COUNT = 10


@transaction.atomic
def create_user(*, actor, username: str, password: str | None, full_name: str = "",
                email: str = "", is_superuser: bool = False) -> User:
    """A new account. Only a system administrator creates another administrator."""
    if is_superuser and not actor.is_superuser:
        raise RuleViolation(_("Chỉ quản trị hệ thống mới tạo được quản trị hệ thống."))
    if User.objects.filter(username=username).exists():
        raise RuleViolation(_("Tên đăng nhập %(u)s đã có.") % {"u": username}, field="username")
    user = User(username=username, full_name=full_name, email=email,
                is_superuser=is_superuser, is_staff=is_superuser)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record_change("account.create", actor=actor, obj=user,
                  after={"username": username, "full_name": full_name,
                         "is_superuser": is_superuser})
    return user


@transaction.atomic
def grant_role(user: User, *, actor, role: str, organization) -> RoleGrant:
    """Give `user` the role on `organization` and its subtree."""
    require(actor, Capability.MANAGE_ACCOUNTS, organization)
    grant, created = RoleGrant.objects.get_or_create(user=user, role=role,
                                                     organization=organization)
    if created:
        record_change("account.grant", actor=actor, obj=user, org=organization,
                      after={"role": role, "organization": organization.code})
    forget_grants(user)
    return grant


@transaction.atomic
def create_token(user: User, *, actor, name: str = "", days: int | None = None,
                 read_only: bool = False) -> tuple[ApiToken, str]:
    """A new personal token, valid for `days` (default settings.API_TOKEN_DAYS), for reading
    only when `read_only`; the raw token is returned once and only its hash is kept."""
    if actor is not user and not actor.is_superuser:
        raise RuleViolation(_("Chỉ chủ tài khoản hoặc quản trị hệ thống tạo được mã truy cập."))
    if days is not None and days < 1:
        raise RuleViolation(_("Số ngày hiệu lực phải từ 1 trở lên."), field="days")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:12],
                                    key_hash=hash_token(raw), expires_at=token_expiry(days),
                                    read_only=read_only)
    record_change("token.create", actor=actor, obj=token, after={
        "user": user.username, "prefix": token.prefix,
        "expires_at": token.expires_at.isoformat(), "read_only": read_only})
    return token, raw


@transaction.atomic
def revoke_token(raw_or_prefix: str, *, actor) -> ApiToken:
    """Revoke a token given in full (or by the prefix that was printed with it)."""
    token = (ApiToken.objects.select_for_update().filter(key_hash=hash_token(raw_or_prefix))
             .first())
    if token is None:
        matches = list(ApiToken.objects.select_for_update().filter(prefix=raw_or_prefix[:12]))
        token = matches[0] if len(matches) == 1 and len(raw_or_prefix) >= 12 else None
    if token is None:
        raise RuleViolation(_("Không có mã truy cập này."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_change("token.revoke", actor=actor, obj=token,
                      after={"user": token.user.username, "prefix": token.prefix})
    return token


def valid_token(raw: str) -> ApiToken | None:
    """The token `raw` if it works now (not revoked, not expired, its user active), with its
    user; None otherwise. Marks the token as used."""
    now = timezone.now()
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=hash_token(raw), revoked_at__isnull=True, expires_at__gt=now)
             .first())
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def enrol_second_factor(user: User, *, actor, key: str, code: str) -> tuple[TOTPDevice,
                                                                             list[str]]:
    """Make the authenticator app holding `key` the user's second factor once it shows a right
    `code`, in place of any earlier one, with ten new recovery codes (returned once, to be
    shown once). A wrong code changes nothing."""
    if actor != user:
        raise RuleViolation(_("Chỉ chủ tài khoản tự thiết lập xác thực hai bước."))
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, key=key, name="authenticator",
                                       confirmed=True)
    if not device.verify_token("".join(code.split())):
        raise RuleViolation(_("Mã không đúng. Hãy nhập mã 6 chữ số đang hiện trên ứng dụng."),
                            field="code")
    codes = _replace_recovery_codes(user)
    record_change("second_factor.enrol", actor=actor, obj=user,
                  after={"user": user.username, "recovery_codes": len(codes)})
    return device, codes


@transaction.atomic
def renew_recovery_codes(user: User, *, actor) -> list[str]:
    """Ten new recovery codes for an enrolled user; the old ones stop working."""
    if actor != user:
        raise RuleViolation(_("Chỉ chủ tài khoản tự tạo mã khôi phục."))
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise RuleViolation(_("Tài khoản chưa thiết lập xác thực hai bước."))
    codes = _replace_recovery_codes(user)
    record_change("second_factor.codes", actor=actor, obj=user,
                  after={"user": user.username, "recovery_codes": len(codes)})
    return codes


@transaction.atomic
def remove_second_factor(user: User, *, actor) -> None:
    """Take away the user's authenticator and recovery codes: by the user, when the province
    does not require a second factor of them; by a system administrator for someone who lost
    both their phone and their codes (they enrol again at their next sign-in if required)."""
    if actor != user and not actor.is_superuser:
        raise RuleViolation(_("Chỉ chủ tài khoản hoặc quản trị hệ thống gỡ được xác thực hai "
                              "bước."))
    if actor == user and required_for(user):
        raise RuleViolation(_("Tỉnh yêu cầu tài khoản này dùng xác thực hai bước."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_change("second_factor.remove", actor=actor, obj=user, after={"user": user.username})


def _replace_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
