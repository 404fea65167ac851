"""Account pages: the lockout page and the second factor (enrol, verify, recovery codes)."""

import base64

import qrcode
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.util import random_hex
from qrcode.image.svg import SvgPathImage

from chibo.accounts import services
from chibo.accounts.forms import SecondFactorCodeForm
from chibo.accounts.second_factor import (
    check_code,
    enrolled,
    pending_device,
    recovery_codes_left,
    required_for,
)
from chibo.core.exceptions import ValidationError
from chibo.core.forms import add_service_error

PENDING_KEY = "chibo_second_factor_key"


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """The page shown while an account is locked out, at this address or everywhere (429)."""
    context = {"lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
    return render(request, "registration/locked_out.html", context, status=429)


def second_factor(request):
    """The account menu's page: whether a second factor is set, required, and what to do."""
    user = request.user
    return render(request, "accounts/second_factor.html", {
        "enrolled": enrolled(user), "required": required_for(user),
        "codes_left": recovery_codes_left(user),
    })


def enrol(request):
    """Set up an authenticator app: a QR code and the key to type, then one of its codes.

    The key waits in the session until a right code proves the app holds it; only then is it
    stored (services.enrol_second_factor), and the recovery codes shown, once."""
    key = request.session.setdefault(PENDING_KEY, random_hex(20))
    form = SecondFactorCodeForm(request.POST or None)
    if form.is_valid():
        try:
            device, codes = services.enrol_second_factor(
                request.user, actor=request.user, key=key, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            del request.session[PENDING_KEY]
            otp_login(request, device)
            return _show_recovery_codes(request, codes)
    device = pending_device(request.user, key)
    return render(request, "accounts/second_factor_enrol.html", {
        "form": form, "required": required_for(request.user), "otpauth_uri": device.config_url,
        "qr_code": _qr_code_data_uri(device.config_url), "manual_key": _grouped(device.bin_key),
        "next": _next_url(request),
    })


def verify(request):
    """The step after the password for an enrolled user: a code of the app or a recovery code."""
    if request.user.is_verified() or not enrolled(request.user):
        return redirect(_next_url(request))
    form = SecondFactorCodeForm(request.POST or None)
    if form.is_valid():
        if check_code(request, form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error("code", _("Mã không đúng hoặc đã dùng. Sau mỗi lần sai phải chờ lâu hơn "
                                 "một chút mới thử lại được."))
    return render(request, "accounts/second_factor_verify.html",
                  {"form": form, "next": _next_url(request)})


@require_POST
def recovery_codes(request):
    try:
        codes = services.renew_recovery_codes(request.user, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("second_factor")
    return _show_recovery_codes(request, codes)


@require_POST
def remove(request):
    try:
        services.remove_second_factor(request.user, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã gỡ xác thực hai bước."))
    return redirect("second_factor")


def _show_recovery_codes(request, codes: list[str]):
    """The recovery codes, in the answer to the POST that made them: they are never shown
    again (the page is not stored: Cache-Control no-store)."""
    return render(request, "accounts/recovery_codes.html",
                  {"codes": codes, "next": _next_url(request)})


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("home")


def _qr_code_data_uri(text: str) -> str:
    """The QR code as an SVG image inside the page (one path: a few kilobytes; the page's
    Content Security Policy allows data: images and nothing from elsewhere)."""
    svg = qrcode.make(text, image_factory=SvgPathImage).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _grouped(key: bytes) -> str:
    """The key in base32, in groups of four, as authenticator apps ask to type it."""
    text = base64.b32encode(key).decode()
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))
