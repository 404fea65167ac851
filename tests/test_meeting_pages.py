"""Meeting pages: every page with a user inside the scope and one outside, the secretary's
journey (schedule, close with attendance), a member's notice of absence, documents served
safely, and the findings list."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.meetings import services
from chibo.meetings.models import Attendance, Meeting
from tests.form_support import post_form
from tests.test_meetings import close, pdf, schedule


@pytest.fixture
def upcoming(world, people):
    return schedule(world, day=timezone.localdate() + timedelta(days=5))


@pytest.fixture
def past(world, people):
    return schedule(world, day=timezone.localdate() - timedelta(days=1))


def test_secretary_schedules_and_closes_a_meeting_through_the_pages(world, people):
    client = world.client("secretary")
    day = timezone.localdate()
    # today from midnight: begun whatever the hour the test runs (a meeting closes once begun)
    response = client.post("/org/D1.X1.C1/meetings/new/", {
        "kind": "regular", "date": day.strftime("%d/%m/%Y"), "start_time": "00:00",
        "topic": "Sinh hoạt định kỳ", "place": "Nhà văn hóa", "agenda": "Nội dung"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == f"/meetings/{meeting.code}/"
    page = client.get(f"/meetings/{meeting.code}/close/")
    assert "Nông Thị Lan" in page.content.decode()
    form = {"duration_minutes": "100", "agenda_prepared": "on", "committee_prepared": "on",
            "draft_resolution": "on", "minutes_complete": "on", "conclusion": "Thống nhất",
            "task_member_0": str(people["thang"].pk), "task_text_0": "Sửa đường",
            "task_due_0": (day + timedelta(days=20)).strftime("%d/%m/%Y")}
    for person in people.values():
        form[f"status_{person.pk}"] = "present"
        form[f"spoke_{person.pk}"] = "on"
    form[f"status_{people['hoa'].pk}"] = "excused"
    form[f"reason_{people['hoa'].pk}"] = "Ốm"
    response = post_form(client, f"/meetings/{meeting.code}/close/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    assert meeting.is_closed and meeting.attended == 4 and meeting.tasks.count() == 1
    again = client.post(f"/meetings/{meeting.code}/close/", form, follow=True)
    assert "không thể kết thúc lần nữa" in again.content.decode()
    detail = client.get(f"/meetings/{meeting.code}/").content.decode()
    assert "Thống nhất" in detail and "Vắng có lý do — Ốm" in detail


def test_closing_page_shows_the_services_refusal(world, people, past):
    client = world.client("secretary")
    response = post_form(client, f"/meetings/{past.code}/close/", {"duration_minutes": "100"})
    assert response.status_code == 200  # statuses are required fields of the form
    assert not Meeting.objects.get(pk=past.pk).is_closed


@pytest.mark.parametrize("username, status", [
    ("secretary", 200), ("commune", 200), ("province", 200), ("member", 403),
    ("other_commune", 404), ("viewer", 403), ("nobody", 404)])
def test_scheduling_page_scope(world, username, status):
    response = world.client(username).get("/org/D1.X1.C1/meetings/new/")
    assert response.status_code == status


@pytest.mark.parametrize("username, status", [
    ("secretary", 200), ("member", 200), ("commune", 200), ("viewer", 200),
    ("other_commune", 404), ("nobody", 404)])
def test_meeting_page_scope(world, upcoming, username, status):
    assert world.client(username).get(f"/meetings/{upcoming.code}/").status_code == status


def test_a_member_sees_only_their_own_cells_meetings(world, people):
    other = schedule(world, cell="D1.X1.C2")
    client = world.client("member")
    assert client.get(f"/meetings/{other.code}/").status_code == 404
    assert client.get("/org/D1.X1.C2/meetings/").status_code == 404
    assert world.client("secretary").get(f"/meetings/{other.code}/close/").status_code == 404


@pytest.mark.parametrize("path, secretary", [
    ("close/", 302),  # an upcoming meeting cannot be closed: back to its page (test below)
    ("edit/", 200), ("guests/new/", 200), ("documents/new/", 200)])
def test_managing_pages_are_for_managers(world, upcoming, path, secretary):
    assert world.client("member").get(f"/meetings/{upcoming.code}/{path}").status_code == 403
    assert world.client("other_commune").get(
        f"/meetings/{upcoming.code}/{path}").status_code == 404
    assert world.client("secretary").get(
        f"/meetings/{upcoming.code}/{path}").status_code == secretary


def test_member_reports_absence_from_the_meeting_page(world, people, upcoming):
    client = world.client("member")
    assert "Báo vắng" in client.get(f"/meetings/{upcoming.code}/").content.decode()
    client.post(f"/meetings/{upcoming.code}/absence/", {"reason": "Đi công tác xa"})
    row = Attendance.objects.get(meeting=upcoming, member=people["lan"])
    assert row.status == "excused" and row.reason == "Đi công tác xa"
    # The secretary has no member file: reporting through the member page is refused.
    assert world.client("secretary").post(f"/meetings/{upcoming.code}/absence/",
                                          {"reason": "x"}).status_code == 403


def test_documents_upload_and_download_with_scope(world, people, upcoming, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    secretary = world.client("secretary")
    response = secretary.post(f"/meetings/{upcoming.code}/documents/new/",
                              {"file": pdf("Nghị quyết.pdf"), "publish": "on"})
    assert response.status_code == 302
    bad = secretary.post(f"/meetings/{upcoming.code}/documents/new/",
                         {"file": SimpleUploadedFile("x.html", b"<script>")})
    assert "PDF, Word" in bad.content.decode()
    hidden = services.add_attachment(upcoming, pdf("nhap.pdf"), actor=SYSTEM, publish=False)
    shown = upcoming.attachments.exclude(pk=hidden.pk).get()
    url = f"/meetings/{upcoming.code}/documents/{shown.pk}/"
    download = world.client("member").get(url)
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    # Served like every stored upload (chibo.core.files): a PDF opens inline, sandboxed.
    assert download["Content-Disposition"].startswith("inline;")
    assert "sandbox" in download["Content-Security-Policy"]
    assert download["Cache-Control"].startswith("private")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert world.client("member").get(
        f"/meetings/{upcoming.code}/documents/{hidden.pk}/").status_code == 404
    assert secretary.get(f"/meetings/{upcoming.code}/documents/{hidden.pk}/").status_code == 200
    assert world.client("other_commune").get(url).status_code == 404
    assert world.client(None).get(url).status_code == 302  # to the login page


def test_findings_page_lists_what_the_rules_make_visible(world, people):
    day = timezone.localdate() - timedelta(days=1)
    close(schedule(world, day=day), people, duration_minutes=30)
    page = world.client("commune").get(f"/org/D1.X1/meetings/findings/?year={day.year}")
    assert page.status_code == 200
    assert "Buổi sinh hoạt chưa đạt chất lượng" in page.content.decode()
    assert world.client("member").get("/org/D1.X1.C1/meetings/findings/").status_code == 403
    assert world.client("other_commune").get("/org/D1.X1/meetings/findings/").status_code == 404


def test_meeting_list_of_a_subtree(world, people, upcoming):
    client = world.client("commune")
    held = client.get("/org/D1.X1/meetings/").content.decode()  # the held ones by default
    assert upcoming.topic not in held and "Lên lịch sinh hoạt" not in held
    page = client.get("/org/D1.X1/meetings/?tab=coming").content.decode()
    assert upcoming.topic in page and "Lên lịch sinh hoạt" not in page
    assert "Lên lịch sinh hoạt" in world.client("secretary").get(
        "/org/D1.X1.C1/meetings/").content.decode()


def test_publishing_a_document_later_and_too_late(world, people, upcoming, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = services.add_attachment(upcoming, pdf(), actor=SYSTEM, publish=False)
    url = f"/meetings/{upcoming.code}/documents/{draft.pk}/publish/"
    assert world.client("member").post(url).status_code == 403
    world.client("secretary").post(url)
    draft.refresh_from_db()
    assert draft.published_at is not None
    today = schedule(world, day=timezone.localdate())
    late = services.add_attachment(today, pdf(), actor=SYSTEM, publish=False)
    page = world.client("secretary").post(
        f"/meetings/{today.code}/documents/{late.pk}/publish/", follow=True)
    assert "một ngày trước" in page.content.decode()
    late.refresh_from_db()
    assert late.published_at is None


def test_findings_page_rows_are_chibo_check_rows(world, people, monkeypatch):
    """Row for row, in the same order, page after page and in the export: what `chibo check
    --format json` lists for the same organization and period."""
    import io
    import json
    import re

    import openpyxl
    from django.core.management import call_command
    from django.http import QueryDict

    from chibo.lists.spec import LISTS

    day = timezone.localdate() - timedelta(days=1)
    below = schedule(world, day=day)
    close(below, people, duration_minutes=30)
    spec = LISTS["meetings.findings"]
    monkeypatch.setattr(spec, "page_size", 7)
    client = world.client("commune")
    for org, query, extra in (("D1.X1", f"year={day.year}", []),
                              ("D1.X1", f"year={day.year}&month={day.month}",
                               ["--month", str(day.month)]),
                              ("D1.X1.C1", f"year={day.year}&org=D1.X1.C1", [])):
        out = io.StringIO()
        with pytest.raises(SystemExit):
            call_command("compliance_check", "--org", org, "--year", str(day.year),
                         "--format", "json", *extra, stdout=out)
        expected = [(f["check"], f["org_code"], f["period"], f["subject"], f["detail"],
                     f["source"]) for f in json.loads(out.getvalue())["findings"]]
        assert expected and (len(expected) > 7 or extra)  # the year's spans several pages
        listing = spec.listing(world.users["commune"], QueryDict(query), code="D1.X1")
        paged, cursor = [], ""
        while True:
            page = listing.page(after=cursor)
            paged += [(r.finding.check, r.finding.org_code, r.finding.period, r.finding.subject,
                       r.finding.detail, r.finding.source) for r in page.rows]
            if not page.after:
                break
            cursor = page.after
        assert paged == expected
        body = client.get(f"/org/D1.X1/meetings/findings/?{query}").content.decode()
        assert f"Dòng 1–{min(7, len(expected))} trong {len(expected)} vấn đề" in body
        export = client.get(f"/org/D1.X1/meetings/findings/?{query}&export=xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
        rows = [(r[0], r[3], r[2], r[5], r[7], r[8])
                for r in sheet.iter_rows(min_row=6, values_only=True)]
        assert rows == expected
    body = client.get(f"/org/D1.X1/meetings/findings/?year={day.year}"
                      "&rule=meetings.below_quality").content.decode()
    assert re.search(rf'<a href="/meetings/{below.code}/">Sinh hoạt thường kỳ [^<]*'
                     rf'{below.topic}</a>', body)
    cells = client.get(f"/org/D1.X1/meetings/findings/?year={day.year}"
                       "&rule=meetings.no_regular").content.decode()
    assert '<a href="/org/D1.X1.C1/meetings/">Chi bộ thôn Đồng Mạ</a>' in cells
    assert ">D1.X1.C1<" not in cells  # no raw code where a name can be shown


def test_findings_are_kept_per_language(world, people):
    """The findings page's rows are kept until the next change: one language's words never
    reach a reader of the other (the first reader used to decide for everyone)."""
    day = timezone.localdate() - timedelta(days=1)
    close(schedule(world, day=day), people, duration_minutes=30)
    url = f"/org/D1.X1/meetings/findings/?year={day.year}&rule=meetings.below_quality"
    assert "The meeting was shorter" not in world.client("commune").get(url).content.decode()
    english = world.client("commune")
    english.cookies["django_language"] = "en"
    assert "The meeting was shorter than required" in english.get(url).content.decode()
