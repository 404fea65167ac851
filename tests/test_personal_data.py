"""Sensitive personal data (Vietnam's personal data protection law of 2025): who read a member's
full file is logged and shown to the administrator; national IDs are masked in lists, their
exports and the API's lists unless the capability member.sensitive says otherwise; a member
downloads everything chibo holds about them from the handbook."""

import io
import json

import openpyxl
import pytest

from chibo.accounts.choices import Role
from chibo.accounts.policy import SYSTEM
from chibo.accounts.services import grant_role
from chibo.members.models import FileRead
from chibo.members.queries import masked_national_id
from tests.test_handbook import cell_life  # noqa: F401 (a fixture)

LAN_ID = "008180001234"  # Nông Thị Lan's national ID (tests.conftest.build_people)


def reads(member):
    return list(FileRead.objects.filter(member=member).values_list("reader_name", "channel"))


# Who read whose file -------------------------------------------------------------------------

def test_reading_a_members_file_is_logged_by_page_and_by_api(world, people):
    assert world.client("commune").get("/members/M001/").status_code == 200
    assert world.client("province").get("/api/v1/members/M001").status_code == 200
    assert reads(people["lan"]) == [("commune", "page"), ("province", "api")]


def test_lists_and_refused_reads_are_not_file_reads(world, people):
    assert world.client("commune").get("/org/D1.X1/members/").status_code == 200
    assert world.client("other_commune").get("/members/M001/").status_code == 404
    assert world.client("commune").get("/api/v1/members?org=D1.X1").status_code == 200
    assert reads(people["lan"]) == []


def test_a_member_reading_their_own_file_is_not_logged(world, people):
    assert world.client("member").get("/members/M001/").status_code == 200
    assert world.client("member").get("/handbook/me/").status_code == 200
    assert reads(people["lan"]) == []


def test_the_administrator_sees_the_reads_and_others_do_not(world, people):
    world.client("commune").get("/members/M001/")
    world.client("other_commune").get("/members/M008/")
    body = world.client("admin").get("/file-reads/").content.decode()
    assert "Nông Thị Lan" in body and "Vàng Thị Yến" in body and "commune" in body
    filtered = world.client("admin").get("/file-reads/?member=M008").content.decode()
    assert "Vàng Thị Yến" in filtered and "Nông Thị Lan" not in filtered
    for username in ("province", "inspector", "commune", "member"):
        assert world.client(username).get("/file-reads/").status_code == 403, username
    assert world.client(None).get("/file-reads/").status_code == 302


def test_an_administrator_of_a_subtree_sees_only_its_reads(world, people):
    grant_role(world.users["viewer"], actor=SYSTEM, role=Role.ADMIN, organization=world.orgs["D2"])
    world.client("commune").get("/members/M001/")
    world.client("other_commune").get("/members/M008/")
    body = world.client("viewer").get("/file-reads/").content.decode()
    assert "Vàng Thị Yến" in body and "Nông Thị Lan" not in body


def test_the_administrator_finds_the_reads_in_the_menu(world, people):
    assert 'href="/file-reads/"' in world.client("admin").get("/").content.decode()
    assert 'href="/file-reads/"' not in world.client("province").get("/").content.decode()


# National IDs masked ----------------------------------------------------------------------------

def test_a_national_id_is_masked_but_its_last_four_digits():
    assert masked_national_id(LAN_ID) == "••••••••1234"
    assert masked_national_id("") == ""


def _exported_ids(client) -> dict[str, str]:
    response = client.get("/org/D1.X1/members/?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if "Số định danh cá nhân" in row)
    code, national = rows[header].index("Mã đảng viên"), rows[header].index(
        "Số định danh cá nhân")
    return {row[code]: row[national] for row in rows[header + 1:] if row[code]}


def test_the_list_export_masks_national_ids_without_the_capability(world, people):
    assert _exported_ids(world.client("commune"))["M001"] == "••••••••1234"
    assert _exported_ids(world.client("province"))["M001"] == LAN_ID


@pytest.mark.parametrize(("username", "shown"), [
    ("commune", "••••••••1234"), ("province", LAN_ID), ("admin", LAN_ID)])
def test_the_api_list_masks_national_ids_and_the_record_shows_them(world, people, username,
                                                                   shown):
    client = world.client(username)
    listed = client.get("/api/v1/members?org=D1.X1").json()["items"]
    assert {m["member_code"]: m["national_id"] for m in listed}["M001"] == shown
    assert client.get("/api/v1/members/M001").json()["national_id"] == LAN_ID


# The member's own data ------------------------------------------------------------------------

def test_a_member_downloads_everything_held_about_them(world, people, cell_life):  # noqa: F811
    world.client("commune").get("/members/M001/")
    response = world.client("member").get("/handbook/me/data.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    parts = {part["key"]: part["rows"] for part in data["parts"]}
    assert data["member_code"] == "M001"
    assert parts["members.profile"][0]["national_id"] == LAN_ID
    assert parts["members.profile"][0]["full_name"] == "Nông Thị Lan"
    assert [row["status"] for row in parts["meetings.attendance"]] == ["present"]
    assert parts["members.file_reads"] == [
        {"at": parts["members.file_reads"][0]["at"], "reader_name": "commune", "channel": "page"}]
    assert "members.events" in parts and "handbook.self_reviews" in parts
    assert "Ma Văn Thắng" not in response.content.decode()


def test_the_download_is_the_members_own_only(world, people):
    assert world.client("commune").get("/handbook/me/data.json").status_code == 403
    assert world.client(None).get("/handbook/me/data.json").status_code == 302
    body = world.client("member").get("/handbook/me/").content.decode()
    assert 'href="/handbook/me/data.json"' in body
