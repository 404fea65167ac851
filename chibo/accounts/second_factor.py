"""The second factor at sign-in: who must use one, and checking a code (django-otp).

A user's second factor is a TOTP device (an authenticator app on the phone) and a static device
holding ten recovery codes, each usable once. The province decides who must have one
(settings.REQUIRE_2FA); anyone may enrol. A session signed in with the password alone is
"verified" (django-otp's `user.is_verified()`) once a code of one of those devices is accepted;
chibo.accounts.middleware keeps the unverified ones out until then.

The changes (enrolment, new recovery codes, removal) are services in chibo.accounts.services.
"""

import re

from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from chibo.accounts.choices import Role
from chibo.accounts.policy import roles_of

# Who each setting of REQUIRE_2FA names, besides the system administrators (superusers).
REQUIRED_ROLES = {
    "none": frozenset(),
    "admins": frozenset({Role.ADMIN}),
    "officers": frozenset({Role.ADMIN, Role.ORGANIZER, Role.INSPECTOR, Role.CLERK}),
}
_TOTP_CODE = re.compile(r"^\d{6}$")


def required_for(user) -> bool:
    """Whether the province's setting makes `user` use a second factor."""
    if settings.REQUIRE_2FA == "none":
        return False
    return user.is_superuser or bool(roles_of(user) & REQUIRED_ROLES[settings.REQUIRE_2FA])


def enrolled(user) -> bool:
    """Whether the user has a confirmed authenticator (TOTP device)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def pending_device(user, key: str) -> TOTPDevice:
    """An unsaved authenticator with `key`, for the enrolment page (its otpauth:// URI)."""
    return TOTPDevice(user=user, key=key, name="authenticator", confirmed=False)


def check_code(request, code: str) -> bool:
    """Accept a six-digit code of the user's authenticator, or one of their recovery codes
    (which is then used up), and mark the session verified. django-otp throttles each device:
    after a wrong code the next try must wait, twice as long after each further one."""
    user = request.user
    code = "".join(code.split()).lower()
    model = TOTPDevice if _TOTP_CODE.match(code) else StaticDevice
    with transaction.atomic():
        device = (model.objects.select_for_update()
                  .filter(user=user, confirmed=True).first())
        if device is None or not device.verify_token(code):
            return False
    otp_login(request, device)
    return True
