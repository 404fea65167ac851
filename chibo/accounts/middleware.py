"""The second step of signing in: a password alone opens nothing for whom it is not enough."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from chibo.accounts.second_factor import enrolled, required_for

# What a user between the password and the second step may still reach, besides that step's
# own page (only that one: with the password alone, an enrolled user's authenticator must not be
# replaceable).
_OPEN_URL_NAMES = ("logout", "login", "set_language")


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: a session signed in with the password alone, whose user
    has enrolled a second factor or is required to (settings.REQUIRE_2FA), is sent to the code
    page (or to enrolment) from every page; for the API it is no session at all (401; a bearer
    token still works). The API documentation page counts as a page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            step = self._step_missing(user)
            if step and request.path.startswith("/api/") and not _is_api_docs(request):
                request.user = AnonymousUser()
            elif step and not self._open(request.path, step):
                return redirect_to_login(request.get_full_path(), reverse(step))
        return self.get_response(request)

    @staticmethod
    def _step_missing(user) -> str | None:
        """The URL name of the step the user still has to take, or None."""
        if enrolled(user):
            return "second_factor_verify"
        if required_for(user):
            return "second_factor_enrol"
        return None

    @staticmethod
    def _open(path: str, step: str) -> bool:
        return (path.startswith(settings.STATIC_URL)
                or path in {reverse(name) for name in (step, *_OPEN_URL_NAMES)})


def _is_api_docs(request) -> bool:
    return request.path == reverse("api:openapi-view")
