"""Two scope rules at their boundaries: importing needs the capability on every root
organization, and a subtree is a path prefix that ends at a slash (`1/2/` is not inside `1/20/`,
nor the reverse)."""

import pytest

from chibo.accounts.choices import Role
from chibo.accounts.policy import SYSTEM, Capability, can, forget_grants
from chibo.accounts.services import create_user, grant_role
from chibo.interchange.importer import may_import
from chibo.organizations.models import Organization
from tests.conftest import PASSWORD


def organizer_of(world, code: str):
    user = create_user(actor=SYSTEM, username=f"organizer-{code}", password=PASSWORD)
    grant_role(user, actor=SYSTEM, role=Role.ORGANIZER, organization=world.orgs[code])
    world.users[user.username] = user
    return user


def test_an_organizer_of_one_district_may_not_import_a_bundle(world):
    district = organizer_of(world, "D1")
    assert can(district, Capability.IMPORT_BUNDLE, world.orgs["D1"])  # the capability, there
    assert not may_import(district)  # but not on the root
    assert may_import(world.users["province"]) and may_import(world.users["admin"])
    assert world.client(district.username).get("/import/").status_code == 403
    assert world.client("province").get("/import/").status_code == 200


def test_an_organizer_of_the_province_may_not_import_once_a_second_root_exists(world):
    from tests.conftest import make_org

    make_org("HG", "Đảng bộ tỉnh Hà Giang", "provincial")
    assert not may_import(world.users["province"])
    assert may_import(world.users["admin"])


def siblings_2_and_20(world):
    """Districts D1 and D2 re-placed at `<TQ>2/` and `<TQ>20/` (ids are the database's: the
    paths are set so that one is the other's prefix but for the slash)."""
    top = world.orgs["TQ"].path
    for code, path in (("D1", f"{top}2/"), ("D2", f"{top}20/")):
        Organization.objects.filter(code=code).update(path=path)
    return Organization.objects.get(code="D1"), Organization.objects.get(code="D2")


@pytest.mark.parametrize("granted, other", [("D1", "D2"), ("D2", "D1")])
def test_a_grant_does_not_reach_a_sibling_whose_id_it_prefixes(world, granted, other):
    near, far = siblings_2_and_20(world)
    orgs = {"D1": near, "D2": far}
    user = organizer_of(world, granted)
    forget_grants(user)
    assert can(user, Capability.VIEW_ORGS, orgs[granted])
    assert not can(user, Capability.VIEW_ORGS, orgs[other])
    visible = set(Organization.objects.visible_to(user).filter(code__in=orgs)
                  .values_list("code", flat=True))
    assert visible == {granted}
