"""Names of organizations and villages in Vietnamese order on every page and endpoint of the tree
(issue 13): "Bạch Xa" before "Bình Xa" (a < i), "Hùng Đức" before "Hùng Lợi" (đ < l), numbers by
value ("Tổ dân phố 2" before "Tổ dân phố 10"), where byte or code order put them the other way.
"""

import re
from datetime import date

import pytest
from django.urls import reverse

from chibo.accounts.policy import SYSTEM
from chibo.core.text import title_sort_key
from chibo.organizations import services
from chibo.organizations.forms import villages_for
from chibo.organizations.models import Organization, OrgPeriod, Village
from tests.conftest import make_org

# In Vietnamese order; the codes are in the reverse order, so that code order fails too.
CELLS = ["Chi bộ thôn Bạch Xa", "Chi bộ thôn Bình Xa", "Chi bộ thôn Hùng Đức",
         "Chi bộ thôn Hùng Lợi"]
VILLAGES = ["Thôn Bạch Xa", "Thôn Bình Xa", "Tổ dân phố 2", "Tổ dân phố 10"]


@pytest.fixture
def commune(world):
    """A commune whose cells and villages are named so that byte order gets them wrong."""
    commune = make_org("D2.X9", "Đảng bộ xã Bình Xa", "grassroots_committee",
                       world.orgs["D2"], sector="commune")
    for n, name in enumerate(reversed(CELLS)):
        make_org(f"D2.X9.C{n}", name, "cell", commune)
    for n, name in enumerate(reversed(VILLAGES)):
        services.create_village(actor=SYSTEM, code=f"D2.X9.V{n}", name=name, kind="village",
                                commune=commune)
    return commune


def names_in(html: str, names) -> list[str]:
    """The given names in the order the page's content shows them (not the menu's, which
    names the organization the user works on)."""
    html = html[max(html.find("<main"), 0):]  # a fragment has no <main>
    return sorted((n for n in names if n in html), key=html.index)


def test_the_title_key_sorts_the_vietnamese_way():
    assert sorted(reversed(CELLS), key=title_sort_key) == CELLS
    assert sorted(reversed(VILLAGES), key=title_sort_key) == VILLAGES
    assert sorted(["Anh", "An Phú", "An", "Ăn", "Bình Xá", "Bình Xa"], key=title_sort_key) == [
        "An", "An Phú", "Anh", "Ăn", "Bình Xa", "Bình Xá"]
    assert title_sort_key("  Chi bộ   thôn 1 ") == title_sort_key("Chi bộ thôn 1")
    assert title_sort_key("Tổ 02") < title_sort_key("Tổ 3") < title_sort_key("Tổ A")


def test_the_tree_children_fragment_in_vietnamese_order(world, commune):
    response = world.client("admin").get(
        reverse("organizations:tree_children", args=[commune.code]))
    assert names_in(response.content.decode(), CELLS) == CELLS


def test_the_tree_top_in_vietnamese_order(world):
    make_org("D2.X8", "Đảng bộ xã Hùng Lợi", "grassroots_committee", world.orgs["D2"])
    make_org("D2.X7", "Đảng bộ xã Hùng Đức", "grassroots_committee", world.orgs["D2"])
    user = world.users["other_commune"]
    from chibo.accounts.choices import Role
    from chibo.accounts.services import grant_role

    for code in ("D2.X8", "D2.X7"):
        grant_role(user, actor=SYSTEM, role=Role.CLERK, organization=Organization.objects.get(
            code=code))
    html = world.client("other_commune").get(reverse("organizations:tree")).content.decode()
    assert names_in(html, ["Đảng bộ xã Hùng Đức", "Đảng bộ xã Hùng Lợi",
                           "Đảng bộ xã Yên Lâm"]) == [
        "Đảng bộ xã Hùng Đức", "Đảng bộ xã Hùng Lợi", "Đảng bộ xã Yên Lâm"]


def test_tree_search_results_in_vietnamese_order(world, commune):
    html = world.client("admin").get(reverse("organizations:tree"), {"q": "chi bo thon"}).content
    assert names_in(html.decode(), CELLS) == CELLS


def test_the_organization_page_lists_children_and_villages_in_vietnamese_order(world, commune):
    html = world.client("admin").get(
        reverse("organizations:detail", args=[commune.code])).content.decode()
    assert names_in(html, CELLS) == CELLS
    villages = html[html.index('<ul class="list-inline small">'):]
    assert names_in(villages, VILLAGES) == VILLAGES


def test_the_village_picker_in_vietnamese_order(world, commune):
    assert [v.name for v in villages_for(commune)] == VILLAGES
    html = world.client("admin").get(
        reverse("organizations:create_child", args=[commune.code])).content.decode()
    options = re.findall(r"<option value=\"\d+\">([^<]+)</option>", html)
    assert options == VILLAGES


def test_the_api_lists_children_in_vietnamese_order(world, commune):
    response = world.client("admin").get("/api/v1/organizations", {"parent": commune.code})
    assert [row["name"] for row in response.json()] == CELLS


def test_the_home_card_lists_grants_in_vietnamese_order(world):
    from chibo.accounts.choices import Role
    from chibo.accounts.services import grant_role
    from chibo.organizations.cards import home_card

    user = world.users["viewer"]
    for code, name in (("D2.X8", "Đảng bộ xã Hùng Lợi"), ("D2.X7", "Đảng bộ xã Hùng Đức")):
        grant_role(user, actor=SYSTEM, role=Role.VIEWER,
                   organization=make_org(code, name, "grassroots_committee", world.orgs["D2"]))

    class Request:
        pass

    request = Request()
    request.user = user
    names = [g.organization.name for g in home_card(request)["grants"]]
    assert names[1:] == ["Đảng bộ xã Hùng Đức", "Đảng bộ xã Hùng Lợi"]


def test_a_rename_and_a_correction_keep_the_sort_keys(world, commune):
    cell = Organization.objects.get(code="D2.X9.C0")  # Chi bộ thôn Hùng Lợi
    services.rename_organization(cell, actor=SYSTEM, new_name="Chi bộ thôn Ấp Mới",
                                 effective_on=date(2020, 1, 1))
    cell.refresh_from_db()
    assert cell.sort_key == title_sort_key("Chi bộ thôn Ấp Mới")
    periods = OrgPeriod.objects.filter(organization=cell).order_by("valid_from")
    assert [p.sort_key for p in periods] == [title_sort_key(CELLS[3]),
                                            title_sort_key("Chi bộ thôn Ấp Mới")]
    services.update_organization(cell, actor=SYSTEM, name="Chi bộ thôn Ấp Mới B")
    cell.refresh_from_db()
    assert cell.sort_key == periods.last().sort_key == title_sort_key("Chi bộ thôn Ấp Mới B")
    # a move copies the periods with their keys
    services.move_organization(cell, actor=SYSTEM, new_parent=world.orgs["D2.X1"],
                               effective_on=date(2021, 1, 1))
    assert OrgPeriod.objects.filter(organization=cell).latest("valid_from").sort_key == (
        title_sort_key("Chi bộ thôn Ấp Mới B"))
    assert all(v.sort_key == title_sort_key(v.name) for v in Village.objects.all())
