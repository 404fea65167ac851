"""The REST API under /api/v1/: session or bearer-token authentication, OpenAPI schema.

Every error is JSON of one shape, `ErrorOut` {"detail": message, "field": name-or-null}, never
an HTML page:

- 400: the request cannot be read: a query-string parameter of the wrong type or out of its
  range (a negative offset, a limit above the maximum, an unknown metric), a malformed body;
- 401: no valid credentials; 403: an action the caller may not take;
- 404: nothing of that code in the caller's scope, or a path parameter that names nothing
  (a wrong type counts as a code that does not exist);
- 422: a well-formed body whose values the rules refuse (chibo.core.validation: lengths of
  the database columns, no control or direction characters, plausible dates, phone and e-mail
  formats), or a business rule of a service (RuleViolation); `field` names the input at fault;
- 412: a write against a version of the record that is no longer stored (If-Match); 428: a
  PATCH that sends no If-Match (chibo.core.concurrency);
- 429: too many requests;
- 500: a bug: answered as JSON, logged with its traceback (and Django's
  got_request_exception signal sent, as for a page).

The OpenAPI schema lists these answers for every operation (`document_errors`, applied to
every registered router, so that a new process gets them by plugging in).
"""

import logging
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core import signals
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InputError
from ninja.openapi.docs import Swagger
from ninja.parser import Parser
from ninja.security import HttpBearer, django_auth

from chibo.accounts.services import valid_token
from chibo.core.concurrency import StaleVersion, VersionRequired
from chibo.core.errors import ErrorOut
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


class ObjectParser(Parser):
    """A JSON body is an object: ninja's schemas read any other JSON value (a list, a number)
    as an object without attributes, so that `[]` would pass as an empty PATCH. Anything else
    is a 400 (ninja's "Cannot parse request body")."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data


api = NinjaAPI(
    title="chibo API",
    version="1",
    description="Tổ chức đảng, đảng viên và thống kê · party organizations, members, statistics",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    docs=HouseSwagger(settings={"docExpansion": "none", "defaultModelsExpandDepth": -1,
                                "displayRequestDuration": True}),
    docs_decorator=docs_decorator,
    parser=ObjectParser(),
)


logger = logging.getLogger("chibo.api")


# The errors any operation may answer, documented on each (a write operation may add its own,
# such as 412/428 for If-Match).
ERROR_STATUSES = (400, 401, 403, 404, 422, 429)


def _error(request, message, status: int, field: str | None = None):
    return api.create_response(request, {"detail": str(message), "field": field}, status=status)


# pydantic's error types, in the user's language; other types keep pydantic's English words.
INPUT_MESSAGES = {
    "missing": gettext_lazy("Thiếu giá trị (bắt buộc)."),
    "string_too_long": gettext_lazy("Dài quá %(max_length)s ký tự."),
    "string_too_short": gettext_lazy("Không được để trống."),
    "string_type": gettext_lazy("Cần một chuỗi ký tự."),
    "int_parsing": gettext_lazy("Cần một số nguyên."),
    "int_type": gettext_lazy("Cần một số nguyên."),
    "greater_than_equal": gettext_lazy("Phải từ %(ge)s trở lên."),
    "less_than_equal": gettext_lazy("Phải không quá %(le)s."),
    "date_from_datetime_parsing": gettext_lazy("Ngày không hợp lệ (viết YYYY-MM-DD)."),
    "date_parsing": gettext_lazy("Ngày không hợp lệ (viết YYYY-MM-DD)."),
    "date_type": gettext_lazy("Ngày không hợp lệ (viết YYYY-MM-DD)."),
    "enum": gettext_lazy("Giá trị không hợp lệ (chọn một trong: %(expected)s)."),
    "bool_parsing": gettext_lazy("Cần true hoặc false."),
    "json_invalid": gettext_lazy("Nội dung JSON không đọc được."),
}
# Where the first error lies -> the status: a query string or a body that cannot be read is a
# 400, a path that names nothing a 404, values of a body the rules refuse a 422.
STATUS_OF_SOURCE = {"query": 400, "path": 404}


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


def _input_message(error: dict) -> str:
    template = INPUT_MESSAGES.get(error.get("type"))
    if template is None:
        return str(error.get("msg", ""))
    try:
        return str(template) % dict(error.get("ctx") or {})
    except (KeyError, TypeError, ValueError):  # no template, or one its context cannot fill
        return str(error.get("msg", ""))


def _input_field(location: tuple) -> str | None:
    """The input at fault, as the client named it: `full_name`, `attendance.0.status` (a JSON
    body's location starts with the view's parameter, which the client never sees)."""
    names = [str(part) for part in location[1:]]
    if location[0] == "body" and len(names) > 1:
        names = names[1:]
    return ".".join(names) or None


@api.exception_handler(InputError)
def invalid_input(request, exc):
    """ninja's (pydantic's) refusal of the request's values, in the house shape: the first
    error's message and field (the others usually follow from the same mistake)."""
    error = exc.errors[0] if exc.errors else {"loc": ("body",), "msg": ""}
    location = tuple(error.get("loc") or ("body",))
    status = STATUS_OF_SOURCE.get(location[0], 422)
    if error.get("type") == "json_invalid":
        status = 400
    return _error(request, _input_message(error), status, _input_field(location))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, _("Không tìm thấy (hoặc không thuộc phạm vi của bạn)."), 404)


# ninja's own words for a request it cannot read, in the user's language.
HTTP_ERROR_MESSAGES = {
    "Cannot parse request body": gettext_lazy("Nội dung yêu cầu không đọc được (cần một đối tượng "
                                       "JSON)."),
    "Unauthorized": gettext_lazy("Cần đăng nhập hoặc mã truy cập (token) hợp lệ."),
}


@api.exception_handler(HttpError)
def http_error(request, exc):
    message = str(exc)
    return _error(request, HTTP_ERROR_MESSAGES.get(message, message), exc.status_code)


@api.exception_handler(Exception)
def server_error(request, exc):
    """A bug: logged with its traceback, reported like a page's error, answered as JSON."""
    logger.exception("API error on %s %s", request.method, request.path)
    signals.got_request_exception.send(sender=None, request=request)
    return _error(request, _("Lỗi máy chủ. Lỗi đã được ghi lại; vui lòng thử lại sau."), 500)


def document_errors(router: Router) -> None:
    """List the error answers (ERROR_STATUSES, with ErrorOut) on every operation of `router`
    and of the routers under it, keeping any an operation declares itself."""
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            for status in ERROR_STATUSES:
                if status not in operation.response_models:
                    operation.response_models[status] = operation._create_response_model(
                        ErrorOut)
    for _prefix, child, *_rest in getattr(router, "_routers", ()):
        document_errors(child)


def add_registered_routers() -> None:
    """Every domain's router, registered in its app's ready() (chibo.core.registry), with the
    error answers documented on each of its operations."""
    for entry in API_ROUTERS.ordered():
        router = import_string(entry.router)
        document_errors(router)
        api.add_router(entry.prefix, router)


add_registered_routers()
