"""Meetings through the API, with the same scoping as the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.core.exceptions import RuleViolation
from chibo.meetings import services
from chibo.meetings.models import Attendance, Meeting
from tests.form_support import post_form
from tests.test_meetings import schedule


def call(client, method, url, **kwargs):
    if "json" in kwargs:
        kwargs["data"] = kwargs.pop("json")
        kwargs["content_type"] = "application/json"
    return getattr(client, method)(f"/api/v1/{url}", **kwargs)


def closing_body(people, **extra):
    body = {"attendance": [{"member_code": p.member_code, "status": "present", "spoke": True}
                           for key, p in people.items() if p.cell.code == "D1.X1.C1"],
            "duration_minutes": 120, "agenda_prepared": True, "committee_prepared": True,
            "draft_resolution": True, "minutes_complete": True, "conclusion": "Thống nhất",
            "tasks": [{"member_code": "M002", "description": "Làm đường",
                       "due_on": str(timezone.localdate() + timedelta(days=10))}]}
    body.update(extra)
    return body


def test_secretary_schedules_and_closes_through_the_api(world, people):
    client = world.client("secretary")
    today = timezone.localdate()
    response = call(client, "post", "meetings", json={
        "org_code": "D1.X1.C1", "kind": "regular", "date": str(today), "topic": "Tháng này",
        "place": "Nhà văn hóa"})
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    response = call(client, "post", f"meetings/{code}/close", json=closing_body(people))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "closed" and data["attended"] == 5 and data["quality_passed"]
    again = call(client, "post", f"meetings/{code}/close", json=closing_body(people))
    assert again.status_code == 422 and "đã kết thúc" in again.json()["detail"]
    rows = call(client, "get", f"meetings/{code}/attendance").json()
    assert len(rows) == 5 and {r["status"] for r in rows} == {"present"}


def test_attendance_for_a_non_member_is_a_422_naming_the_field(world, people):
    meeting = schedule(world, day=timezone.localdate())
    body = closing_body(people)
    body["attendance"].append({"member_code": "M006", "status": "present"})
    response = call(world.client("secretary"), "post", f"meetings/{meeting.code}/close", json=body)
    assert response.status_code == 422 and response.json()["field"] == "attendance"
    assert "không phải đảng viên" in response.json()["detail"]
    body["attendance"][-1]["member_code"] = "NO-SUCH"
    response = call(world.client("secretary"), "post", f"meetings/{meeting.code}/close", json=body)
    assert response.status_code == 422
    assert not Attendance.objects.exists() and not Meeting.objects.get().is_closed


@pytest.mark.parametrize("username, status", [
    ("secretary", 200), ("member", 200), ("commune", 200), ("other_commune", 404),
    ("nobody", 404)])
def test_reading_a_meeting_follows_the_scope(world, people, username, status):
    meeting = schedule(world)
    assert call(world.client(username), "get", f"meetings/{meeting.code}").status_code == status


def test_lists_only_what_the_caller_may_see(world, people):
    schedule(world)
    schedule(world, cell="D2.X1.C1")
    assert call(world.client("member"), "get", "meetings").json()["count"] == 1
    assert call(world.client("province"), "get", "meetings").json()["count"] == 2
    assert call(world.client("province"), "get", "meetings?org=D2").json()["count"] == 1
    assert call(world.client("member"), "get", "meetings?org=D2").status_code == 404


def test_forbidden_actions_are_403(world, people):
    meeting = schedule(world, day=timezone.localdate())
    member = world.client("member")
    assert call(member, "post", f"meetings/{meeting.code}/close",
                json=closing_body(people)).status_code == 403
    assert call(member, "get", f"meetings/{meeting.code}/attendance").status_code == 403
    response = call(member, "post", "meetings", json={
        "org_code": "D1.X1.C1", "kind": "regular", "date": "2026-03-01", "topic": "x",
        "place": "y"})
    assert response.status_code == 403
    response = call(world.client("secretary"), "post", "meetings", json={
        "org_code": "D1.X1.C2", "kind": "regular", "date": "2026-03-01", "topic": "x",
        "place": "y"})
    # Another cell is outside the secretary's scope: refused like an unknown code.
    assert response.status_code == 422 and response.json()["field"] == "org_code"
    assert not Meeting.objects.filter(organization__code="D1.X1.C2").exists()


def test_member_reports_absence_and_a_guest_is_invited(world, people):
    meeting = schedule(world, day=timezone.localdate() + timedelta(days=3))
    response = call(world.client("member"), "post", f"meetings/{meeting.code}/absence",
                    json={"reason": "Ốm"})
    assert response.status_code == 201 and response.json()["member_code"] == "M001"
    response = call(world.client("commune"), "post", f"meetings/{meeting.code}/guests",
                    json={"role": "higher_level", "full_name": "Hà Văn Sơn",
                          "org_code": "D1.X1"})
    assert response.status_code == 201
    assert call(world.client("member"), "get",
                f"meetings/{meeting.code}/guests").json()[0]["full_name"] == "Hà Văn Sơn"


@pytest.mark.parametrize("code", ["M008", "M006", "NO-SUCH"])
def test_a_code_outside_the_cell_gets_one_answer_that_names_no_one(world, people, code):
    """Member codes are looked up among the meeting's expected members only: a member of
    another district (M008), of another cell (M006) and an unknown code read alike."""
    meeting = schedule(world, day=timezone.localdate())
    secretary = world.client("secretary")
    body = closing_body(people)
    body["attendance"].append({"member_code": code, "status": "present"})
    tasks = closing_body(people, tasks=[{"member_code": code, "description": "Làm đường",
                                         "due_on": str(timezone.localdate())}])
    later = schedule(world, day=timezone.localdate() + timedelta(days=3))
    answers = [
        call(secretary, "post", f"meetings/{meeting.code}/close", json=body),
        call(secretary, "post", f"meetings/{meeting.code}/close", json=tasks),
        call(secretary, "post", f"meetings/{later.code}/absence",
             json={"reason": "Ốm", "member_code": code})]
    for response, field in zip(answers, ["attendance", "tasks", "member_code"], strict=True):
        assert response.status_code == 422 and response.json()["field"] == field
        detail = response.json()["detail"]
        assert detail == f"{code} không phải đảng viên của chi bộ vào ngày sinh hoạt."
        assert people["yen"].full_name not in detail and people["binh"].full_name not in detail
    inside = call(secretary, "post", f"meetings/{later.code}/absence",
                  json={"reason": "Ốm", "member_code": "M002"})
    assert inside.status_code == 201 and inside.json()["member_code"] == "M002"
    assert not Meeting.objects.get(pk=meeting.pk).is_closed


def test_a_member_may_not_report_another_members_absence(world, people):
    later = schedule(world, day=timezone.localdate() + timedelta(days=3))
    member = world.client("member")
    for code in ("M002", "M008"):  # inside the cell or not: the same 403, no lookup
        response = call(member, "post", f"meetings/{later.code}/absence",
                        json={"reason": "Ốm", "member_code": code})
        assert response.status_code == 403
    own = call(member, "post", f"meetings/{later.code}/absence",
               json={"reason": "Ốm", "member_code": "M001"})
    assert own.status_code == 201
    assert list(Attendance.objects.values_list("member__member_code", flat=True)) == ["M001"]


@pytest.mark.parametrize("link", ["javascript:alert(document.cookie)", "data:text/html,x",
                                  "ftp://meet.example.vn/x", "meet.example.vn"])
def test_an_online_link_must_be_a_web_address(world, people, link):
    """The staff page writes the link into an href: only http(s) addresses are accepted, by
    the service the pages, the API and the bundle share."""
    secretary = world.client("secretary")
    body = {"org_code": "D1.X1.C1", "kind": "regular", "date": str(timezone.localdate()),
            "topic": "Trực tuyến", "online_link": link}
    response = call(secretary, "post", "meetings", json=body)
    assert response.status_code == 422 and response.json()["field"] == "online_link"
    assert "http:// hoặc https://" in response.json()["detail"]
    assert not Meeting.objects.exists()
    meeting = schedule(world, day=timezone.localdate())
    with pytest.raises(RuleViolation):
        services.update_meeting(meeting, actor=SYSTEM, online_link=link)
    page = post_form(secretary, f"/meetings/{meeting.code}/edit/", {
        "kind": "regular", "date": str(meeting.date), "topic": "x", "place": "",
        "online_link": link})
    stored = Meeting.objects.get(pk=meeting.pk).online_link
    # The page's URL field completes a bare host with https:// (and saves, redirecting to the
    # meeting); anything else is refused: the form again, nothing stored.
    if link == "meet.example.vn":
        assert (page.status_code, stored) == (302, "https://meet.example.vn")
    else:
        assert (page.status_code, stored) == (200, "")
    good = call(secretary, "post", "meetings",
                json={**body, "online_link": "https://meet.example.vn/chi-bo"})
    assert good.status_code == 201


@pytest.mark.parametrize("org_code", ["D2.X1", "D2.X1.C1", "NO-SUCH"])
def test_a_guest_organization_outside_the_scope_reads_like_an_unknown_one(world, people,
                                                                          org_code):
    meeting = schedule(world, day=timezone.localdate() + timedelta(days=3))
    secretary = world.client("secretary")
    response = call(secretary, "post", f"meetings/{meeting.code}/guests",
                    json={"role": "higher_level", "full_name": "Ai đó", "org_code": org_code})
    assert response.status_code == 422 and response.json()["field"] == "org_code"
    assert response.json()["detail"] == (
        f"Không có tổ chức mã {org_code} trong phạm vi của bạn.")
    assert not meeting.guests.exists()
    # Inside: the cell's own commune (a visit from above), and the district above it.
    for code in ("D1.X1", "D1"):
        response = call(secretary, "post", f"meetings/{meeting.code}/guests",
                        json={"role": "higher_level", "full_name": "Hà Văn Sơn",
                              "org_code": code})
        assert response.status_code == 201 and response.json()["org_code"] == code


@pytest.mark.parametrize("username, read, write", [
    ("secretary", 200, 201), ("commune", 200, 201), ("member", 200, 403),
    ("other_commune", 404, 404), ("nobody", 404, 404)])
def test_guests_endpoints_follow_the_scope(world, people, username, read, write):
    meeting = schedule(world, day=timezone.localdate() + timedelta(days=3))
    services.add_guest(meeting, actor=SYSTEM, role="higher_level", full_name="Hà Văn Sơn")
    client = world.client(username)
    response = call(client, "get", f"meetings/{meeting.code}/guests")
    assert response.status_code == read
    if read == 200:
        assert [g["full_name"] for g in response.json()] == ["Hà Văn Sơn"]
    response = call(client, "post", f"meetings/{meeting.code}/guests",
                    json={"role": "higher_level", "full_name": "Khách", "org_code": "D2.X1"})
    # A caller who may not manage the meeting learns nothing about the code.
    assert response.status_code == (422 if write == 201 else write)
    response = call(client, "post", f"meetings/{meeting.code}/guests",
                    json={"role": "higher_level", "full_name": "Khách"})
    assert response.status_code == write
    assert meeting.guests.count() == (2 if write == 201 else 1)


@pytest.mark.parametrize("username, status", [("commune", 200), ("secretary", 200),
                                              ("other_commune", 404), ("member", 403)])
def test_reading_attendance_follows_the_scope(world, people, username, status):
    meeting = schedule(world, day=timezone.localdate())
    call(world.client("secretary"), "post", f"meetings/{meeting.code}/close",
         json=closing_body(people))
    response = call(world.client(username), "get", f"meetings/{meeting.code}/attendance")
    assert response.status_code == status
    if status == 200:
        assert len(response.json()) == 5


def test_absence_by_another_commune_is_404_and_writes_nothing(world, people):
    later = schedule(world, day=timezone.localdate() + timedelta(days=3))
    for body in ({"reason": "Ốm"}, {"reason": "Ốm", "member_code": "M002"}):
        response = call(world.client("other_commune"), "post",
                        f"meetings/{later.code}/absence", json=body)
        assert response.status_code == 404
    assert not Attendance.objects.exists()
    inside = call(world.client("commune"), "post", f"meetings/{later.code}/absence",
                  json={"reason": "Ốm", "member_code": "M002"})
    assert inside.status_code == 201
