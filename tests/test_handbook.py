"""The member handbook: a member's own pages, their cell's meetings, the library, notices,
the self-review, and the installable web app."""

import json
from datetime import date, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.core.exceptions import PermissionDenied, RuleViolation
from chibo.handbook import services
from chibo.handbook.models import SelfReview
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Attendance
from chibo.meetings.services import AttendanceEntry, Closing, NewMeeting, TaskEntry
from tests.test_documents import PDF, publish

CELL_MEMBERS = ("lan", "thang", "duong", "an", "hoa")


def soon(days=5):
    return timezone.localdate() + timedelta(days=days)


def close_with_a_task_for_lan(meeting, people, conclusion="Chi bộ thống nhất vận động nhân "
                              "dân làm đường bê tông.") -> None:
    """The cell's five members present and speaking, every preparation done, Lan given a task
    due in three days."""
    meeting_services.close_meeting(meeting, Closing(
        attendance=[AttendanceEntry(people[n], "present", spoke=True) for n in CELL_MEMBERS],
        duration_minutes=95, conclusion=conclusion, agenda_prepared=True,
        committee_prepared=True, draft_resolution=True, minutes_complete=True,
        tasks=[TaskEntry(people["lan"], "Vận động 5 hộ hiến đất làm đường", soon(3))]),
        actor=SYSTEM, now=timezone.now())


def schedule(world, cell="D1.X1.C1", day=None, topic="Sinh hoạt thường kỳ tháng này"):
    return meeting_services.schedule_meeting(NewMeeting(
        organization=world.orgs[cell], kind="regular", date=day or soon(), topic=topic,
        start_time=time(19, 30), place="Nhà văn hóa thôn Đồng Mạ"), actor=SYSTEM)


def attach(meeting, name="Du-thao-nghi-quyet.pdf"):
    return meeting_services.add_attachment(
        meeting, SimpleUploadedFile(name, PDF), actor=SYSTEM)


@pytest.fixture
def cell_life(world, people):
    """An upcoming meeting with a document; a closed one with a conclusion and Lan's task."""
    upcoming = schedule(world)
    attach(upcoming)
    past_day = timezone.localdate() - timedelta(days=20)
    past = schedule(world, day=past_day, topic="Sinh hoạt tháng trước")
    close_with_a_task_for_lan(past, people)
    other = schedule(world, cell="D1.X1.C2", topic="Chi bộ Nà Khà họp")
    return {"upcoming": upcoming, "past": past, "other": other}


def test_member_pages_answer_and_a_login_without_a_member_file_is_told_why(world, people):
    client = world.client("member")
    for url in ["/handbook/", "/handbook/me/", "/handbook/meetings/", "/handbook/documents/",
                "/handbook/notifications/", "/handbook/review/"]:
        assert client.get(url).status_code == 200, url
    refused = world.client("commune").get("/handbook/")
    assert refused.status_code == 403 and "Chưa gắn với hồ sơ" in refused.content.decode()
    assert world.client(None).get("/handbook/").status_code == 302


def test_own_file_and_party_facts(world, people):
    from chibo.members.services import assign_post

    assign_post(people["lan"], actor=SYSTEM, role="village_head", start_on=date(2024, 1, 1),
                village=world.villages["V1"])
    body = world.client("member").get("/handbook/me/").content.decode()
    assert "Nông Thị Lan" in body and "008180001234" in body and "05/03/2011" in body
    assert "Trưởng thôn" in body and "Thôn Đồng Mạ" in body
    assert "Ma Văn Thắng" not in body


def test_home_shows_the_next_meeting_and_its_tasks(world, cell_life):
    body = world.client("member").get("/handbook/").content.decode()
    assert "Sinh hoạt thường kỳ tháng này" in body and "Chi bộ Nà Khà họp" not in body
    assert "Vận động 5 hộ hiến đất" in body


def test_meeting_page_agenda_document_and_conclusions(world, cell_life):
    client = world.client("member")
    upcoming = cell_life["upcoming"]
    body = client.get(f"/handbook/meetings/{upcoming.pk}/").content.decode()
    assert "Thu đảng phí" in body  # the standard agenda
    assert "Du-thao-nghi-quyet.pdf" in body and "Báo vắng" in body
    attachment = upcoming.attachments.get()
    file = client.get(f"/handbook/meetings/{upcoming.pk}/files/{attachment.pk}/")
    assert file.status_code == 200 and file["X-Content-Type-Options"] == "nosniff"
    listing = client.get("/handbook/meetings/").content.decode()
    assert "vận động nhân dân làm đường" in listing and "Vận động 5 hộ" in listing
    other = cell_life["other"]
    assert client.get(f"/handbook/meetings/{other.pk}/").status_code == 404
    assert world.client("commune").get(f"/handbook/meetings/{upcoming.pk}/").status_code == 403


def test_reporting_an_absence_goes_through_the_meetings_service(world, cell_life, people):
    client = world.client("member")
    url = f"/handbook/meetings/{cell_life['upcoming'].pk}/"
    empty = client.post(url, {"reason": "   "})
    upcoming = Attendance.objects.filter(meeting=cell_life["upcoming"])
    assert 'class="error"' in empty.content.decode() and not upcoming.exists()
    done = client.post(url, {"reason": "Đi công tác huyện"})
    assert done.status_code == 302
    row = Attendance.objects.get(member=people["lan"], meeting=cell_life["upcoming"])
    assert row.status == "excused" and row.reason == "Đi công tác huyện" and row.reported_at
    assert "Đồng chí đã báo vắng" in client.get(url).content.decode()


def test_no_absence_after_the_meeting_has_started(world, people):
    started = schedule(world, day=timezone.localdate() - timedelta(days=1))
    client = world.client("member")
    response = client.post(f"/handbook/meetings/{started.pk}/", {"reason": "Ốm"})
    assert response.status_code == 200 and not Attendance.objects.filter(meeting=started).exists()
    assert "Chỉ báo vắng được trước giờ sinh hoạt" in response.content.decode()


def test_member_marks_their_task_done_but_not_another_members(world, cell_life, people):
    task = people["lan"].meeting_tasks.get()
    assert world.client("member").post(f"/handbook/tasks/{task.pk}/done/").status_code == 302
    task.refresh_from_db()
    assert task.done_on == timezone.localdate()
    from chibo.meetings.models import MeetingTask
    other = MeetingTask.objects.create(meeting=cell_life["past"], member=people["thang"],
                                       description="Việc của Thắng", due_on=soon())
    assert world.client("member").post(f"/handbook/tasks/{other.pk}/done/").status_code == 404


def test_library_search_ignores_diacritics_and_scope(world, people):
    publish(world.orgs["TQ"], number="04-NQ/TW", title="Về tăng cường xây dựng, chỉnh đốn Đảng")
    publish(world.orgs["D2.X1"], number="09-NQ/ĐU", title="Đảng ủy xã Yên Lâm về chỉnh đốn")
    body = world.client("member").get("/handbook/documents/?q=chinh don dang").content.decode()
    assert "04-NQ/TW" in body and "09-NQ/ĐU" not in body
    assert "04-NQ/TW" not in world.client("member").get(
        "/handbook/documents/?q=khong co").content.decode()


def test_notifications_are_derived_and_marked_seen(world, cell_life, people):
    publish(world.orgs["D1.X1"], number="05-NQ/ĐU", title="Nghị quyết Đảng ủy xã")
    client = world.client("member")
    home = client.get("/handbook/").content.decode()
    assert "thông báo mới" in home
    page = client.get("/handbook/notifications/").content.decode()
    assert "Lịch sinh hoạt mới" in page and "05-NQ/ĐU" in page
    assert "Nhiệm vụ sắp đến hạn" in page and "Tài liệu cho buổi sinh hoạt" in page
    assert "Chi bộ Nà Khà họp" not in page
    assert "thông báo mới" not in client.get("/handbook/").content.decode()
    publish(world.orgs["TQ"], number="21-NQ/TW", title="Mới đăng")
    again = client.get("/handbook/notifications/").content.decode()
    assert again.count('class="card new"') == 1 and "21-NQ/TW" in again


# Self-review ------------------------------------------------------------------------------

def review(**values):
    data = {"strengths": "Gương mẫu, tích cực", "shortcomings": "Còn ít phát biểu",
            "self_score": 82, "proposed_rating": "good", **values}
    return services.ReviewInput(**data)


def test_draft_then_submit_then_final(world, people):
    lan, user, year = people["lan"], world.users["member"], timezone.localdate().year
    services.save_review(lan, year, review(strengths=""), actor=user)
    services.save_review(lan, year, review(), actor=user, submit=True)
    saved = SelfReview.objects.get()
    assert saved.is_submitted and saved.self_score == 82
    with pytest.raises(RuleViolation, match="đã nộp"):
        services.save_review(lan, year, review(strengths="sửa"), actor=user)
    assert SelfReview.objects.get().strengths == "Gương mẫu, tích cực"


def test_only_the_member_writes_and_only_past_or_current_years(world, people):
    year = timezone.localdate().year
    with pytest.raises(PermissionDenied):
        services.save_review(people["lan"], year, review(), actor=world.users["secretary"])
    with pytest.raises(RuleViolation, match="Chưa đến năm"):
        services.save_review(people["lan"], year + 1, review(), actor=world.users["member"])
    with pytest.raises(RuleViolation, match="chưa vào Đảng"):
        services.save_review(people["lan"], 2005, review(), actor=world.users["member"])


# The rules of the self-review, the catalogue and the cell's page: tests/test_handbook_review.py,
# tests/test_handbook_catalogue.py, tests/test_handbook_cell_reviews.py.


# Installable web app ------------------------------------------------------------------------

def test_manifest_and_service_worker(world):
    anonymous = world.client(None)
    manifest = anonymous.get("/handbook/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert data["start_url"] == "/handbook/" and data["display"] == "standalone"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    worker = anonymous.get("/handbook/sw.js")
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/handbook/"
    assert "no-cache" in worker["Cache-Control"]
    assert "/static/handbook/handbook.css" in worker.content.decode()
    page = world.client("member").get("/handbook/offline/")
    assert page.status_code == 200 and "<script>" not in page.content.decode()


def test_handbook_pages_are_small_and_script_free(world, cell_life):
    client = world.client("member")
    upcoming = cell_life["upcoming"].pk
    for url in ["/handbook/", "/handbook/meetings/", f"/handbook/meetings/{upcoming}/"]:
        response = client.get(url)
        body = response.content.decode()
        assert len(response.content) < 12_000, (url, len(response.content))
        assert "bootstrap" not in body and "<script>" not in body
        assert "script-src 'self'" in response["Content-Security-Policy"]



def test_a_member_whose_membership_ended_loses_the_handbook_meetings_and_documents(
        world, cell_life, people):
    """Which member a login is answers only while the membership lasts (members.queries
    .member_of): once expelled, the handbook, the cell's meetings and its documents close."""
    from django.test import Client

    from chibo.accounts.services import create_user
    from chibo.documents.models import Document
    from chibo.members import services as member_services

    cell_doc = publish(world.orgs["D1.X1.C1"], number="01-NQ/CB", title="Nghị quyết chi bộ")
    login = create_user(actor=SYSTEM, username="thang", password="x-Secret-123")
    people["thang"].user = login
    people["thang"].save(update_fields=["user"])
    thang, lan = Client(), world.client("member")  # thang: no grant at all; lan: role member
    thang.force_login(login)
    upcoming = cell_life["upcoming"]
    # Inside: active members.
    assert thang.get("/handbook/").status_code == 200
    assert Document.objects.visible_to(login).filter(pk=cell_doc.pk).exists()
    assert lan.get(f"/meetings/{upcoming.code}/").context["absence_form"] is not None
    for name in ("thang", "lan"):
        member_services.record_event(people[name], actor=SYSTEM, event="expel",
                                     effective_on=timezone.localdate() - timedelta(days=1))
    # Outside: the membership ended, the login stays.
    assert thang.get("/handbook/").status_code == 403
    assert thang.get(f"/handbook/meetings/{upcoming.pk}/").status_code == 403
    assert thang.get(f"/handbook/documents/{cell_doc.pk}/file/").status_code == 403
    assert not Document.objects.visible_to(login).filter(pk=cell_doc.pk).exists()
    assert "absence_form" not in lan.get(f"/meetings/{upcoming.code}/").context
    assert lan.post(f"/meetings/{upcoming.code}/absence/",
                    {"reason": "Bận"}).status_code == 403
    response = lan.post(f"/api/v1/meetings/{upcoming.code}/absence",
                        data={"reason": "Bận"}, content_type="application/json")
    assert response.status_code == 403
    assert not Attendance.objects.filter(meeting=upcoming).exists()


def test_a_login_whose_membership_ended_acts_for_no_member_in_the_services(world, cell_life,
                                                                            people):
    from chibo.members import services as member_services

    task = people["lan"].meeting_tasks.get()
    member_services.record_event(people["lan"], actor=SYSTEM, event="expel",
                                 effective_on=timezone.localdate() - timedelta(days=1))
    lan = type(people["lan"]).objects.get(pk=people["lan"].pk)
    with pytest.raises(PermissionDenied):
        meeting_services.complete_task(task, actor=world.users["member"])
    task.refresh_from_db()
    assert task.done_on is None
    with pytest.raises(PermissionDenied):
        meeting_services.report_absence(cell_life["upcoming"], lan, "Bận",
                                        actor=world.users["member"])
