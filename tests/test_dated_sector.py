"""The sector is dated like the name (issue 13: a post-reform commune committee was still labelled
"Thị trấn"). In the 2025 reform a town's committee was renamed as a commune's; the sector lived
on the organization row only, so every date showed the town. Now each period keeps its sector, a
rename may change it, and pages, the API and the bundle read it as of the day they show."""

from datetime import date

import pytest
from django.urls import reverse

from chibo.accounts.policy import SYSTEM
from chibo.core.exceptions import RuleViolation
from chibo.interchange.exporter import export_bundle
from chibo.interchange.importer import import_bundle
from chibo.organizations import queries, services
from chibo.organizations.demo_tree import build_tuyen_quang
from chibo.organizations.models import Organization, OrgPeriod, Reorganization
from tests.conftest import make_org
from tests.form_support import post_form
from tests.test_bundle import write_bundle

REFORM = date(2025, 7, 1)
BEFORE, AFTER = date(2025, 6, 30), date(2025, 7, 1)


@pytest.fixture
def town(world):
    """A town's committee of district D1, renamed as a commune's under TQ by the reform."""
    town = make_org("D1.T1", "Đảng bộ thị trấn Sơn Dương", "grassroots_committee",
                    world.orgs["D1"], sector="town")
    services.move_organization(town, actor=SYSTEM, new_parent=world.orgs["TQ"],
                               effective_on=REFORM)
    services.rename_organization(town, actor=SYSTEM, new_name="Đảng bộ xã Sơn Dương",
                                 new_sector="commune", effective_on=REFORM,
                                 decision_no="1684/NQ-UBTVQH15")
    town.refresh_from_db()
    return town


def sector_on(org, day) -> str:
    return OrgPeriod.objects.as_of(day).get(organization=org).sector


def test_a_rename_with_a_new_sector_dates_the_sector(town):
    assert (sector_on(town, BEFORE), sector_on(town, AFTER)) == ("town", "commune")
    assert town.sector == "commune"  # the row keeps the latest period's
    change = Reorganization.objects.get(organization=town, change="rename")
    assert (change.old_sector, change.new_sector) == ("town", "commune")
    assert "Thị trấn → Xã" in queries.describe(change, town)


def test_the_organization_page_shows_the_sector_of_the_day(world, town):
    client = world.client("admin")
    after = client.get(reverse("organizations:detail", args=[town.code]),
                       {"as_of": "01/09/2025"}).content.decode()
    assert "Đảng bộ cơ sở · Xã ·" in after
    assert "Thị trấn ·" not in after
    before = client.get(reverse("organizations:detail", args=[town.code]),
                        {"as_of": "01/01/2025"}).content.decode()
    assert "Đảng bộ cơ sở · Thị trấn ·" in before


def test_the_api_gives_the_sector_of_the_day(world, town):
    client = world.client("admin")
    url = f"/api/v1/organizations/{town.code}"
    assert client.get(url, {"as_of": "2025-09-01"}).json()["sector"] == "commune"
    assert client.get(url, {"as_of": "2025-01-01"}).json()["sector"] == "town"


def test_the_api_renames_with_a_new_sector(world):
    client = world.client("admin")
    response = client.post("/api/v1/organizations/D1.X1/reorganizations", {
        "change": "rename", "effective_on": "2025-07-01", "new_name": "Đảng bộ phường An Phú",
        "new_sector": "ward"}, content_type="application/json")
    assert response.status_code == 201, response.content
    org = Organization.objects.get(code="D1.X1")
    assert (sector_on(org, BEFORE), sector_on(org, AFTER)) == ("commune", "ward")
    refused = client.post("/api/v1/organizations/D1.X1/reorganizations", {
        "change": "rename", "effective_on": "2025-08-01", "new_name": "Đảng bộ X",
        "new_sector": "village"}, content_type="application/json")
    assert refused.status_code == 422


def test_the_rename_form_offers_the_new_sector(world):
    client = world.client("admin")
    url = reverse("organizations:reorganize", args=["D1.X1", "rename"])
    assert 'name="new_sector"' in client.get(url).content.decode()
    response = post_form(client, url, {"effective_on": "01/07/2025",
                                       "new_name": "Đảng bộ phường An Phú", "new_sector": "ward"})
    assert response.status_code == 302
    org = Organization.objects.get(code="D1.X1")
    assert (sector_on(org, BEFORE), sector_on(org, AFTER), org.sector) == (
        "commune", "ward", "ward")
    # the other changes do not ask for it
    assert 'name="new_sector"' not in client.get(
        reverse("organizations:reorganize", args=["D1.X1", "move"])).content.decode()


def test_a_rename_may_change_only_the_sector_but_not_nothing(world):
    org = world.orgs["D1.X1"]
    services.rename_organization(org, actor=SYSTEM, new_name=org.name, new_sector="town",
                                 effective_on=REFORM)
    assert (sector_on(org, BEFORE), sector_on(org, AFTER)) == ("commune", "town")
    with pytest.raises(RuleViolation, match="Tên mới trùng tên hiện tại"):
        services.rename_organization(org, actor=SYSTEM, new_name=org.name, new_sector="town",
                                     effective_on=date(2025, 8, 1))


def test_a_correction_of_the_sector_fixes_the_periods_that_had_it(town):
    services.update_organization(town, actor=SYSTEM, sector="ward")
    assert (sector_on(town, BEFORE), sector_on(town, AFTER)) == ("town", "ward")
    assert Organization.objects.get(pk=town.pk).sector == "ward"


def test_a_move_keeps_the_sector_of_each_stretch(world, town):
    services.move_organization(town, actor=SYSTEM, new_parent=world.orgs["D2"],
                               effective_on=date(2025, 9, 1))
    assert [p.sector for p in OrgPeriod.objects.filter(organization=town).order_by(
        "valid_from")] == ["town", "commune", "commune"]


BUNDLE_CHANGES = """effective_on,org_code,change,new_parent_code,new_name,new_sector,into_code
2025-07-01,P.D.T,move,P,,,
2025-07-01,P.D.T,rename,,Đảng bộ xã Tân Yên,commune,
"""


def test_the_bundle_carries_the_new_sector_both_ways(db, tmp_path):
    path = write_bundle(tmp_path / "b", append={
        "organizations.csv": "P.D.T,Đảng bộ thị trấn Tân Yên,grassroots_committee,town,P.D,"
                             "1990-01-01,\n"},
        replace={"org_changes.csv": BUNDLE_CHANGES})
    result = import_bundle(path)
    assert result.errors == []
    town = Organization.objects.get(code="P.D.T")
    assert (sector_on(town, BEFORE), sector_on(town, AFTER)) == ("town", "commune")
    export_bundle(tmp_path / "out")
    organizations = (tmp_path / "out" / "organizations.csv").read_text(encoding="utf-8-sig")
    assert "P.D.T,Đảng bộ thị trấn Tân Yên,grassroots_committee,town," in organizations
    changes = (tmp_path / "out" / "org_changes.csv").read_text(encoding="utf-8-sig")
    assert changes.splitlines()[0].split(",")[:6] == [
        "effective_on", "org_code", "change", "new_parent_code", "new_name", "new_sector"]
    assert "2025-07-01,P.D.T,rename,,Đảng bộ xã Tân Yên,commune," in changes


def test_a_same_day_rename_exports_the_sector_as_established(db, tmp_path):
    path = write_bundle(tmp_path / "b", append={
        "organizations.csv": "P.D.T,Đảng bộ thị trấn Tân Yên,grassroots_committee,town,P.D,"
                             "1990-01-01,\n"},
        replace={"org_changes.csv": "effective_on,org_code,change,new_name,new_sector\n"
                                    "1990-01-01,P.D.T,rename,Đảng bộ xã Tân Yên,commune\n"})
    assert import_bundle(path).errors == []
    export_bundle(tmp_path / "out")
    organizations = (tmp_path / "out" / "organizations.csv").read_text(encoding="utf-8-sig")
    assert "P.D.T,Đảng bộ thị trấn Tân Yên,grassroots_committee,town," in organizations


def test_the_demo_reform_turns_its_towns_into_communes():
    tree = build_tuyen_quang()
    towns = {o.code for o in tree.organizations if o.sector == "town"}
    renamed = [c for c in tree.reform if c.change == "rename" and c.org_code in towns]
    assert renamed
    assert {c.new_sector for c in renamed} <= {"commune", "ward"}
    assert all(c.new_name.startswith(("Đảng bộ xã", "Đảng bộ phường")) for c in renamed)
