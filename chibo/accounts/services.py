"""Accounts, role grants and API tokens: every change audited."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.accounts.models import ApiToken, RoleGrant, User, hash_token
from chibo.accounts.policy import Capability, forget_grants, require
from chibo.audit.services import record_change
from chibo.core.exceptions import RuleViolation

TOKEN_PREFIX = "chibo_"


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
def create_token(user: User, *, actor, name: str = "") -> tuple[ApiToken, str]:
    """A new personal token; the raw token is returned once and only its hash is kept."""
    if actor is not user and not actor.is_superuser:
        raise RuleViolation(_("Chỉ chủ tài khoản hoặc quản trị hệ thống tạo được mã truy cập."))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:12],
                                    key_hash=hash_token(raw))
    record_change("token.create", actor=actor, obj=token, after={"user": user.username,
                                                                 "prefix": token.prefix})
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


def user_for_token(raw: str) -> User | None:
    """The active user behind a bearer token, or None. Marks the token as used."""
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=hash_token(raw), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
