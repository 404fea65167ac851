"""Middleware of the house: request ids, page addresses without NUL, pages that need a signed-in
user, and no copies kept of what a signed-in user was shown."""

import re
import uuid

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from chibo.core.context import reset_request_id, set_request_id

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RefuseNulMiddleware:
    """A NUL character in a page's address (its path or its query) is a bad request (400),
    whatever the page: no input of chibo may hold one, and PostgreSQL refuses it in any text (a
    code in a path, a search term), which would otherwise be a server error on the page that
    reads it. The API's parameters are typed and refused one by one, naming the parameter
    (chibo.core.validation); the bodies' values are the field rules' to refuse."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and (
                "\x00" in request.path or any("\x00" in value for value in request.GET.values())):
            return HttpResponseBadRequest(_("Địa chỉ có ký tự không hợp lệ."))
        return self.get_response(request)


class RequestIdMiddleware:
    """Gives every request an id (the proxy's X-Request-ID when sane) for logs and audit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = set_request_id(request.id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request.id
        return response


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose English with the language switch (a cookie).

    Django's LocaleMiddleware also follows the browser's Accept-Language; many officials' phones
    run in English, and the records are Vietnamese documents, so only an explicit choice counts.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class PagesRequireLoginMiddleware(LoginRequiredMiddleware):
    """Every page needs a signed-in user unless marked `login_not_required`.

    The API authenticates on its own (session or bearer token) and answers 401, not a redirect;
    static files are public.
    """

    exempt_prefixes = ("/api/", "/static/", "/favicon.ico")

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(self.exempt_prefixes):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class NoStoreWhenSignedInMiddleware:
    """Every answer to a signed-in user (a session, or a bearer token of the API) is marked
    `Cache-Control: no-store` (with Django's never-cache headers): it may hold personal data, and
    a shared office computer's browser cache, or a proxy, must keep no copy of it. Static files
    are the same for everyone and are left cacheable.

    Put after AuthenticationMiddleware; the user is read once the view has answered, so that
    the API's bearer token (which sets request.user) counts too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated
                and not request.path.startswith(settings.STATIC_URL)):
            add_never_cache_headers(response)
        return response
