"""Inspection pages: the lists (inspections, discipline, follow-ups, programmes), an inspection
with its subjects (the derived committee-member flag), conclusions and follow-ups, a programme
with its items, a discipline decision with its effects on the member's file and its appeal.

Confidentiality everywhere: the inspector (inspection.view and .manage on TQ) reads and writes;
an officer of the subtree without the capability gets 403, one outside it 404, the anonymous
visitor the sign-in page; a refused write writes nothing. Every page of a case logs the read.
The member page's section (inspection.view only), the handbook's card (the member's own), the
inspectors' home card.

The story: An Phú commune's inspection commission (D1.X1) inspects, on signs of violation,
Nông Thị Lan and Ma Văn Thắng (a commune committee member since 2020) and Đồng Mạ cell."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.inspection import services
from chibo.inspection.models import (
    CaseRead,
    Discipline,
    Inspection,
    InspectionSubject,
    Programme,
    ProgrammeItem,
)
from chibo.members import services as member_services
from chibo.members.models import Member
from tests.conftest import D
from tests.form_support import opened, post_form

# The named users for a case of the commune D1.X1 (its organization, or a member of its cell):
READERS = ("admin", "inspector")
DENIED = ("province", "commune", "viewer")  # they see the commune, without inspection.view
OUTSIDE = ("other_commune",)


def dmy(day) -> str:
    return day.strftime("%d/%m/%Y")


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def open_case(world, code="KT1", start_on=D(2026, 3, 2), **kwargs) -> Inspection:
    data = {"code": code, "kind": "inspection_on_signs", "org": world.orgs["D1.X1"],
            "by_body": "inspection_commission", "start_on": start_on,
            "title": "Kiểm tra khi có dấu hiệu vi phạm về đất đai", **kwargs}
    return services.open_inspection(services.NewInspection(**data), actor=SYSTEM)


@pytest.fixture
def case(world, people) -> Inspection:
    """KT1, opened 02/03/2026 on Lan, Thắng (commune committee member from 2020) and Đồng Mạ
    cell."""
    member_services.assign_post(people["thang"], actor=SYSTEM, role="committee_member",
                                org=world.orgs["D1.X1"], start_on=D(2020, 6, 1))
    inspection = open_case(world)
    for subject in ({"member": people["lan"]}, {"member": people["thang"]},
                    {"org": world.orgs["D1.X1.C1"]}):
        services.add_subject(inspection, actor=SYSTEM, **subject)
    return inspection


def subject(case, code) -> InspectionSubject:
    return case.subjects.get(member__member_code=code)


def decide(world, member, form="reprimand", code="KL1", **kwargs) -> Discipline:
    data = {"code": code, "member": member, "form": form, "violation_on": D(2025, 10, 1),
            "decided_on": D(2026, 4, 10), "decided_by": world.orgs["D1.X1"],
            "by_body": "standing_committee", "decision_no": "12-QĐ/ĐU", **kwargs}
    return services.decide_discipline(services.NewDiscipline(**data), actor=SYSTEM)


def reads(code) -> int:
    return CaseRead.objects.filter(code=code, channel="page").count()


# Scope: every view, every class of user ----------------------------------------------------------

CASE_PAGES = ["/inspections/KT1/", "/inspections/KT1/subjects/{lan}/conclusion/",
              "/discipline/KL1/", "/org/D1.X1/inspections/",
              "/org/D1.X1/discipline/", "/org/D1.X1/inspections/follow-ups/",
              "/org/D1.X1/inspection-programmes/", "/org/D1.X1/inspections/new/",
              "/org/D1.X1/inspection-programmes/new/", "/org/D1.X1/discipline/new/",
              "/inspections/KT1/close/", "/inspection-programmes/{programme}/"]


@pytest.fixture
def everything(world, people, case):
    decide(world, people["lan"])
    programme = services.create_programme(actor=SYSTEM, org=world.orgs["D1.X1"],
                                          by_body="inspection_commission",
                                          title="Chương trình kiểm tra năm 2026", year=2026)
    return {"programme": programme.pk, "lan": subject(case, "M001").pk}


@pytest.mark.parametrize("url", CASE_PAGES)
def test_who_reads_what(world, everything, url):
    url = url.format(**everything)
    for user in READERS:
        assert world.client(user).get(url).status_code == 200, (user, url)
    for user in DENIED:
        assert world.client(user).get(url).status_code == 403, (user, url)
    for user in OUTSIDE:
        assert world.client(user).get(url).status_code == 404, (user, url)
    anonymous = world.client(None).get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url


def test_a_case_of_a_cell_is_refused_to_its_secretary_and_member(world, everything):
    for user in ("secretary", "member"):
        assert world.client(user).get("/discipline/KL1/").status_code == 403
        assert world.client(user).get("/inspections/KT1/").status_code == 404  # the commune's


def test_every_page_view_of_a_case_is_logged_refusals_are_not(world, everything):
    page(world.client("inspector"), "/inspections/KT1/")
    page(world.client("inspector"), "/discipline/KL1/")
    page(world.client("inspector"), "/discipline/KL1/")
    world.client("commune").get("/inspections/KT1/")  # 403: nothing read
    assert reads("KT1") == 1 and reads("KL1") == 2
    lan = everything["lan"]
    page(world.client("inspector"), f"/inspections/KT1/subjects/{lan}/conclusion/")
    page(world.client("inspector"), "/inspections/KT1/close/")
    assert reads("KT1") == 3  # the forms that show the case read it too
    assert {read.reader for read in CaseRead.objects.filter(code="KT1")} == {
        world.users["inspector"]}


# The lists ----------------------------------------------------------------------------------------

def test_the_list_shows_the_subtrees_inspections(world, case):
    open_case(world, code="KT2", kind="supervision_thematic", start_on=D(2025, 5, 4),
              end_on=D(2025, 6, 30), org=world.orgs["D1.X2"], by_body="committee")
    open_case(world, code="KT3", org=world.orgs["D2.X1"])  # Hàm Yên: outside the commune
    html = page(world.client("inspector"), "/org/D1.X1/inspections/")
    assert "/inspections/KT1/" in html and "/inspections/KT2/" not in html
    assert "/inspections/KT3/" not in html
    assert 'href="/org/D1.X1/inspections/new/"' in html  # the inspector may open one
    district = page(world.client("inspector"), "/org/D1/inspections/")
    assert "/inspections/KT1/" in district and "/inspections/KT2/" in district
    assert "Đang tiến hành" in district and "Đã kết thúc" in district


@pytest.mark.parametrize(("query", "shown", "hidden"), [
    ("kind=supervision", "KT2", "KT1"), ("kind=inspection_on_signs", "KT1", "KT2"),
    ("year=2025", "KT2", "KT1"), ("state=open", "KT1", "KT2"), ("state=closed", "KT2", "KT1"),
    ("org=D1.X2", "KT2", "KT1")])
def test_the_list_filters_by_kind_year_state_and_organization(world, case, query, shown,
                                                               hidden):
    open_case(world, code="KT2", kind="supervision_thematic", start_on=D(2025, 5, 4),
              end_on=D(2025, 6, 30), org=world.orgs["D1.X2"], by_body="committee")
    html = page(world.client("inspector"), f"/org/D1/inspections/?{query}")
    assert f"/inspections/{shown}/" in html and f"/inspections/{hidden}/" not in html


def test_a_value_outside_the_choices_is_refused_never_a_wider_list(world, case):
    html = page(world.client("inspector"), "/org/D1.X1/inspections/?kind=cooking")
    assert 'class="small text-danger"' in html and "/inspections/KT1/" not in html


def test_the_discipline_list_shows_decisions_on_the_subtrees_members(world, people, case):
    decide(world, people["lan"])
    decide(world, people["yen"], code="KL2", decided_by=world.orgs["D2.X1"])
    html = page(world.client("inspector"), "/org/D1.X1/discipline/")
    assert "/discipline/KL1/" in html and "/discipline/KL2/" not in html
    assert "Nông Thị Lan (M001)" in html and "Khiển trách" in html
    cell = page(world.client("inspector"), "/org/D1.X1.C1/discipline/")
    assert "/discipline/KL1/" in cell
    other = page(world.client("inspector"), "/org/D1.X1.C2/discipline/")
    assert "/discipline/KL1/" not in other
    by_form = page(world.client("inspector"), "/org/D1.X1/discipline/?form=warning")
    assert "/discipline/KL1/" not in by_form


def test_the_discipline_list_filters_the_pending_appeals(world, people, case):
    first = decide(world, people["lan"])
    decide(world, people["thang"], code="KL2")
    services.record_appeal(first, actor=SYSTEM, appealed_on=D(2026, 4, 20))
    html = page(world.client("inspector"), "/org/D1.X1/discipline/?appeal=pending")
    assert "/discipline/KL1/" in html and "/discipline/KL2/" not in html
    assert "chưa giải quyết" in html
    none = page(world.client("inspector"), "/org/D1.X1/discipline/?appeal=none")
    assert "/discipline/KL2/" in none and "/discipline/KL1/" not in none


def test_the_follow_ups_list_shows_what_is_due_and_overdue(world, people, case):
    services.record_conclusion(subject(case, "M001"), actor=SYSTEM, conclusion="shortcomings",
                               concluded_on=D(2026, 4, 1), follow_up="Kiểm điểm trước chi bộ",
                               follow_up_due=D(2026, 5, 1))
    services.record_conclusion(subject(case, "M002"), actor=SYSTEM, conclusion="shortcomings",
                               concluded_on=D(2026, 4, 1), follow_up="Báo cáo khắc phục",
                               follow_up_due=D(2026, 5, 2))
    services.record_follow_up_done(subject(case, "M002"), actor=SYSTEM, done_on=D(2026, 4, 30))
    due = page(world.client("inspector"), "/org/D1.X1/inspections/follow-ups/")
    assert "Kiểm điểm trước chi bộ" in due and "Báo cáo khắc phục" not in due
    assert "Quá hạn" in due
    everything = page(world.client("inspector"), "/org/D1.X1/inspections/follow-ups/?tab=all")
    assert "Báo cáo khắc phục" in everything and "Đã hoàn thành 30/04/2026" in everything


# An inspection ----------------------------------------------------------------------------------

def test_the_case_shows_its_subjects_with_the_derived_committee_flag(world, people, case):
    html = page(world.client("inspector"), "/inspections/KT1/")
    assert "Nông Thị Lan (M001)" in html and "Chi bộ thôn Đồng Mạ" in html
    row = html.split('data-subject="M002"')[1].split("</tr>")[0]
    assert "cấp ủy viên" in row
    assert "cấp ủy viên" not in html.split('data-subject="M001"')[1].split("</tr>")[0]
    assert "3 đối tượng, 0 đã kết luận" in html


@pytest.mark.parametrize(("end_on", "flagged"), [
    (D(2026, 3, 1), False), (D(2026, 3, 2), True), (D(2026, 3, 3), True)])
def test_the_flag_reads_the_posts_on_the_start_day(world, people, end_on, flagged):
    """A post that ended the day before the start does not count; ending on it still does."""
    member_services.assign_post(people["hoa"], actor=SYSTEM, role="committee_member",
                                org=world.orgs["D1.X1"], start_on=D(2021, 1, 1), end_on=end_on)
    inspection = open_case(world)
    services.add_subject(inspection, actor=SYSTEM, member=people["hoa"])
    html = page(world.client("inspector"), "/inspections/KT1/")
    row = html.split('data-subject="M005"')[1].split("</tr>")[0]
    assert ("cấp ủy viên" in row) is flagged


def test_the_inspector_opens_an_inspection(world):
    response = world.client("inspector").post("/org/D1.X1/inspections/new/", {
        "kind": "supervision_thematic", "by_body": "committee", "start_on": "02/03/2026",
        "title": "Giám sát chuyên đề công tác phát triển đảng viên"})
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response.url == f"/inspections/{inspection.code}/"
    assert inspection.org == world.orgs["D1.X1"] and inspection.end_on is None


def test_an_inspection_under_a_programme_item(world):
    programme = services.create_programme(actor=SYSTEM, org=world.orgs["D1.X1"],
                                          by_body="committee", title="Chương trình 2026",
                                          year=2026)
    item = services.add_programme_item(programme, actor=SYSTEM, kind="supervision_regular",
                                       content="Giám sát thường xuyên chi bộ",
                                       planned_from=D(2026, 1, 1), planned_to=D(2026, 12, 31))
    form = page(world.client("inspector"), f"/org/D1.X1/inspections/new/?item={item.pk}")
    assert f'<option value="{item.pk}" selected>' in form
    world.client("inspector").post("/org/D1.X1/inspections/new/", {
        "code": "GS1", "kind": "supervision_regular", "by_body": "committee",
        "start_on": "02/03/2026", "programme_item": str(item.pk)})
    assert Inspection.objects.get(code="GS1").programme_item == item
    html = page(world.client("inspector"), f"/inspection-programmes/{programme.pk}/")
    assert "/inspections/GS1/" in html


@pytest.mark.parametrize("change", [
    {"start_on": "31/02/2026"}, {"kind": "cooking"}, {"code": "KT 9"},
    {"end_on": "01/03/2026"}])
def test_a_bad_inspection_is_refused_and_nothing_written(world, change):
    response = world.client("inspector").post("/org/D1.X1/inspections/new/", {
        "code": "KT9", "kind": "inspection_on_signs", "by_body": "committee",
        "start_on": "02/03/2026", **change})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode() \
        or "alert-danger" in response.content.decode()
    assert not Inspection.objects.exists()


def test_who_may_not_manage_cannot_write(world, case):
    hidden = opened(world.client("inspector"), "/inspections/KT1/")
    for user in DENIED:
        client = world.client(user)
        assert client.post("/org/D1.X1/inspections/new/", {
            "kind": "inspection_on_signs", "by_body": "committee",
            "start_on": "02/03/2026"}).status_code == 403
        assert client.post("/inspections/KT1/subjects/new/", {
            **hidden, "subject-member_code": "M005"}).status_code == 403
    assert world.client("other_commune").post("/inspections/KT1/subjects/new/", {
        **hidden, "subject-member_code": "M005"}).status_code == 404
    assert Inspection.objects.count() == 1 and case.subjects.count() == 3


def test_subjects_are_added_by_code_within_the_conducting_subtree(world, people, case):
    client = world.client("inspector")
    hidden = opened(client, "/inspections/KT1/")
    response = client.post("/inspections/KT1/subjects/new/",
                           {**hidden, "subject-member_code": "M006"})
    assert response.status_code == 302 and case.subjects.count() == 4
    hidden = opened(client, "/inspections/KT1/")
    response = client.post("/inspections/KT1/subjects/new/",
                           {**hidden, "subject-org_code": "D1.X1.C2"})
    assert response.status_code == 302 and case.subjects.filter(org__code="D1.X1.C2").exists()


@pytest.mark.parametrize(("fields", "error"), [
    ({"subject-member_code": "M008"}, "Không có đảng viên mã này"),  # Hàm Yên
    ({"subject-org_code": "D2.X1"}, "Không có tổ chức đảng mã này"),
    ({"subject-member_code": "M999"}, "Không có đảng viên mã này"),
    ({}, "một trong hai"),
    ({"subject-member_code": "M001", "subject-org_code": "D1.X1.C2"}, "một trong hai")])
def test_a_subject_outside_the_subtree_or_unknown_is_refused(world, case, fields, error):
    client = world.client("inspector")
    response = client.post("/inspections/KT1/subjects/new/",
                           {**opened(client, "/inspections/KT1/"), **fields})
    assert response.status_code == 200 and error in response.content.decode()
    assert case.subjects.count() == 3


def test_the_same_subject_twice_is_refused_by_the_service(world, case):
    client = world.client("inspector")
    response = client.post("/inspections/KT1/subjects/new/",
                           {**opened(client, "/inspections/KT1/"),
                            "subject-member_code": "M001"})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode() \
        or "alert-danger" in response.content.decode()
    assert case.subjects.count() == 3


def test_a_conclusion_with_its_document_and_follow_up(world, case):
    client = world.client("inspector")
    lan = subject(case, "M001")
    response = post_form(client, f"/inspections/KT1/subjects/{lan.pk}/conclusion/", {
        "conclusion": "violation", "concluded_on": "15/04/2026", "conclusion_no": "05-KL/UBKT",
        "conclusion_doc_on": "16/04/2026", "follow_up": "Kiểm điểm trước chi bộ",
        "follow_up_due": "15/05/2026"})
    assert response.status_code == 302
    lan.refresh_from_db()
    assert (lan.conclusion, lan.concluded_on, lan.conclusion_no, lan.conclusion_doc_on,
            lan.follow_up_due) == ("violation", D(2026, 4, 15), "05-KL/UBKT", D(2026, 4, 16),
                                   D(2026, 5, 15))
    html = page(client, "/inspections/KT1/")
    assert "Có vi phạm" in html and "Văn bản 05-KL/UBKT ngày 16/04/2026" in html
    assert "Ghi hoàn thành khắc phục" in html
    response = post_form(client, f"/inspections/KT1/subjects/{lan.pk}/follow-up/",
                         {"done_on": "10/05/2026"})
    lan.refresh_from_db()
    assert response.status_code == 302 and lan.follow_up_done_on == D(2026, 5, 10)


@pytest.mark.parametrize(("fields", "error"), [
    ({"conclusion_no": "05-KL/UBKT"}, "cần cả số và ngày"),
    ({"follow_up_due": "15/05/2026"}, "cần yêu cầu khắc phục"),
    ({"concluded_on": "01/03/2026"}, ""),  # before the start: the service refuses
    ({"conclusion": "guilty"}, "")])
def test_a_bad_conclusion_is_refused_and_nothing_written(world, case, fields, error):
    lan = subject(case, "M001")
    response = post_form(world.client("inspector"),
                         f"/inspections/KT1/subjects/{lan.pk}/conclusion/",
                         {"conclusion": "violation", "concluded_on": "15/04/2026", **fields})
    assert response.status_code == 200 and error in response.content.decode()
    lan.refresh_from_db()
    assert lan.conclusion == "" and lan.concluded_on is None


def test_a_concluded_subject_cannot_be_removed_a_pending_one_can(world, case):
    client = world.client("inspector")
    services.record_conclusion(subject(case, "M001"), actor=SYSTEM, conclusion="no_violation",
                               concluded_on=D(2026, 4, 1))
    client.post(f"/inspections/KT1/subjects/{subject(case, 'M001').pk}/remove/")
    assert case.subjects.filter(member__member_code="M001").exists()
    client.post(f"/inspections/KT1/subjects/{subject(case, 'M002').pk}/remove/")
    assert not case.subjects.filter(member__member_code="M002").exists()
    assert world.client("commune").post(
        f"/inspections/KT1/subjects/{subject(case, 'M001').pk}/remove/").status_code == 403


def test_closing_an_inspection_and_a_stale_page(world, case):
    client = world.client("inspector")
    hidden = opened(client, "/inspections/KT1/close/")
    Inspection.objects.filter(pk=case.pk).update(decision_no="07-QĐ/UBKT")  # someone else
    response = client.post("/inspections/KT1/close/", {**hidden, "close-end_on": "30/04/2026"})
    assert response.status_code == 200 and "chưa ghi gì của bạn" in response.content.decode()
    case.refresh_from_db()
    assert case.end_on is None
    response = post_form(client, "/inspections/KT1/close/", {"close-end_on": "30/04/2026"})
    case.refresh_from_db()
    assert response.status_code == 302 and case.end_on == D(2026, 4, 30)
    assert "Đã kết thúc" in page(client, "/inspections/KT1/")


# Programmes -------------------------------------------------------------------------------------

def test_a_programme_is_made_then_given_items(world):
    client = world.client("inspector")
    response = client.post("/org/D1.X1/inspection-programmes/new/", {
        "title": "Chương trình kiểm tra, giám sát toàn khóa", "by_body": "committee",
        "term_from": "2025", "term_to": "2030"})
    programme = Programme.objects.get()
    assert response.status_code == 302 and programme.term_from == 2025
    response = client.post(f"/inspection-programmes/{programme.pk}/", {
        "kind": "inspection_regular", "content": "Kiểm tra chi bộ thực hiện nghị quyết",
        "subject_org": "D1.X1.C1", "planned_from": "01/06/2026", "planned_to": "30/06/2026"})
    assert response.status_code == 302
    item = ProgrammeItem.objects.get()
    assert item.subject_org == world.orgs["D1.X1.C1"]
    listed = page(client, "/org/D1.X1/inspection-programmes/?year=2027")
    assert f"/inspection-programmes/{programme.pk}/" in listed and "Nhiệm kỳ 2025–2030" in listed
    assert f"/inspection-programmes/{programme.pk}/" not in page(
        client, "/org/D1.X1/inspection-programmes/?year=2024")


@pytest.mark.parametrize(("fields", "error"), [
    ({"year": "2026", "term_from": "2025", "term_to": "2030"}, "không ghi cả hai"),
    ({}, "Cần năm của chương trình"), ({"term_from": "2030", "term_to": "2025"}, "trước năm đầu")])
def test_a_bad_programme_is_refused(world, fields, error):
    response = world.client("inspector").post("/org/D1.X1/inspection-programmes/new/", {
        "title": "Chương trình", "by_body": "committee", **fields})
    assert response.status_code == 200 and error in response.content.decode()
    assert not Programme.objects.exists()


def test_an_item_outside_the_programmes_subtree_is_refused(world):
    programme = services.create_programme(actor=SYSTEM, org=world.orgs["D1.X1"],
                                          by_body="committee", title="Chương trình", year=2026)
    response = world.client("inspector").post(f"/inspection-programmes/{programme.pk}/", {
        "kind": "inspection_regular", "content": "Kiểm tra", "subject_org": "D2.X1",
        "planned_from": "01/06/2026", "planned_to": "30/06/2026"})
    assert response.status_code == 200 and "Không có tổ chức đảng mã này" in (
        response.content.decode())
    assert not ProgrammeItem.objects.exists()
    assert world.client("commune").post(f"/inspection-programmes/{programme.pk}/", {
        "kind": "inspection_regular", "content": "Kiểm tra", "planned_from": "01/06/2026",
        "planned_to": "30/06/2026"}).status_code == 403
    assert not ProgrammeItem.objects.exists()


# Discipline -------------------------------------------------------------------------------------

DECISION = {"form": "reprimand", "by_body": "standing_committee", "violation_on": "01/10/2025",
            "decided_on": "10/04/2026", "decision_no": "12-QĐ/ĐU"}


def test_a_discipline_decision_from_a_proposing_conclusion(world, people, case):
    services.record_conclusion(subject(case, "M001"), actor=SYSTEM,
                               conclusion="violation_discipline_proposed",
                               concluded_on=D(2026, 4, 1))
    client = world.client("inspector")
    html = page(client, "/inspections/KT1/")
    link = "/org/D1.X1/discipline/new/?inspection=KT1&amp;member_code=M001"
    assert link in html
    form = page(client, link.replace("&amp;", "&"))
    assert 'value="M001"' in form and 'value="KT1"' in form
    response = client.post("/org/D1.X1/discipline/new/", {
        **DECISION, "member_code": "M001", "inspection": "KT1", "code": "KL5"})
    assert response.status_code == 302 and response.url == "/discipline/KL5/"
    decision = Discipline.objects.get(code="KL5")
    assert decision.inspection == case and decision.decided_by == world.orgs["D1.X1"]
    html = page(client, "/discipline/KL5/")
    assert "Khiển trách" in html and 'href="/members/M001/"' in html
    assert "/discipline/KL5/" in page(client, "/inspections/KT1/")


def test_an_expulsion_changes_the_members_file(world, people, case):
    client = world.client("inspector")
    response = client.post("/org/D1.X1/discipline/new/", {
        **DECISION, "form": "expulsion", "member_code": "M002", "code": "KL6"})
    assert response.status_code == 302
    thang = Member.objects.get(member_code="M002")
    assert thang.status == "expelled"
    assert thang.events.filter(event="expel", effective_on=D(2026, 4, 10)).exists()
    html = page(client, "/discipline/KL6/")
    assert "Khai trừ — 10/04/2026" in html
    assert thang.get_status_display() in html.split('id="member-status"')[1]


def test_a_dismissal_ends_the_party_post_and_the_page_shows_it(world, people, case):
    client = world.client("inspector")
    response = client.post("/org/D1.X1/discipline/new/", {
        **DECISION, "form": "dismissal", "member_code": "M002", "code": "KL8"})
    assert response.status_code == 302
    post = people["thang"].positions.get(role="committee_member")
    assert post.end_on is not None
    html = page(client, "/discipline/KL8/")
    posts = html.split('id="member-posts"')[1].split("</ul>")[0]
    assert "Cấp ủy viên, Đảng bộ xã An Phú: 01/06/2020 – " + dmy(post.end_on) in posts
    assert Member.objects.get(member_code="M002").status == "official"  # still a member


def test_a_refused_rule_shows_its_words_and_opens_the_exception_fields(world, people):
    """An (M004) is a probationary member (admitted 01/09/2025): only a reprimand or warning."""
    client = world.client("inspector")
    fields = {**DECISION, "form": "dismissal", "member_code": "M004", "code": "KL7",
              "violation_on": "01/03/2026"}
    response = client.post("/org/D1.X1/discipline/new/", fields)
    html = response.content.decode()
    assert response.status_code == 200 and "dự bị" in html
    assert '<details class="mb-3 exception-fields" open>' in html
    assert not Discipline.objects.exists()
    response = client.post("/org/D1.X1/discipline/new/", {
        **fields, "exception_no": "99-QĐ/TU", "exception_on": "05/04/2026",
        "exception_by": "TQ"})
    assert response.status_code == 302 and Discipline.objects.filter(code="KL7").exists()


@pytest.mark.parametrize(("fields", "error"), [
    ({"member_code": "M008"}, "Không có đảng viên mã này"),
    ({"member_code": "M001", "org_code": "D1.X1.C1"}, "một trong hai"),
    ({"member_code": "M001", "violation_on": "11/04/2026"}, ""),
    ({"member_code": "M001", "inspection": "KT404"}, "Không có cuộc kiểm tra mã này")])
def test_a_bad_decision_is_refused_and_nothing_written(world, people, fields, error):
    response = world.client("inspector").post("/org/D1.X1/discipline/new/",
                                              {**DECISION, **fields})
    assert response.status_code == 200 and error in response.content.decode()
    assert not Discipline.objects.exists()


def test_an_appeal_that_annuls_an_expulsion_gives_the_membership_back(world, people, case):
    decision = decide(world, people["thang"], form="expulsion")
    client = world.client("inspector")
    response = client.post("/discipline/KL1/appeal/", {
        **opened(client, "/discipline/KL1/"), "appealed_on": "20/04/2026"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.appealed_on == D(2026, 4, 20)
    response = client.post("/discipline/KL1/appeal/decision/", {
        **opened(client, "/discipline/KL1/"), "outcome": "annulled", "decided_on": "05/06/2026"})
    assert response.status_code == 302
    thang = Member.objects.get(member_code="M002")
    assert not thang.events.filter(event="expel").exists() and thang.status == "official"
    html = page(client, "/discipline/KL1/")
    assert 'id="member-events"' not in html and "Chính thức" in html
    assert "Không (quyết định đã bị xóa bỏ)" in html and "Xóa bỏ quyết định" in html


def test_a_changed_form_needs_the_new_form(world, people):
    decide(world, people["lan"], form="warning")
    services.record_appeal(Discipline.objects.get(), actor=SYSTEM, appealed_on=D(2026, 4, 20))
    client = world.client("inspector")
    response = client.post("/discipline/KL1/appeal/decision/", {
        **opened(client, "/discipline/KL1/"), "outcome": "changed", "decided_on": "05/06/2026"})
    assert response.status_code == 200 and "cần hình thức mới" in response.content.decode()
    assert Discipline.objects.get().appeal_outcome == ""
    response = client.post("/discipline/KL1/appeal/decision/", {
        **opened(client, "/discipline/KL1/"), "outcome": "changed", "decided_on": "05/06/2026",
        "form": "reprimand"})
    assert response.status_code == 302 and Discipline.objects.get().standing_form == "reprimand"
    assert world.client("commune").post("/discipline/KL1/appeal/", {
        "appealed_on": "20/04/2026"}).status_code == 403


# Outside the case pages ------------------------------------------------------------------------

def test_the_member_page_shows_the_cases_to_inspection_view_only(world, people, case):
    services.record_conclusion(subject(case, "M001"), actor=SYSTEM, conclusion="shortcomings",
                               concluded_on=D(2026, 4, 1))
    decide(world, people["lan"])
    html = page(world.client("inspector"), "/members/M001/")
    assert 'id="member-inspection"' in html and "/discipline/KL1/" in html
    assert "Có hạn chế, khuyết điểm" in html
    for user in ("commune", "province", "secretary"):
        assert 'id="member-inspection"' not in page(world.client(user), "/members/M001/")


def test_the_handbook_shows_the_members_own_conclusions_and_decisions(world, people, case):
    services.record_conclusion(subject(case, "M001"), actor=SYSTEM, conclusion="shortcomings",
                               concluded_on=D(2026, 4, 1))
    decide(world, people["thang"], code="KL2")  # someone else's
    html = page(world.client("member"), "/handbook/")
    assert 'id="my-inspection"' in html and "Có hạn chế, khuyết điểm" in html
    assert "KL2" not in html
    decide(world, people["lan"])
    assert "Kỷ luật Khiển trách" in page(world.client("member"), "/handbook/")


def test_the_handbook_card_is_absent_without_a_concluded_case(world, people, case):
    assert 'id="my-inspection"' not in page(world.client("member"), "/handbook/")


def test_the_inspectors_home_card(world, people, case):
    services.record_conclusion(subject(case, "M001"), actor=SYSTEM, conclusion="shortcomings",
                               concluded_on=D(2026, 4, 1), follow_up="Kiểm điểm",
                               follow_up_due=timezone.localdate() - timedelta(days=1))
    services.record_appeal(decide(world, people["lan"]), actor=SYSTEM,
                           appealed_on=D(2026, 4, 20))
    html = page(world.client("inspector"), "/")
    card = html.split('id="inspection-card"')[1]
    assert "1 cuộc đang tiến hành" in card and "1 việc khắc phục quá hạn" in card
    assert "1 khiếu nại kỷ luật chưa giải quyết" in card
    assert 'id="inspection-card"' not in page(world.client("province"), "/")


def test_the_menu_offers_the_area_to_inspectors_only(world):
    assert 'href="/org/TQ/inspections/"' in page(world.client("inspector"), "/")
    assert "/inspections/" not in page(world.client("province"), "/")


# What a commune's inspector may see of a case decided above them ------------------------------

@pytest.fixture
def commune_inspector(world):
    from chibo.accounts.models import Role
    from chibo.accounts.services import create_user, grant_role

    user = create_user(actor=SYSTEM, username="commune_inspector", password="x-Secret-9876")
    grant_role(user, actor=SYSTEM, role=Role.INSPECTOR, organization=world.orgs["D1.X1"])
    world.users["commune_inspector"] = user
    return user


def test_nobody_decides_in_the_name_of_a_committee_beyond_their_reach(world, people,
                                                                    commune_inspector):
    from django.core.exceptions import PermissionDenied

    data = {"code": "KL9", "member": people["lan"], "form": "reprimand",
            "violation_on": D(2025, 10, 1), "decided_on": D(2026, 4, 10),
            "decided_by": world.orgs["D1"], "by_body": "standing_committee"}
    with pytest.raises(PermissionDenied):
        services.decide_discipline(services.NewDiscipline(**data), actor=commune_inspector)
    assert not Discipline.objects.filter(code="KL9").exists()
    data["decided_by"] = world.orgs["D1.X1"]
    services.decide_discipline(services.NewDiscipline(**data), actor=commune_inspector)


def test_the_proposing_inspection_shows_only_to_who_may_read_it(world, people,
                                                                 commune_inspector):
    above = open_case(world, code="KT7", org=world.orgs["D1"])
    services.add_subject(above, actor=SYSTEM, member=people["lan"])
    decide(world, people["lan"], inspection=above)
    client = world.client("commune_inspector")
    shown = page(client, "/discipline/KL1/")
    assert "/inspections/KT7/" not in shown and above.title not in shown
    assert client.get("/inspections/KT7/").status_code == 404
    assert "/inspections/KT7/" in page(world.client("inspector"), "/discipline/KL1/")


def test_a_refused_appeal_shows_the_case_and_logs_the_read(world, people):
    decide(world, people["lan"])
    before = reads("KL1")
    response = world.client("inspector").post("/discipline/KL1/appeal/", {"appealed_on": ""})
    assert response.status_code == 200 and "Ngày khiếu nại" in response.content.decode()
    assert reads("KL1") == before + 1
    assert Discipline.objects.get(code="KL1").appealed_on is None
