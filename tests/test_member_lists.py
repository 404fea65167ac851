"""The members' lists on the list pattern: the members of a subtree page by page, and the badges
of the next round, whose SQL gives the same members as replaying every one of them."""

import io
import re
from datetime import date, timedelta

import openpyxl
import pytest
from django.utils import timezone

from chibo.lists.spec import LISTS
from chibo.members import queries
from chibo.members.models import Member
from tests.conftest import admit
from tests.test_members import event

D = date


def names(body: str) -> list[str]:
    return re.findall(r'<a href="/members/[^/"]+/">([^<]+)</a>', body)


def test_the_member_list_pages_cover_everyone_once_in_name_order(world, people, monkeypatch):
    monkeypatch.setattr(LISTS["members.list"], "page_size", 2)
    client, url, seen = world.client("commune"), "/org/D1.X1/members/?", []
    while url:
        body = client.get(url).content.decode()
        seen += names(body)
        found = re.search(r'href="(\?[^"]*)" rel="next"', body)
        url = "/org/D1.X1/members/" + found.group(1).replace("&amp;", "&") if found else ""
    expected = Member.objects.filter(cell__code__startswith="D1.X1.").order_by("sort_key")
    assert seen == [m.full_name for m in expected]


def test_the_member_list_keeps_its_filters_and_the_subtree(world, people):
    client = world.client("commune")
    assert names(client.get("/org/D1.X1/members/?org=D1.X1.C2").content.decode()) == [
        "Lê Văn Bình", "Hoàng Văn Cường"]
    assert names(client.get("/org/D1.X1/members/?exempt=yes").content.decode()) == []
    event(people["thang"], "remove", D(2020, 1, 1))
    assert "Ma Văn Thắng" not in names(client.get("/org/D1.X1/members/").content.decode())
    assert "Ma Văn Thắng" in names(client.get("/org/D1.X1/members/?status=").content.decode())


@pytest.mark.parametrize("year", range(1990, 2060, 3))
def test_badges_in_sql_are_the_replayed_ones(people, world, year):
    binh = people["binh"]  # admitted 1/3/2010, out from 2015 to 2019: four years less
    event(binh, "remove", D(2015, 3, 1))
    event(binh, "readmit", D(2019, 3, 1), world.orgs["D1.X1.C2"])
    for award in queries.award_dates_after(D(year, 1, 1), 4):
        previous = max(d for d in queries.award_dates_after(D(year - 1, 1, 1), 8) if d < award)
        replayed = {(m.pk, years) for m, years in queries.badge_candidates(
            Member.objects.all(), award, previous)}
        in_sql = set(queries.badge_rows(Member.objects.all(), award, previous)
                     .values_list("pk", "milestone"))
        assert in_sql == replayed, award


def test_the_badges_page_lists_the_next_round(world, people):
    award, previous = queries.badge_round(timezone.localdate())
    just = award - queries.years_in_days(30)  # 30 years of age exactly at award
    admit("M009", "Phạm Văn Mốc", world.orgs["D1.X1.C2"], admitted_on=just,
          birth_date=D(1970, 1, 1), official_on=just + timedelta(days=400))
    admit("M010", "Phạm Văn Sớm", world.orgs["D1.X1.C2"], admitted_on=just - timedelta(days=1),
          birth_date=D(1970, 1, 1), official_on=just + timedelta(days=400))
    if previous < award - timedelta(days=1):
        admit("M011", "Phạm Văn Muộn", world.orgs["D1.X1.C2"],
              admitted_on=just + timedelta(days=1), birth_date=D(1970, 1, 1))
    client = world.client("commune")
    body = client.get("/org/D1.X1/badges/").content.decode()
    assert f"đợt {award:%d/%m/%Y}" in body
    assert "Phạm Văn Mốc" in body and "Phạm Văn Sớm" in body and "Phạm Văn Muộn" not in body
    assert "30 năm" in body
    assert "Phạm Văn Mốc" not in client.get("/org/D1.X1/badges/?milestone=40").content.decode()
    export = client.get("/org/D1.X1/badges/?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=6, values_only=True))
    assert sorted(row[2] for row in rows) == ["Phạm Văn Mốc", "Phạm Văn Sớm"]
    assert {row[0] for row in rows} == {30}


@pytest.mark.parametrize("query", ["", "status=", "gender=female", "org=D1.X1",
                                   "sort=admitted"])
def test_walking_the_name_index_selects_the_same_members(world, people, monkeypatch, query):
    """The plan a large subtree's list takes (by the cells' ids, no index on the scope nor on
    the status) selects the same members in the same order as a small one's."""
    event(people["thang"], "remove", D(2020, 1, 1))
    client = world.client("province")

    def listed(threshold):
        monkeypatch.setattr(queries, "NAME_WALK_CELLS", threshold)
        return names(client.get(f"/org/TQ/members/?{query}").content.decode())

    assert queries.walks_names(world.orgs["TQ"].path) is False
    walked, plain = listed(1), listed(10_000)
    assert walked == plain and plain


def test_the_member_export_writes_yes_no_and_days_as_people_read_them(world, people):
    event(people["thang"], "exempt", D(2024, 2, 1))
    response = world.client("commune").get("/org/D1.X1/members/?exempt=yes&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[5]]
    row = dict(zip(header, next(sheet.iter_rows(min_row=6, values_only=True)), strict=True))
    assert row["Họ và tên"] == "Ma Văn Thắng" and row["Miễn sinh hoạt"] == "Có"
    assert row["Ngày kết nạp"].date() == D(2010, 3, 1)  # a date cell, not text
    assert "Miễn sinh hoạt: Được miễn" in sheet["A4"].value
