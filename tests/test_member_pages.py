"""Member pages and API: permissions, filters, search without diacritics, forms, export."""

import io
import json

import openpyxl
import pytest

from chibo.audit.models import AuditRecord
from chibo.members.models import Member, MemberEvent
from tests.form_support import post_form

VIEW = ["/org/D1.X1/members/", "/members/M002/", "/org/D1.X1/badges/"]
MANAGE = ["/org/D1.X1.C1/members/new/", "/members/M002/edit/", "/members/M002/posts/new/",
          "/members/M002/events/exempt/", "/members/M002/events/transfer/"]


@pytest.mark.parametrize("url", VIEW)
def test_member_view_pages(people, world, url):
    assert world.client("commune").get(url).status_code == 200
    # the secretary of D1.X1.C1 reads their cell's member M002, not the commune's pages
    assert world.client("secretary").get(url).status_code == (
        200 if url == "/members/M002/" else 404)
    assert world.client("other_commune").get(url).status_code == 404
    # the viewer of D1 (statistics only): the commune's pages are in scope but not allowed; a
    # member's file is not among what they may see at all
    assert world.client("viewer").get(url).status_code == (
        404 if url == "/members/M002/" else 403)
    assert world.client(None).get(url).status_code == 302


@pytest.mark.parametrize("url", MANAGE)
def test_member_manage_pages(people, world, url):
    assert world.client("commune").get(url).status_code == 200
    assert world.client("secretary").get(url).status_code == 403
    assert world.client("inspector").get(url).status_code == 403
    assert world.client("other_commune").get(url).status_code == 404
    assert world.client(None).get(url).status_code == 302


def test_a_member_sees_their_own_file_only(people, world):
    client = world.client("member")
    assert client.get("/members/M001/").status_code == 200
    assert client.get("/members/M002/").status_code == 404
    assert client.get("/members/M001/edit/").status_code == 403


def test_list_filters_and_search_without_diacritics(people, world):
    client = world.client("commune")
    body = client.get("/org/D1.X1/members/?q=dang van duong").content.decode()
    assert "Đặng Văn Dương" in body and "Nông Thị Lan" not in body
    body = client.get("/org/D1.X1/members/?gender=female").content.decode()
    assert "Nông Thị Lan" in body and "Ma Văn Thắng" not in body
    body = client.get("/org/D1.X1/members/?ethnicity=minority").content.decode()
    assert "Ma Văn Thắng" in body and "Nguyễn Văn An" not in body
    body = client.get("/org/D1.X1/members/?age_band=over_60").content.decode()
    assert "Đặng Văn Dương" in body and "Nông Thị Lan" not in body
    assert "Vàng Thị Yến" not in client.get("/org/D1.X1/members/").content.decode()


def test_list_is_in_vietnamese_name_order_and_pages(people, world):
    body = world.client("commune").get("/org/D1.X1/members/").content.decode()
    order = [body.index(n) for n in ("Nguyễn Văn An", "Lê Văn Bình", "Hoàng Văn Cường",
                                     "Đặng Văn Dương", "Trần Thị Hoa")]
    assert order == sorted(order)


def test_keyset_pages_cover_everyone_once(people, world):
    from chibo.members.queries import page_after

    members = Member.objects.all()
    seen, cursor = [], ""
    while True:
        rows, cursor = page_after(members, cursor, size=3)
        seen += [m.member_code for m in rows]
        if not cursor:
            break
    assert sorted(seen) == sorted(members.values_list("member_code", flat=True))


def test_excel_export_of_the_filtered_list(people, world):
    response = world.client("commune").get("/org/D1.X1/members/?gender=female&export=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=6, values_only=True)]
    assert sorted(names) == ["Nông Thị Lan", "Trần Thị Hoa"]
    assert sheet["A1"].value == "ĐẢNG CỘNG SẢN VIỆT NAM"


def test_record_an_exemption_through_the_form(people, world):
    client = world.client("commune")
    response = post_form(client, "/members/M003/events/exempt/", {"effective_on": "01/02/2024",
                                                            "decision_no": "5-NQ/CB"})
    assert response.status_code == 302
    assert Member.objects.get(member_code="M003").is_exempt
    body = client.get("/members/M003/").content.decode()
    assert "Miễn công tác và sinh hoạt đảng" in body and "5-NQ/CB" in body


def test_a_refused_event_shows_the_reason_and_writes_nothing(people, world):
    before = (MemberEvent.objects.count(), AuditRecord.objects.count())
    response = post_form(world.client("commune"), "/members/M004/events/official/",
                                            {"effective_on": "01/10/2025"})
    assert response.status_code == 200
    assert "12 tháng" in response.content.decode()
    assert (MemberEvent.objects.count(), AuditRecord.objects.count()) == before


def test_admission_form_warns_of_a_likely_duplicate(people, world):
    client = world.client("commune")
    data = {"member_code": "N9", "full_name": "Nong Thi Lan", "gender": "female",
            "birth_date": "17/05/1980", "ethnicity": "Tày", "admitted_on": "01/03/2024"}
    response = client.post("/org/D1.X1.C2/members/new/", data)
    assert response.status_code == 200 and "M001" in response.content.decode()
    assert not Member.objects.filter(member_code="N9").exists()
    response = client.post("/org/D1.X1.C2/members/new/", {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Member.objects.get(member_code="N9").cell.code == "D1.X1.C2"


def test_organization_page_shows_counts_and_committee(people, world):
    from datetime import date

    from chibo.accounts.policy import SYSTEM
    from chibo.members.services import assign_post

    assign_post(people["thang"], actor=SYSTEM, role="secretary", org=world.orgs["D1.X1.C1"],
                start_on=date(2020, 10, 1))
    body = world.client("commune").get("/org/D1.X1.C1/").content.decode()
    assert "Bí thư" in body and "Ma Văn Thắng" in body
    assert "5 đảng viên" in body


# API ----------------------------------------------------------------------------------------

def api(client, method, url, payload=None, **headers):
    kwargs = {"content_type": "application/json", **headers}
    if payload is not None:
        kwargs["data"] = json.dumps(payload)
    return getattr(client, method)(f"/api/v1/{url}", **kwargs)


def test_api_member_list_and_detail(people, world):
    client = world.client("commune")
    data = api(client, "get", "members?org=D1.X1&q=nong thi").json()
    assert data["count"] == 1 and data["items"][0]["member_code"] == "M001"
    assert api(client, "get", "members/M008").status_code == 404
    assert api(world.client("other_commune"), "get", "members?org=D1.X1").status_code == 404
    assert api(world.client(None), "get", "members").status_code == 401
    everyone = api(world.client("province"), "get", "members?limit=3").json()
    assert everyone["count"] == 8 and len(everyone["items"]) == 3 and everyone["next"]


def test_api_events(people, world):
    payload = {"event": "exempt", "effective_on": "2024-02-01"}
    assert api(world.client("secretary"), "post", "members/M003/events", payload
               ).status_code == 403
    assert api(world.client("other_commune"), "post", "members/M003/events", payload
               ).status_code == 404
    response = api(world.client("commune"), "post", "members/M003/events", payload)
    assert response.status_code == 201 and response.json()["status"] == "official"
    refused = api(world.client("commune"), "post", "members/M003/events", payload)
    assert refused.status_code == 422 and "miễn" in refused.json()["detail"]


def test_api_admission_and_update(people, world):
    client = world.client("commune")
    response = api(client, "post", "members", {
        "member_code": "N1", "full_name": "Lò Văn Tú", "gender": "male",
        "birth_date": "1990-01-01", "admitted_on": "2024-05-01", "cell": "D1.X1.C2"})
    assert response.status_code == 201 and response.json()["status"] == "probationary"
    response = api(client, "patch", "members/N1", {"phone": "0912345678"},
                   HTTP_IF_MATCH=response["ETag"])
    assert response.status_code == 200
    bad = api(client, "patch", "members/N1", {"national_id": "12"},
              HTTP_IF_MATCH=response["ETag"])
    assert bad.status_code == 422 and bad.json()["field"] == "national_id"
    outside = api(client, "post", "members", {
        "member_code": "N2", "full_name": "X", "gender": "male", "birth_date": "1990-01-01",
        "admitted_on": "2024-05-01", "cell": "D2.X1.C1"})
    assert outside.status_code == 422 and outside.json()["field"] == "cell"


def test_end_a_post_through_the_form(people, world):
    from datetime import date

    from chibo.accounts.policy import SYSTEM
    from chibo.members.services import assign_post

    post = assign_post(people["thang"], actor=SYSTEM, role="secretary",
                       org=world.orgs["D1.X1.C1"], start_on=date(2020, 10, 1))
    url = f"/members/M002/posts/{post.pk}/end/"
    assert world.client("secretary").get(url).status_code == 403
    assert world.client("other_commune").get(url).status_code == 404
    refused = post_form(world.client("commune"), url, {"end_on": "01/01/2019"})
    assert refused.status_code == 200 and "trước ngày bắt đầu" in refused.content.decode()
    assert post_form(world.client("commune"), url, {"end_on": "30/06/2025"}).status_code == 302
    post.refresh_from_db()
    assert post.end_on == date(2025, 6, 30)
    assert world.client("commune").get(url).status_code == 404  # no longer held
