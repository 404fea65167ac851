"""Admission pages: the candidates list and the cells without admission, the candidate's page
(checklist, deadlines, findings, a form per next step), each step through its page with a user
inside and outside the scope, a refused rule then accepted with an exception, bad input
refused with nothing written, the printable checklist, and the home card.

The story is tests/test_admission.py's: Hà Thị Mai of Đồng Mạ cell (D1.X1.C1), sponsored by
Lan and Thắng."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.admission import rules, services
from chibo.admission.choices import Outcome
from chibo.admission.models import Candidate
from chibo.audit.models import AuditRecord
from chibo.findings.models import RecordedException
from chibo.members.models import Member
from chibo.organizations.calendar import working_calendar
from tests.conftest import D
from tests.form_support import opened, post_form
from tests.test_admission import decide, listed, prepared, resolved
from tests.test_course_recognition import completes


def dmy(day) -> str:
    return day.strftime("%d/%m/%Y")


def step(client, candidate, key, fields: dict):
    """Post a step's form as its page serves it (the version fields included)."""
    return post_form(client, f"/candidates/{candidate.code}/{key}/",
                     {f"{key}-{name}": value for name, value in fields.items()})


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# The journey through the pages ---------------------------------------------------------------

def test_a_secretary_takes_a_candidate_to_the_committee_and_the_clerk_decides(world, people):
    secretary = world.client("secretary")
    response = secretary.post("/org/D1.X1.C1/candidates/new/", {
        "code": "K1", "full_name": "Hà Thị Mai", "gender": "female", "birth_date": "02/04/1998",
        "listed_on": "10/01/2024", "ethnicity": "Tày"})
    assert response.status_code == 302 and response.url == "/candidates/K1/"
    candidate = Candidate.objects.get(code="K1")
    detail = page(secretary, "/candidates/K1/")
    assert 'data-step-card="certificate"' in detail and "Còn thiếu" in detail
    for key, fields in (
            ("certificate", {"day": "01/03/2024"}),
            ("sponsors", {"sponsor1": people["lan"].pk, "sponsor2": people["thang"].pk}),
            ("background", {"day": "01/04/2024"}),
            ("cell_resolution", {"day": "02/01/2025", "votes_for": 4, "votes_total": 5}),
            ("committee_resolution", {"day": "09/01/2025"})):
        response = step(secretary, candidate, key, fields)
        assert response.status_code == 302, (key, response.content.decode()[:3000])
    candidate.refresh_from_db()
    assert candidate.committee_resolution_on == D(2025, 1, 9)
    assert candidate.sponsor1 == people["lan"] and candidate.cell_votes_for == 4
    # The decision makes a member's file: the committee above records it, not the cell.
    detail = page(secretary, "/candidates/K1/")
    assert "do cấp ủy có thẩm quyền ghi" in detail
    assert secretary.get("/candidates/K1/decision/").status_code == 403
    commune = world.client("commune")
    response = step(commune, candidate, "decision", {
        "day": "20/02/2025", "decision_no": "12-QĐ/ĐU", "decided_by": world.orgs["D1.X1"].pk,
        "member_code": "M100"})
    assert response.status_code == 302, response.content.decode()[:3000]
    member = Member.objects.get(member_code="M100")
    assert member.admitted_on == D(2025, 2, 20) and member.cell == world.orgs["D1.X1.C1"]
    detail = page(secretary, "/candidates/K1/")
    assert "/members/M100/" in detail and 'data-step-card="ceremony"' in detail
    response = step(secretary, candidate, "ceremony", {"day": "03/03/2025"})
    assert response.status_code == 302, response.content.decode()[:3000]
    candidate.refresh_from_db()
    assert candidate.ceremony_on == D(2025, 3, 3)
    assert AuditRecord.objects.filter(action__startswith="candidate.").count() == 8


def test_the_recognition_is_dated_at_the_end_of_the_probation_even_when_late(world, people):
    candidate = services.record_ceremony(decide(world, resolved(world, people), D(2025, 2, 20)),
                                         D(2025, 3, 3), actor=SYSTEM)
    commune = world.client("commune")
    assert 'data-step-card="recognition"' in page(commune, "/candidates/K1/")
    # without the new-member course the recognition is refused with the rule's words
    refused = step(commune, candidate, "recognition", {"decision_no": "30-QĐ/ĐU"})
    assert refused.status_code == 200
    assert "không hoàn thành lớp bồi dưỡng đảng viên mới" in refused.content.decode()
    assert not candidate.member.events.filter(event="official").exists()
    completes(world, candidate.member)
    response = step(commune, candidate, "recognition", {"decision_no": "30-QĐ/ĐU"})
    assert response.status_code == 302, response.content.decode()[:3000]
    member = Member.objects.get(member_code="M100")
    event = member.events.get(event="official")
    assert event.effective_on == rules.official_day(D(2025, 3, 3)) == D(2026, 3, 3)
    assert member.status == "official" and event.decision_no == "30-QĐ/ĐU"


# Refusals ---------------------------------------------------------------------------------------

def test_a_vote_short_of_two_thirds_is_refused_then_recorded_with_an_exception(world, people):
    candidate = prepared(world, people)
    secretary = world.client("secretary")
    fields = {"day": "02/01/2025", "votes_for": 3, "votes_total": 5}
    response = step(secretary, candidate, "cell_resolution", fields)
    text = response.content.decode()
    assert response.status_code == 200 and "hai phần ba" in text
    assert "<details class=\"mb-3 exception-fields\" open>" in text
    candidate.refresh_from_db()
    assert candidate.cell_resolution_on is None and not RecordedException.objects.exists()
    response = step(secretary, candidate, "cell_resolution", {
        **fields, "exception_no": "15-QĐ/HU", "exception_on": "01/01/2025",
        "exception_by": "D1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    candidate.refresh_from_db()
    assert candidate.cell_votes_for == 3
    assert RecordedException.objects.get().finding == rules.VOTE
    detail = page(secretary, "/candidates/K1/")
    assert 'data-finding="admission.vote" data-excepted' in detail


def test_bad_input_is_refused_with_nothing_written(world, people):
    candidate = listed(world)
    secretary = world.client("secretary")
    before = AuditRecord.objects.count()
    response = step(secretary, candidate, "certificate", {"day": "31/02/2024"})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    response = step(secretary, candidate, "certificate", {"day": "01/03/2099"})
    assert response.status_code == 200
    response = secretary.post("/org/D1.X1.C1/candidates/new/", {
        "code": "K1", "full_name": "Người khác", "gender": "male", "birth_date": "01/01/1990",
        "listed_on": "10/01/2024"})
    assert response.status_code == 200 and "đã có" in response.content.decode()
    response = step(secretary, candidate, "committee_resolution", {"day": "09/01/2025"})
    assert response.status_code == 409  # not offered before the cell's resolution
    candidate.refresh_from_db()
    assert candidate.awareness_course_on is None and AuditRecord.objects.count() == before


def test_a_step_against_a_file_changed_meanwhile_is_refused(world, people):
    candidate = listed(world)
    secretary = world.client("secretary")
    seen = opened(secretary, f"/candidates/{candidate.code}/certificate/")
    services.record_background_check(candidate, D(2024, 4, 1), actor=SYSTEM)
    response = secretary.post(f"/candidates/{candidate.code}/certificate/", {
        **seen, "certificate-day": "01/03/2024"})
    assert response.status_code == 200 and "chưa ghi gì của bạn" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.awareness_course_on is None


# Scope --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("username", "status"), [
    ("secretary", 200), ("commune", 200), ("province", 200), ("inspector", 200),
    ("viewer", 404), ("member", 404), ("other_commune", 404), ("nobody", 404)])
def test_the_candidate_page_is_for_who_reads_the_cell_files(world, people, username, status):
    listed(world)
    assert world.client(username).get("/candidates/K1/").status_code == status


@pytest.mark.parametrize(("username", "status"), [
    ("secretary", 302), ("commune", 302), ("inspector", 403), ("other_commune", 404)])
def test_a_step_needs_admission_manage_on_the_cell(world, people, username, status):
    candidate = listed(world)
    response = step(world.client(username), candidate, "certificate", {"day": "01/03/2024"}) \
        if status != 404 else world.client(username).post("/candidates/K1/certificate/", {})
    assert response.status_code == status
    candidate.refresh_from_db()
    assert (candidate.awareness_course_on is not None) == (status == 302)


# Lists --------------------------------------------------------------------------------------------

def test_the_commune_list_shows_what_is_missing_and_what_is_overdue(world, people):
    listed(world, code="K1")
    late = resolved(world, people, code="K2", on=timezone.localdate() - timedelta(days=200))
    commune = world.client("commune")
    text = page(commune, "/org/D1.X1/candidates/")
    assert "/candidates/K1/" in text and "/candidates/K2/" in text
    assert "Giấy chứng nhận học lớp nhận thức về Đảng" in text  # K1's missing certificate
    assert "quá hạn" in text
    overdue = page(commune, "/org/D1.X1/candidates/?attention=overdue")
    assert "/candidates/K2/" in overdue and "/candidates/K1/" not in overdue
    deadline = rules.decision_deadline(working_calendar(), late.cell_resolution_on)
    assert dmy(deadline) in overdue
    assert "/candidates/K1/" in page(commune, "/org/D1.X1/candidates/?step=listed")
    assert world.client("other_commune").get("/org/D1.X1/candidates/").status_code == 404
    assert world.client("viewer").get("/org/D1.X1/candidates/").status_code == 403


def test_cells_without_admission_come_from_the_metric(world, people):
    text = page(world.client("commune"), "/org/D1.X1/candidates/no-admission/")
    # Đồng Mạ admitted An on 1 September 2025: in the last year only if that is within it.
    assert "Chi bộ thôn Nà Khà" in text and "3 năm trở lên" in text
    assert world.client("other_commune").get(
        "/org/D1.X1/candidates/no-admission/").status_code == 404


# The printable checklist and the home card ------------------------------------------------------

def test_the_printable_checklist_is_one_page_without_the_menu(world, people):
    prepared(world, people)
    text = page(world.client("secretary"), "/candidates/K1/print/")
    assert "Danh mục hồ sơ đề nghị kết nạp đảng viên" in text and "chibo/print.css" in text
    assert "navbar" not in text and "Hà Thị Mai" in text


def test_the_home_card_counts_the_overdue_files(world, people):
    decide(world, resolved(world, people), D(2025, 2, 20))  # no ceremony since
    text = page(world.client("commune"), "/")
    assert 'id="admission-card"' in text and "1 hồ sơ quá hạn" in text
    assert Candidate.objects.get().outcome == Outcome.ADMITTED


def test_the_open_files_in_sql_are_the_open_steps(world, people):
    """queries.OPEN (the list's open tab and the home card read it in SQL) selects exactly the
    files whose step is one of OPEN_STEPS: pending, decided without a ceremony, on probation;
    not withdrawn, rejected or recognized."""
    from chibo.admission import queries

    pending = listed(world, code="K7")
    services.withdraw(listed(world, code="K8"), D(2025, 3, 1), actor=SYSTEM)
    decided = decide(world, resolved(world, people), D(2025, 2, 20))
    today = timezone.localdate()
    by_sql = set(Candidate.objects.filter(queries.OPEN).values_list("code", flat=True))
    by_step = {c.code for c in Candidate.objects.select_related("member")
               if queries.step_of(c, today) in queries.OPEN_STEPS}
    assert by_sql == by_step == {pending.code, decided.code}
