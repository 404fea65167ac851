"""No lost update: an edit made against a version of a record that is no longer stored is refused
(nothing written), on the pages with what changed and by whom, in the API with 412 (and 428 for
a PATCH without If-Match). chibo.core.concurrency; docs/architecture.md."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.audit.models import AuditRecord
from chibo.core.concurrency import StaleVersion, etag, version_of
from chibo.handbook import services as handbook_services
from chibo.handbook.models import SelfReview
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Meeting
from chibo.members import services as member_services
from chibo.members.models import Member, MemberEvent, Position
from chibo.organizations import services as org_services
from chibo.organizations.models import Organization, Reorganization
from tests.form_support import filled
from tests.test_handbook import review
from tests.test_meeting_api import closing_body
from tests.test_meetings import schedule


def written() -> int:
    return AuditRecord.objects.count()


def api(client, method, url, payload=None, **headers):
    kwargs = {"content_type": "application/json", **headers}
    if payload is not None:
        kwargs["data"] = json.dumps(payload)
    return getattr(client, method)(f"/api/v1/{url}", **kwargs)


# The version ------------------------------------------------------------------------------------

def test_the_version_follows_what_is_stored_whatever_path_changed_it(world, people):
    member = people["thang"]
    first = version_of(member)
    member.save()  # saved again, unchanged
    assert version_of(member) == first
    Member.objects.filter(pk=member.pk).update(phone="0900")  # not through a service
    assert version_of(member) != first
    Member.objects.filter(pk=member.pk).update(phone=member.phone)
    assert version_of(member) == first  # the stored values, not a counter
    assert version_of(people["lan"]) != first


def test_a_service_refuses_a_stale_version_and_writes_nothing(world, people):
    member = people["thang"]
    seen = version_of(member)
    member_services.update_member(member, actor=SYSTEM, phone="0912000111")
    before = written()
    with pytest.raises(StaleVersion):
        member_services.update_member(member, actor=SYSTEM, occupation="Giáo viên",
                                      version=seen)
    member.refresh_from_db()
    assert (member.phone, member.occupation, written()) == ("0912000111", "", before)
    member_services.update_member(member, actor=SYSTEM, occupation="Giáo viên",
                                  version=version_of(member))
    assert Member.objects.get(pk=member.pk).occupation == "Giáo viên"


def test_ending_a_post_and_a_photo_check_the_version_too(world, people):
    member = people["thang"]
    post = member_services.assign_post(member, actor=SYSTEM, role="secretary",
                                       org=world.orgs["D1.X1.C1"], start_on=date(2020, 10, 1))
    seen = version_of(post)
    Position.objects.filter(pk=post.pk).update(start_on=date(2020, 11, 1))
    with pytest.raises(StaleVersion):
        member_services.end_post(post, actor=SYSTEM, end_on=date(2025, 6, 30), version=seen)
    assert Position.objects.get(pk=post.pk).end_on is None
    stale = version_of(member)
    member_services.update_member(member, actor=SYSTEM, phone="0900")
    with pytest.raises(StaleVersion):
        member_services.set_photo(member, actor=SYSTEM, data=None, version=stale)


# Pages: the two officers ------------------------------------------------------------------------

def test_two_officers_edit_one_member_and_the_first_ones_phone_is_not_lost(world, people):
    """A saves a new phone, B (who opened the form before) a new occupation: B is refused with
    what A changed, and the form B gets back holds A's phone and B's occupation."""
    url = "/members/M002/edit/"
    officer_a, officer_b = world.client("commune"), world.client("province")
    form_a, form_b = filled(officer_a.get(url)), filled(officer_b.get(url))
    assert officer_a.post(url, {**form_a, "phone": "0912000111"}).status_code == 302
    before = written()

    refused = officer_b.post(url, {**form_b, "occupation": "Giáo viên"})

    assert refused.status_code == 200
    member = Member.objects.get(member_code="M002")
    assert (member.phone, member.occupation, written()) == ("0912000111", "", before)
    body = refused.content.decode()
    assert "Trong lúc bạn sửa, commune đã lưu thay đổi" in body
    assert 'data-change-by="commune"' in body and "Điện thoại" in body
    assert 'data-difference="theirs"' in body and 'data-difference="yours"' in body
    again = filled(refused)
    assert (again["phone"], again["occupation"]) == ("0912000111", "Giáo viên")
    assert officer_b.post(url, again).status_code == 302
    member.refresh_from_db()
    assert (member.phone, member.occupation) == ("0912000111", "Giáo viên")


def test_when_both_change_one_field_the_form_keeps_the_stored_value_beside_yours(world, people):
    url = "/members/M002/edit/"
    officer_a, officer_b = world.client("commune"), world.client("province")
    form_a, form_b = filled(officer_a.get(url)), filled(officer_b.get(url))
    officer_a.post(url, {**form_a, "phone": "0912000111"})
    refused = officer_b.post(url, {**form_b, "phone": "0987000222"})
    body = refused.content.decode()
    assert "0912000111" in body and "0987000222" in body and "cả hai cùng sửa" in body
    assert filled(refused)["phone"] == "0912000111"
    assert Member.objects.get(member_code="M002").phone == "0912000111"


def test_a_form_without_its_version_is_refused(world, people):
    form = filled(world.client("commune").get("/members/M002/edit/"))
    del form["record_version"]
    before = written()
    response = world.client("commune").post("/members/M002/edit/", {**form, "phone": "0900"})
    assert response.status_code == 200 and "mở lại trang" in response.content.decode()
    assert written() == before


def test_an_event_recorded_on_a_file_changed_meanwhile_is_refused(world, people):
    url = "/members/M003/events/exempt/"
    client = world.client("commune")
    form = {**filled(client.get(url)), "effective_on": "01/02/2024", "decision_no": "5-NQ/CB"}
    member_services.update_member(people["duong"], actor=world.users["province"], phone="0900")
    refused = client.post(url, form)
    assert refused.status_code == 200 and "province" in refused.content.decode()
    assert not MemberEvent.objects.filter(member=people["duong"], event="exempt").exists()
    again = filled(refused)
    assert again["decision_no"] == "5-NQ/CB"  # an action form keeps what was entered
    assert client.post(url, again).status_code == 302
    assert Member.objects.get(member_code="M003").is_exempt


def test_two_officers_edit_one_organization(world):
    url = "/org/D1.X1/edit/"
    officer_a, officer_b = world.client("admin"), world.client("province")
    form_a, form_b = filled(officer_a.get(url)), filled(officer_b.get(url))
    assert officer_a.post(url, {**form_a, "name": "Đảng bộ xã An Phú (sửa)"}).status_code == 302
    before = written()
    refused = officer_b.post(url, {**form_b, "sector": "ward"})
    assert refused.status_code == 200 and "admin" in refused.content.decode()
    org = Organization.objects.get(code="D1.X1")
    assert (org.name, org.sector, written()) == ("Đảng bộ xã An Phú (sửa)", "commune", before)
    again = filled(refused)
    assert (again["name"], again["sector"]) == ("Đảng bộ xã An Phú (sửa)", "ward")
    assert officer_b.post(url, again).status_code == 302
    org.refresh_from_db()
    assert (org.name, org.sector) == ("Đảng bộ xã An Phú (sửa)", "ward")


def test_a_reorganization_of_an_organization_changed_meanwhile_is_refused(world):
    url = "/org/D1.X1/change/rename/"
    client = world.client("province")
    form = {**filled(client.get(url)), "effective_on": "01/01/2024", "new_name": "Tên mới"}
    org_services.update_organization(world.orgs["D1.X1"], actor=world.users["admin"],
                                     sector="ward")
    refused = client.post(url, form)
    assert refused.status_code == 200 and "admin" in refused.content.decode()
    assert not Reorganization.objects.filter(organization__code="D1.X1").exists()


def test_two_officers_edit_one_meeting(world, people):
    meeting = schedule(world, day=timezone.localdate() + timedelta(days=5))
    url = f"/meetings/{meeting.code}/edit/"
    officer_a, officer_b = world.client("secretary"), world.client("commune")
    form_a, form_b = filled(officer_a.get(url)), filled(officer_b.get(url))
    assert officer_a.post(url, {**form_a, "place": "Hội trường xã"}).status_code == 302
    before = written()
    refused = officer_b.post(url, {**form_b, "topic": "Chuyên đề học tập"})
    assert refused.status_code == 200 and "secretary" in refused.content.decode()
    meeting.refresh_from_db()
    assert (meeting.place, meeting.topic, written()) == (
        "Hội trường xã", "Sinh hoạt tháng 3", before)
    again = filled(refused)
    assert officer_b.post(url, again).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.place, meeting.topic) == ("Hội trường xã", "Chuyên đề học tập")


def test_closing_a_meeting_changed_since_the_close_page_opened_is_refused(world, people):
    meeting = schedule(world, day=timezone.localdate() - timedelta(days=1))
    url = f"/meetings/{meeting.code}/close/"
    client = world.client("secretary")
    form = {**filled(client.get(url)), "duration_minutes": "100", "minutes_complete": "on"}
    meeting_services.update_meeting(meeting, actor=world.users["commune"], place="Hội trường")
    refused = client.post(url, form)
    assert refused.status_code == 200 and "commune" in refused.content.decode()
    assert not Meeting.objects.get(pk=meeting.pk).is_closed
    assert client.post(url, filled(refused)).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).is_closed


def test_a_self_review_saved_on_two_devices(world, people):
    handbook_services.save_review(people["lan"], timezone.localdate().year,
                                  review(strengths="Bản đầu"), actor=world.users["member"])
    url = "/handbook/review/"
    phone, laptop = world.client("member"), world.client("member")
    on_phone, on_laptop = filled(phone.get(url)), filled(laptop.get(url))
    assert phone.post(url, {**on_phone, "strengths": "Viết trên điện thoại",
                            "save": "1"}).status_code == 302
    refused = laptop.post(url, {**on_laptop, "remedies": "Đọc nghị quyết", "save": "1"})
    assert refused.status_code == 200
    stored = SelfReview.objects.get(member=people["lan"])
    assert (stored.strengths, stored.remedies) == ("Viết trên điện thoại", "")
    again = filled(refused)
    assert (again["strengths"], again["remedies"]) == ("Viết trên điện thoại", "Đọc nghị quyết")


# The API ------------------------------------------------------------------------------------------

def test_the_api_patch_of_a_member_needs_the_current_etag(world, people):
    client = world.client("commune")
    read = api(client, "get", "members/M002")
    seen = read["ETag"]
    assert seen == etag(version_of(people["thang"]))
    before = written()

    missing = api(client, "patch", "members/M002", {"phone": "0912000222"})
    assert missing.status_code == 428
    assert missing.json()["field"] is None and "If-Match" in missing.json()["detail"]
    assert written() == before

    current = api(client, "patch", "members/M002", {"phone": "0912000111"}, HTTP_IF_MATCH=seen)
    assert current.status_code == 200 and current.json()["member_code"] == "M002"
    assert current["ETag"] != seen
    assert current["ETag"] == api(client, "get", "members/M002")["ETag"]

    stale = api(client, "patch", "members/M002", {"occupation": "Giáo viên"}, HTTP_IF_MATCH=seen)
    assert stale.status_code == 412 and stale.json()["field"] is None
    member = Member.objects.get(member_code="M002")
    assert (member.phone, member.occupation) == ("0912000111", "")
    assert written() == before + 1

    weak = api(client, "patch", "members/M002", {"occupation": "x"},
               HTTP_IF_MATCH=f"W/{current['ETag']}")
    assert weak.status_code == 412  # If-Match compares strongly
    listed = api(client, "patch", "members/M002", {"occupation": "Giáo viên"},
                 HTTP_IF_MATCH=f'"other", {current["ETag"]}')
    assert listed.status_code == 200
    assert api(client, "patch", "members/M002", {"notes": "x"},
               HTTP_IF_MATCH="*").status_code == 200


def test_a_forbidden_or_unknown_patch_is_refused_before_asking_for_if_match(world, people):
    assert api(world.client("secretary"), "patch", "members/M002",
               {"phone": "0912000333"}).status_code == 403
    assert api(world.client("other_commune"), "patch", "members/M002",
               {"phone": "0912000333"}).status_code == 404


def test_the_api_patch_of_an_organization_needs_the_current_etag(world):
    client = world.client("province")
    seen = api(client, "get", "organizations/D1.X1")["ETag"]
    assert api(client, "get", "organizations/D1.X1?as_of=2020-01-01")["ETag"] == seen
    assert api(client, "patch", "organizations/D1.X1", {"name": "X"}).status_code == 428
    org_services.update_organization(world.orgs["D1.X1"], actor=world.users["admin"],
                                     sector="ward")
    before = written()
    stale = api(client, "patch", "organizations/D1.X1", {"name": "X"}, HTTP_IF_MATCH=seen)
    assert stale.status_code == 412 and "đã được thay đổi" in stale.json()["detail"]
    assert Organization.objects.get(code="D1.X1").name == "Đảng bộ xã An Phú"
    assert written() == before
    fresh = api(client, "get", "organizations/D1.X1")["ETag"]
    done = api(client, "patch", "organizations/D1.X1", {"name": "Đảng bộ xã An Phú Mới"},
               HTTP_IF_MATCH=fresh)
    assert done.status_code == 200 and done.json()["name"] == "Đảng bộ xã An Phú Mới"
    assert done["ETag"] not in (seen, fresh)


def test_a_reorganization_through_the_api_honours_if_match(world):
    client = world.client("province")
    seen = api(client, "get", "organizations/D1.X1")["ETag"]
    org_services.update_organization(world.orgs["D1.X1"], actor=SYSTEM, sector="ward")
    body = {"change": "rename", "effective_on": "2024-01-01", "new_name": "Tên mới"}
    assert api(client, "post", "organizations/D1.X1/reorganizations", body,
               HTTP_IF_MATCH=seen).status_code == 412
    assert not Reorganization.objects.exists()
    fresh = api(client, "get", "organizations/D1.X1")["ETag"]
    done = api(client, "post", "organizations/D1.X1/reorganizations", body, HTTP_IF_MATCH=fresh)
    assert done.status_code == 201 and done["ETag"] == api(client, "get",
                                                           "organizations/D1.X1")["ETag"]


def test_closing_a_meeting_through_the_api_honours_if_match(world, people):
    meeting = schedule(world, day=timezone.localdate() - timedelta(days=1))
    client = world.client("secretary")
    seen = api(client, "get", f"meetings/{meeting.code}")["ETag"]
    meeting_services.update_meeting(meeting, actor=world.users["commune"], place="Hội trường")
    before = written()
    stale = api(client, "post", f"meetings/{meeting.code}/close", closing_body(people),
                HTTP_IF_MATCH=seen)
    assert stale.status_code == 412
    assert not Meeting.objects.get(pk=meeting.pk).is_closed and written() == before
    fresh = api(client, "get", f"meetings/{meeting.code}")["ETag"]
    done = api(client, "post", f"meetings/{meeting.code}/close", closing_body(people),
               HTTP_IF_MATCH=fresh)
    assert done.status_code == 200 and done.json()["status"] == "closed"
    assert done["ETag"] == api(client, "get", f"meetings/{meeting.code}")["ETag"] != fresh


def test_a_post_action_without_if_match_is_not_checked(world, people):
    meeting = schedule(world, day=timezone.localdate() - timedelta(days=1))
    response = api(world.client("secretary"), "post", f"meetings/{meeting.code}/close",
                   closing_body(people))
    assert response.status_code == 200 and "ETag" in response


def test_guests_absences_and_events_honour_a_stale_if_match(world, people):
    meeting = schedule(world, day=timezone.localdate() + timedelta(days=5))
    client = world.client("commune")
    seen = api(client, "get", f"meetings/{meeting.code}")["ETag"]
    meeting_services.update_meeting(meeting, actor=SYSTEM, place="Hội trường")
    guest = {"role": "higher_level", "full_name": "Hà Văn Sơn"}
    assert api(client, "post", f"meetings/{meeting.code}/guests", guest,
               HTTP_IF_MATCH=seen).status_code == 412
    assert not meeting.guests.exists()
    absence = {"reason": "Đi công tác", "member_code": "M002"}
    assert api(client, "post", f"meetings/{meeting.code}/absence", absence,
               HTTP_IF_MATCH=seen).status_code == 412
    assert not meeting.attendance.exists()
    file_seen = api(client, "get", "members/M003")["ETag"]
    member_services.update_member(people["duong"], actor=SYSTEM, phone="0900")
    event = {"event": "exempt", "effective_on": "2024-02-01"}
    assert api(client, "post", "members/M003/events", event,
               HTTP_IF_MATCH=file_seen).status_code == 412
    assert not MemberEvent.objects.filter(event="exempt").exists()
    done = api(client, "post", "members/M003/events", event,
               HTTP_IF_MATCH=api(client, "get", "members/M003")["ETag"])
    assert done.status_code == 201 and done["ETag"] == api(client, "get", "members/M003")["ETag"]


def test_every_record_the_api_returns_carries_its_etag(world, people):
    client = world.client("province")
    created = api(client, "post", "members", {
        "member_code": "N1", "full_name": "Lò Văn Tú", "gender": "male",
        "birth_date": "1990-01-01", "admitted_on": "2024-05-01", "cell": "D1.X1.C2"})
    assert created.status_code == 201
    assert created["ETag"] == api(client, "get", "members/N1")["ETag"]
    meeting = api(client, "post", "meetings", {"org_code": "D1.X1.C1", "kind": "regular",
                                               "date": "2026-03-10", "topic": "Định kỳ",
                                               "place": "Nhà văn hóa"})
    assert meeting.status_code == 201
    assert meeting["ETag"] == api(client, "get", f"meetings/{meeting.json()['code']}")["ETag"]
    org = api(client, "post", "organizations", {
        "code": "D1.X1.C9", "name": "Chi bộ mới", "kind": "cell", "parent": "D1.X1",
        "established_on": "2024-01-01"})
    assert org.status_code == 201 and org["ETag"] == etag(version_of(
        Organization.objects.get(code="D1.X1.C9")))


def test_the_openapi_documents_412_and_428_and_the_if_match_header(world):
    schema = world.client("province").get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/v1/members/{member_code}", "/api/v1/organizations/{code}"):
        operation = paths[path]["patch"]
        assert {"412", "428"} <= set(operation["responses"])
        assert any(p["in"] == "header" and p["name"] == "If-Match"
                   for p in operation["parameters"])
    for path in ("/api/v1/meetings/{code}/close", "/api/v1/members/{member_code}/events",
                 "/api/v1/organizations/{code}/reorganizations"):
        assert "412" in paths[path]["post"]["responses"]
        assert "428" not in paths[path]["post"]["responses"]
