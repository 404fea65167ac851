from django.conf import settings
from django.shortcuts import render


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """The page shown while a username or an address is locked out (429)."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
