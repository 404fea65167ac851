"""Every declared page and endpoint answers by scope and capability, the one right status each
time: the anonymous visitor is sent to the login page (the API: 401), a user outside the scope
gets 404 (the organization looks absent), one in scope without the capability 403, one in scope
with it 200 and the domain's records."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url

from chibo.accounts.policy import Capability, can
from chibo.organizations.models import Organization
from tests.contract import registry


def calls():
    return [pytest.param(route, username, status,
                         id=f"{domain.key}-{route.name}-{kind}-{username or kind}",
                         marks=[pytest.mark.xfail(strict=True, reason=route.xfail[key])]
                         if (key := username or registry.ANONYMOUS) in route.xfail else [])
            for domain, route in registry.routes()
            for kind, username, status in route.cases()]


def text(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


@pytest.mark.parametrize("route, username, status", calls())
def test_a_route_answers_by_scope_and_capability(built, db, route, username, status):
    response = built.world.client(username).get(route.url)
    assert response.status_code == status
    if status == 302:
        target = urlsplit(response.url)
        assert target.path == resolve_url(settings.LOGIN_URL)
        assert parse_qs(target.query)["next"] == [route.url]
    if status == 200 and route.shows:
        assert route.shows in text(response)


@pytest.mark.parametrize("route", [pytest.param(route, id=f"{domain.key}-{route.name}")
                                   for domain, route in registry.routes()])
def test_the_declared_people_are_who_the_policy_says(built, db, route):
    """The classes of a route's fixtures follow from the grants, so that a status the route
    answers is checked against the policy, not against a guess."""
    org = Organization.objects.get(code=route.org)
    users = built.world.users

    def sees(name):
        return can(users[name], Capability.VIEW_ORGS, org)

    def may(name):
        return can(users[name], route.capability, org)

    assert [name for name in route.allowed if not (sees(name) and may(name))] == []
    assert [name for name in route.denied if not sees(name) or may(name)] == []
    assert [name for name in route.outside if sees(name)] == []
