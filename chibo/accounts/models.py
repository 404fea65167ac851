import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.accounts.choices import Role


class User(AbstractUser):
    """A person who signs in: staff of a committee, a cell secretary or a member."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)

    class Meta:
        db_table = "user"
        verbose_name = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def home_organization(self):
        """The highest organization the user holds a grant on: where their pages start.

        Read once per user object, like the grants (a request's menu and cards all ask);
        `policy.forget_grants` drops it when the grants change."""
        if not hasattr(self, "_chibo_home_organization"):
            grant = (self.grants.select_related("organization")
                     .order_by("organization__depth").first())
            self._chibo_home_organization = grant.organization if grant else None
        return self._chibo_home_organization


class RoleGrant(models.Model):
    """`user` holds `role` on `organization` and its whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="grants"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "role_grant"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organization"], name="grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization.code}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_expiry(days: int | None = None):
    """When a token made now ends: after `days`, by default settings.API_TOKEN_DAYS."""
    return timezone.now() + timedelta(days=days or settings.API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once at creation.

    It works until `expires_at` (then 401, as an unknown token); a `read_only` token reads
    (GET, HEAD, OPTIONS) and is refused any write with 403."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=token_expiry)
    read_only = models.BooleanField(default=False)

    class Meta:
        db_table = "api_token"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
