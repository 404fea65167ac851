"""The route walker: every URL pattern of the URLconf and every operation of the OpenAPI schema
has contract fixtures (tests/contract/registry.py), and answers each class of caller with the
one right status:

- the anonymous visitor is sent to the login page (a page) or gets 401 (the API); a route public
  by design gives the status it declares;
- a user outside the scope gets 404 (the organization or the record looks absent);
- a user in scope without the capability gets 403;
- a user in scope with it gets the route's success, and a write changes what it declares.

A write that is refused changes nothing. Writes are sent as a browser or a client sends them: with
the CSRF token (the test client here enforces it), and PUT/PATCH/DELETE with the record's current
`If-Match` (chibo/core/concurrency.py), so that a refusal comes from the permission check and not
from a missing token or version.

A route or operation without fixtures fails `test_every_route_and_operation_has_fixtures`, naming
it and where to declare them (docs/architecture.md, "Declare the contract fixtures").
"""

import json
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.crypto import get_random_string

from chibo.api import api
from tests.contract import registry
from tests.contract.registry import VERSIONED, MissingFixtures

API_PREFIX = "/api/v1"


def url_patterns(resolver=None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(URL name, or the pattern itself when it has no name; the pattern) of every URL pattern
    of the URLconf, the API's included."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = pattern.name and ":".join(part for part in (namespace, pattern.name) if part)
            yield name or route, route


def url_names_of_operations() -> dict[str, str]:
    """operationId -> URL name ("api:…") of every operation of the API's routers."""
    names = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                url_name = getattr(operation, "url_name", None) or operation.view_func.__name__
                names[api.get_openapi_operation_id(operation)] = f"{api.urls_namespace}:{url_name}"
    return names


def operations() -> Iterator[tuple[str, str, str, str]]:
    """(method, path, operationId, URL name) of every operation of the OpenAPI schema."""
    names = url_names_of_operations()
    for path, by_method in api.get_openapi_schema()["paths"].items():
        for method, operation in by_method.items():
            yield method.upper(), path, operation["operationId"], names[operation["operationId"]]


def declared_names() -> set[str]:
    registry.discover()
    return {route.name for route in registry.ROUTES.values()}


def missing_fixtures() -> list[str]:
    """Every URL pattern and operation without a route, as the message a developer reads."""
    missing = []
    names = declared_names()
    for name, pattern in url_patterns():
        if name not in names:
            missing.append(f"the page {pattern!r} ({name}) has no contract fixtures: add "
                           f"Route({name!r}, url=..., ...) to the `routes` of its domain's "
                           "DomainFixtures in tests/contract/domains/<app label>.py (or the "
                           "app's `contract` module); see docs/architecture.md, \"Declare the "
                           "contract fixtures\"")
    for method, path, operation_id, name in operations():
        try:
            registry.route(name, method)
        except MissingFixtures as error:
            missing.append(f"the operation {method} {path} (operationId {operation_id}): {error}")
    return missing


def test_every_route_and_operation_has_fixtures():
    assert missing_fixtures() == []


def test_a_page_added_without_fixtures_is_named_with_where_to_declare_them(settings):
    """A process that adds a page to its urls.py and forgets its fixtures is told."""
    from django.urls import clear_url_caches, path

    urlconf = type("probe_urls", (), {})()
    urlconf.urlpatterns = [*get_resolver().url_patterns,
                           path("org/<str:code>/forgotten/", lambda request, code: None,
                                name="forgotten")]
    settings.ROOT_URLCONF = urlconf
    clear_url_caches()
    try:
        missing = missing_fixtures()
    finally:
        clear_url_caches()
    assert missing == ["the page 'org/<str:code>/forgotten/' (forgotten) has no contract "
                       "fixtures: add Route('forgotten', url=..., ...) to the `routes` of its "
                       "domain's DomainFixtures in tests/contract/domains/<app label>.py (or "
                       "the app's `contract` module); see docs/architecture.md, \"Declare the "
                       "contract fixtures\""]


def test_each_operation_s_route_calls_that_operation():
    """A route declared for an operation is sent to its path with its method."""
    wrong = []
    for method, path, _operation_id, name in operations():
        route = registry.route(name, method)
        pattern = re.sub(r"\{(\w+)\}", r"<\1>", path).removeprefix("/")
        called = resolve(sample_path(route)).route
        if route.method != method or called != pattern:
            wrong.append(f"{route.key}: {route.method} {called} for {method} {pattern}")
    assert wrong == []


def sample_path(route) -> str:
    """The route's path with any `{field}` of its URL filled with a number."""
    return re.sub(r"\{\w+\}", "1", route.path)


def test_a_route_is_named_by_its_url():
    """A page's route is sent to its own URL (the API's, above, by operation); a pattern
    without a name is named by itself."""
    assert [route.key for route in registry.ROUTES.values() if not route.api
            and route.name not in ((match := resolve(sample_path(route))).view_name,
                                   match.route)] == []


# --- the calls ----------------------------------------------------------------------------------

def calls():
    return [pytest.param(route, kind, username, status,
                         id=f"{route.key}-{kind}-{username or kind}",
                         marks=[pytest.mark.xfail(strict=True, reason=route.xfail[key])]
                         if (key := username or registry.ANONYMOUS) in route.xfail else [])
            for _domain, route in registry.routes()
            for kind, username, status in route.cases()]


def client_of(built, username: str | None) -> Client:
    """A client that checks CSRF as a browser's request is checked, holding a CSRF cookie whose
    token it sends with each write (`X-CSRFToken`)."""
    client = Client(enforce_csrf_checks=True)
    if username:
        client.force_login(built.world.users[username])
    client.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(32)
    return client


def current_version(built, url: str) -> str:
    """The record's ETag, as a client reads it before a PATCH/PUT/DELETE."""
    response = built.world.client("admin").get(url)
    assert response.status_code == 200, f"GET {url} to read its ETag: {response.status_code}"
    return response["ETag"]


def send(built, route, client: Client, url: str, versioned: bool = True):
    if route.method == "GET":
        return client.get(url)
    headers = {"X-CSRFToken": client.cookies[settings.CSRF_COOKIE_NAME].value}
    if route.method in VERSIONED and versioned:
        headers["If-Match"] = current_version(built, url)
    body = route.body_for(built)
    if route.api and not route.multipart:
        return client.generic(route.method, url, json.dumps(body),
                              content_type="application/json", headers=headers)
    return client.post(url, body, headers=headers)


def text(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


@pytest.mark.parametrize("route, kind, username, status", calls())
def test_a_route_answers_by_scope_and_capability(built, db, route, kind, username, status):
    url = route.url_for(built)
    before = route.state(built) if route.state else None
    response = send(built, route, client_of(built, username), url)
    assert response.status_code == status, text(response)[:500]
    if kind == "anonymous" and not route.api:
        target = urlsplit(response.url)
        assert target.path == resolve_url(settings.LOGIN_URL)
        assert parse_qs(target.query)["next"] == [url]
    if kind == "allowed" and route.shows:
        assert route.shows in text(response)
    if route.state:
        after = route.state(built)
        assert (after != before) if kind == "allowed" else (after == before)
    if route.method in VERSIONED and kind in ("outside", "denied"):
        # The permission is checked before the version: a refused caller learns nothing of
        # the record's version (no 428 for a missing If-Match, no 412 for a stale one).
        unversioned = send(built, route, client_of(built, username), url, versioned=False)
        assert unversioned.status_code == status, text(unversioned)[:500]
