"""The API documentation in the house style, and the officers' help page (issue 13): the docs
were django-ninja's bare English Swagger page, with no menu, no way back and no phone layout."""

import re

from django.conf import settings
from django.urls import reverse


def test_the_urls_other_pages_link_to():
    assert reverse("help") == "/help/"
    assert reverse("api:openapi-view") == "/api/v1/docs"
    assert reverse("api:openapi-json") == "/api/v1/openapi.json"


def test_the_api_docs_are_a_page_of_chibo(world):
    html = world.client("province").get(reverse("api:openapi-view")).content.decode()
    assert '<html lang="vi">' in html
    assert "<title>Tài liệu API · chibo</title>" in html
    assert 'id="nav-main"' in html and 'data-nav="organizations"' in html  # the menu
    assert 'href="/help/"' in html and 'href="/"' in html  # a way back
    assert 'href="/api/v1/openapi.json"' in html
    assert "Xác thực:" in html and "Authorization: Bearer" in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_the_api_docs_serve_swagger_from_our_static_files(world):
    html = world.client("province").get(reverse("api:openapi-view")).content.decode()
    scripts = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in scripts
    assert "/static/ninja/swagger-ui.css" in scripts
    assert "/static/chibo/api-docs.js" in scripts
    assert not [url for url in scripts if url.startswith(("http:", "https:", "//"))]
    assert re.search(r'data-csrf-token="[^"]+"', html)  # writes from the page carry it
    settings = re.search(r'<script type="application/json" id="swagger-settings">(.*?)</script>',
                         html, re.S)
    assert '"url": "/api/v1/openapi.json"' in settings.group(1)


def test_the_api_docs_and_the_help_in_english(world):
    client = world.client("province")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("api:openapi-view")).content.decode()
    assert "<title>API documentation · chibo</title>" in html
    assert "Authentication:" in html
    html = client.get(reverse("help")).content.decode()
    assert "<title>User guide · chibo</title>" in html
    assert ">See the API documentation</a>" in html


def test_the_api_docs_are_for_signed_in_users_as_the_schema_is(world):
    """Issue 15: the schema and its page describe what the API holds; anonymous visitors are
    sent to sign in (the schema answers them 401, tests/test_signin_security.py)."""
    response = world.client(None).get(reverse("api:openapi-view"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    response = world.client("member").get(reverse("api:openapi-view"))
    assert response.status_code == 200
    assert 'href="/api/v1/openapi.json"' in response.content.decode()


def test_the_help_page_explains_the_areas_and_links_the_api_docs(world):
    html = world.client("commune").get(reverse("help")).content.decode()
    assert "<title>Hướng dẫn sử dụng · chibo</title>" in html
    for area in ("Tổ chức đảng", "Đảng viên", "Sinh hoạt chi bộ", "Thống kê", "Tài liệu",
                 "Sổ tay đảng viên"):
        assert f">{area}</h2>" in html, area
    assert 'href="/api/v1/docs"' in html
    assert 'id="nav-main"' in html


def test_the_help_page_needs_a_signed_in_user(world):
    response = world.client(None).get(reverse("help"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_every_schema_of_the_api_has_a_name_of_its_own():
    """The OpenAPI document names a schema by its class name: two classes of one name would
    share one description, and a client (or schemathesis) would read one answer by the other's
    shape. The calendar's and the admission's deadlines once did."""
    from ninja import Schema

    import chibo.api  # noqa: F401 -- every router, so every schema class, is imported

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    modules: dict[str, set[str]] = {}
    for schema in subclasses(Schema):
        if schema.__module__.startswith("chibo."):
            modules.setdefault(schema.__name__, set()).add(schema.__module__)
    assert {name: sorted(where) for name, where in modules.items() if len(where) > 1} == {}
