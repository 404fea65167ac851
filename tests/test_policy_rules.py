"""The permission policy pinned case by case (chibo/accounts/policy.py, its restricted
querysets and the tree arithmetic they use): each test kills mutants that the scope tests of
tests/test_permissions.py let live (bench/mutation.py, unit "policy")."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from chibo.accounts.choices import Role
from chibo.accounts.models import User
from chibo.accounts.policy import (
    CAPABILITIES,
    SYSTEM,
    Capability,
    ProcessCapability,
    can,
    capabilities_of,
    forget_grants,
    permitted,
    register_capability,
    require,
    roles_of,
    scope_paths,
)
from chibo.core.querysets import outermost, path_scope_q
from chibo.members.models import Member
from chibo.organizations.models import Organization

pytestmark = pytest.mark.django_db


def fresh(world, username: str) -> User:
    """The fixture user as a new object: no grants read yet."""
    return User.objects.get(pk=world.users[username].pk)


# Who is nobody: no user, an anonymous visitor -------------------------------------------------

@pytest.mark.parametrize("user", [None, AnonymousUser()])
def test_no_user_has_no_scope_and_no_role(user):
    assert scope_paths(user, Capability.VIEW_ORGS) == []
    assert roles_of(user) == set()


def test_the_system_actor_is_everywhere_though_it_has_no_is_active():
    # SYSTEM is no User: it has no `is_active`, which must count as active.
    assert not hasattr(SYSTEM, "is_active")
    assert scope_paths(SYSTEM, Capability.MANAGE_MEMBERS) is None
    assert str(SYSTEM) == "system"


def test_a_deactivated_account_has_no_scope(world):
    user = fresh(world, "commune")
    user.is_active = False
    assert scope_paths(user, Capability.VIEW_ORGS) == []


# can / require -----------------------------------------------------------------------------

def test_can_anywhere_is_whether_some_grant_carries_the_capability(world):
    assert can(fresh(world, "commune"), Capability.MANAGE_MEMBERS) is True
    assert can(fresh(world, "viewer"), Capability.MANAGE_MEMBERS) is False


def test_require_judges_the_organization_it_is_given(world):
    clerk = fresh(world, "commune")  # clerk of D1.X1
    require(clerk, Capability.MANAGE_MEMBERS, world.orgs["D1.X1.C1"])
    with pytest.raises(PermissionDenied) as refused:
        require(clerk, Capability.MANAGE_MEMBERS, world.orgs["D2.X1"])
    assert str(refused.value) == Capability.MANAGE_MEMBERS


def test_a_sibling_whose_path_begins_like_the_grant_is_outside_it():
    # Paths end with "/": a grant on 1/2/ does not cover 1/20/.
    clerk = SimpleNamespace(is_authenticated=True, is_active=True, is_superuser=False,
                            _chibo_grants=[(Role.CLERK, "1/2/")])
    assert can(clerk, Capability.MANAGE_MEMBERS, SimpleNamespace(path="1/2/7/")) is True
    assert can(clerk, Capability.MANAGE_MEMBERS, SimpleNamespace(path="1/20/")) is False


# The grants are read once per user object ------------------------------------------------------

def test_grants_are_read_once_per_user_object(world, django_assert_num_queries):
    user = fresh(world, "commune")
    with django_assert_num_queries(1):
        can(user, Capability.VIEW_ORGS)
    with django_assert_num_queries(0):
        can(user, Capability.MANAGE_MEMBERS)
        roles_of(user)


def test_forget_grants_drops_both_caches(world):
    user = fresh(world, "commune")
    roles_of(user)
    user.home_organization()
    forget_grants(user)
    assert not hasattr(user, "_chibo_grants")
    assert not hasattr(user, "_chibo_home_organization")


# The capability matrix ---------------------------------------------------------------------------

def test_a_role_no_longer_known_carries_nothing():
    assert capabilities_of("retired-role") == frozenset()


@pytest.fixture
def registered():
    """A process capability registered for one test, then removed."""
    keys = []

    def register(key, label, roles):
        keys.append(register_capability(key, label, roles))
        return keys[-1]

    yield register
    for key in keys:
        CAPABILITIES.remove(key)


def test_a_registered_capability_is_stored_as_given_without_the_administrator(registered):
    key = registered("test.rule", "Quy tắc thử", {Role.CLERK, Role.ADMIN})
    assert key == "test.rule"
    assert CAPABILITIES["test.rule"] == ProcessCapability(
        "test.rule", "Quy tắc thử", frozenset({Role.CLERK}))
    assert "test.rule" in capabilities_of(Role.CLERK)
    assert "test.rule" not in capabilities_of(Role.VIEWER)


def test_unknown_roles_are_named_in_the_error(registered):
    with pytest.raises(ValueError) as refused:
        registered("test.rule", "Quy tắc thử", {"zeta", "alpha", Role.CLERK})
    assert str(refused.value) == "test.rule: unknown roles alpha, zeta"


# Registered entries (menu, cards) --------------------------------------------------------------

def test_permitted_keeps_the_open_entries_and_those_the_user_may_use(world):
    entries = [SimpleNamespace(name="open", capability=None),
               SimpleNamespace(name="members", capability=Capability.MANAGE_MEMBERS),
               SimpleNamespace(name="accounts", capability=Capability.MANAGE_ACCOUNTS)]
    kept = permitted(fresh(world, "commune"), entries)
    assert [entry.name for entry in kept] == ["open", "members"]


# Restricted querysets and the subtree arithmetic ------------------------------------------------

def test_a_model_is_read_with_its_own_view_capability(world, people):
    viewer = fresh(world, "viewer")  # viewer of D1: may see the tree, not the members
    assert Organization.objects.visible_to(viewer).filter(code="D1.X1.C1").exists()
    assert not Member.objects.visible_to(viewer).exists()
    clerk = fresh(world, "commune")
    assert Member.objects.visible_to(clerk).filter(member_code="M001").exists()


def test_path_scope_covers_every_path_given(world):
    paths = [world.orgs["D1.X1"].path, world.orgs["D2.X1"].path]
    codes = set(Organization.objects.filter(path_scope_q(paths, "path"))
                .values_list("code", flat=True))
    assert codes == {"D1.X1", "D1.X1.C1", "D1.X1.C2", "D1.X1.C3", "D2.X1", "D2.X1.C1"}


def test_outermost_keeps_the_ancestors_only():
    assert outermost(["1/2/3/", "1/2/", "1/20/", "1/2/"]) == ["1/2/", "1/20/"]
