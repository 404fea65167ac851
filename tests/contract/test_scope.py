"""The classes of every declared route follow from the grants: the route walker
(test_route_walker.py) calls each route as each class and expects the one right status, so
the classes must be checked against the policy, not guessed."""

import pytest

from chibo.accounts.policy import can
from chibo.organizations.models import Organization
from tests.contract import registry


@pytest.mark.parametrize("route", [pytest.param(route, id=f"{domain.key}-{route.key}")
                                   for domain, route in registry.routes() if route.org])
def test_the_declared_people_are_who_the_policy_says(built, db, route):
    """The classes of a route's fixtures follow from the grants, so that a status the route
    answers is checked against the policy, not against a guess."""
    org = Organization.objects.get(code=route.org)
    users = built.world.users

    def sees(name):
        return can(users[name], route.sees, org)

    def may(name):
        return can(users[name], route.capability, org)

    assert [name for name in route.allowed if not (sees(name) and may(name))] == []
    assert [name for name in route.denied if not sees(name) or may(name)] == []
    assert [name for name in route.outside if sees(name)] == []
