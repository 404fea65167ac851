"""The REST API under /api/v1/: session or bearer-token authentication, OpenAPI schema.

Errors follow one shape, {"detail": message, "field": name-or-null}: 401 without credentials,
403 for a forbidden action, 404 outside the caller's scope, 422 for input the rules refuse,
412 for a write against a version of the record that is no longer stored (If-Match), 428 for a
PATCH that sends no If-Match.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi.docs import Swagger
from ninja.security import HttpBearer, django_auth

from chibo.accounts.services import valid_token
from chibo.core.concurrency import StaleVersion, VersionRequired
from chibo.core.registry import API_ROUTERS
from chibo.settings import SECURE_CSP

READING_METHODS = {"GET", "HEAD", "OPTIONS"}


class BearerToken(HttpBearer):
    """A personal token (chibo token create): None (401) when unknown, revoked or expired; a
    read-only token asking to write is refused (403)."""

    def authenticate(self, request, token):
        found = valid_token(token)
        if found is None:
            return None
        if found.read_only and request.method not in READING_METHODS:
            raise PermissionDenied("read-only token")
        request.user = found.user
        return found.user


def signed_in(view):
    """The schema and its documentation page are for signed-in users (a session or a token):
    without, the schema answers 401 as every endpoint does, the page sends to the sign-in page."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if BearerToken()(request) is None and not request.user.is_authenticated:
            if request.resolver_match.url_name == "openapi-view":
                return redirect_to_login(request.get_full_path())
            return api.on_exception(request, AuthenticationError())
        return view(request, *args, **kwargs)

    return guarded


# The bundled Swagger UI sets inline styles; the docs page alone allows them.
_csp = csp_override({**SECURE_CSP, "style-src": [*SECURE_CSP["style-src"], "'unsafe-inline'"]})


def docs_decorator(view):
    return _csp(signed_in(view))


class HouseSwagger(Swagger):
    """The API documentation as a page of chibo: base layout (menu, a way back), Vietnamese
    title and introduction, a link to the OpenAPI JSON, then Swagger UI from django-ninja's own
    static files (no CDN), started by chibo/static/chibo/api-docs.js. URL name: api:openapi-view
    (/api/v1/docs); the schema is api:openapi-json."""

    template = "api_docs.html"


api = NinjaAPI(
    title="chibo API",
    version="1",
    description="Tổ chức đảng, đảng viên và thống kê · party organizations, members, statistics",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    docs=HouseSwagger(settings={"docExpansion": "none", "defaultModelsExpandDepth": -1,
                                "displayRequestDuration": True}),
    docs_decorator=docs_decorator,
)


def _error(request, message, status: int, field: str | None = None):
    return api.create_response(request, {"detail": str(message), "field": field}, status=status)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return _error(request, _("Bạn không có quyền làm việc này"), 403)


@api.exception_handler(ValidationError)
def rule_violation(request, exc):
    return _error(request, " ".join(exc.messages), 422, getattr(exc, "field", None))


# Optimistic concurrency (chibo.core.concurrency): a write against a version that is no longer
# stored (If-Match), or a PATCH/PUT/DELETE that names none (RFC 9110 §13.1.1, RFC 6585 §3).
@api.exception_handler(StaleVersion)
def stale_version(request, exc):
    return _error(request, " ".join(exc.messages), 412)


@api.exception_handler(VersionRequired)
def version_required(request, exc):
    return _error(request, str(exc), 428)



def add_registered_routers() -> None:
    """Every domain's router, registered in its app's ready() (chibo.core.registry)."""
    for entry in API_ROUTERS.ordered():
        api.add_router(entry.prefix, entry.router)


add_registered_routers()
