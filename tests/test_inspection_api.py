"""The API of inspection, supervision and discipline (chibo.inspection.api): the confidential
cases (401 anonymous, 404 outside the subtree, 403 in it without `inspection.view`), every read
of a case logged, the writes through the services (422 naming the field, nothing written; 412
on a stale If-Match), and a decision's effect on the member's file."""

import pytest

from chibo.accounts.policy import SYSTEM
from chibo.audit.models import AuditRecord
from chibo.findings.models import RecordedException
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
from chibo.members.models import Member, MemberEvent, Position
from tests.conftest import D
from tests.test_inspection_services import decide, opened
from tests.test_meeting_api import call

EXCEPTION = {"decision_no": "07-QĐ/UBKTTU", "decided_on": "2026-01-05", "decided_by": "TQ"}
DISMISSAL = {"member_code": "M001", "form": "dismissal", "violation_on": "2026-01-10",
             "decided_on": "2026-04-01", "decided_by": "D1.X1",
             "by_body": "inspection_commission"}


def post(client, url, body, **headers):
    return call(client, "post", f"inspection/{url}", json=body, **headers)


def get(client, url, **headers):
    return call(client, "get", f"inspection/{url}", **headers)


@pytest.fixture
def case(world, people):
    inspection = opened(world, code="KT-1")
    services.add_subject(inspection, actor=SYSTEM, member=people["thang"])
    discipline = decide(world, people, code="KL-1")
    return inspection, discipline


@pytest.mark.parametrize("url", ["inspections/KT-1", "discipline/KL-1",
                                 "inspections?org=D1.X1", "discipline?org=D1.X1"])
def test_a_case_is_read_by_the_inspection_officers_of_its_subtree_only(world, case, url):
    expected = {None: 401, "other_commune": 404, "nobody": 404, "commune": 403,
                "province": 403, "viewer": 403, "inspector": 200, "admin": 200}
    got = {user: get(world.client(user), url).status_code for user in expected}
    assert got == expected
    assert "KT-1" in get(world.client("inspector"), "inspections?org=D1.X1").content.decode()


def test_every_read_of_a_case_is_logged_and_a_refusal_reads_nothing(world, case):
    get(world.client("commune"), "inspections/KT-1")
    get(world.client("other_commune"), "discipline/KL-1")
    assert not CaseRead.objects.exists()
    response = get(world.client("inspector"), "inspections/KT-1")
    assert response["ETag"]
    subject = response.json()["subjects"][0]
    assert (subject["member_code"], subject["committee_member"]) == ("M002", False)
    get(world.client("admin"), "discipline/KL-1")
    assert sorted(CaseRead.objects.values_list("code", "reader_name", "channel")) == [
        ("KL-1", "admin", "api"), ("KT-1", "inspector", "api")]


def test_an_inspection_from_opening_to_conclusion(world, people):
    client = world.client("inspector")
    response = post(client, "inspections", {
        "org_code": "D1.X1", "kind": "inspection_on_signs", "by_body": "inspection_commission",
        "start_on": "2026-03-02", "title": "Kiểm tra dấu hiệu vi phạm"})
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    assert code == "KT2026-0001"
    response = post(client, f"inspections/{code}/subjects", {"member_code": "M002"})
    assert response.status_code == 201, response.content
    post(client, f"inspections/{code}/subjects", {"org_code": "D1.X1.C2"})
    subjects = {s["member_code"] or s["org_code"]: s
                for s in get(client, f"inspections/{code}").json()["subjects"]}
    url = f"inspections/{code}/subjects/{subjects['M002']['id']}/conclusion"
    body = {"conclusion": "violation_discipline_proposed", "concluded_on": "2026-03-20",
            "conclusion_no": "12-KL/UBKTĐU", "follow_up": "Kiểm điểm",
            "follow_up_due": "2026-04-30"}
    response = post(client, url, body, HTTP_IF_MATCH=f'"{subjects["M002"]["version"]}"')
    assert response.status_code == 200, response.content
    concluded = [s for s in response.json()["subjects"] if s["member_code"] == "M002"][0]
    assert (concluded["conclusion"], concluded["conclusion_no"]) == (
        "violation_discipline_proposed", "12-KL/UBKTĐU")
    assert response.json()["concluded_count"] == 1
    # the version read before the conclusion is stale now
    response = post(client, url, {**body, "conclusion": "violation"},
                    HTTP_IF_MATCH=f'"{subjects["M002"]["version"]}"')
    assert response.status_code == 412
    # a concluded subject stays; a pending one goes
    response = post(client, f"inspections/{code}/subjects/{subjects['M002']['id']}/remove", {})
    assert response.status_code == 422 and response.json()["field"] == "conclusion"
    response = post(client, f"inspections/{code}/subjects/{subjects['D1.X1.C2']['id']}/remove",
                    {})
    assert response.status_code == 200
    assert InspectionSubject.objects.get().conclusion == "violation_discipline_proposed"


def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(world, people):
    client = world.client("inspector")
    before = AuditRecord.objects.count()
    base = {"org_code": "D1.X1", "kind": "inspection_regular", "by_body": "committee",
            "start_on": "2026-03-02"}
    for body, field in (({**base, "end_on": "2026-03-01"}, "end_on"),
                        ({**base, "org_code": "D1.X1.C1", "by_body": "standing_committee"},
                         "by_body"),
                        ({**base, "org_code": "NOWHERE"}, "org_code")):
        response = post(client, "inspections", body)
        assert response.status_code == 422, response.content
        assert response.json()["field"] == field, response.json()
    opened(world, code="KT-1")
    response = post(client, "inspections/KT-1/subjects", {"member_code": "M008"})  # Yến: D2
    assert response.status_code == 422 and response.json()["field"] == "member"
    response = post(client, "inspections/KT-1/subjects", {"member_code": "NONE"})
    assert response.status_code == 422 and response.json()["field"] == "member_code"
    assert not InspectionSubject.objects.exists()
    assert AuditRecord.objects.count() == before + 1  # the one opened by the service


def test_writes_need_the_capability(world, case):
    for user, status in (("commune", 403), ("province", 403), ("other_commune", 404)):
        response = post(world.client(user), "inspections/KT-1/subjects", {"member_code": "M001"})
        assert response.status_code == status
        response = post(world.client(user), "discipline/KL-1/appeal",
                        {"appealed_on": "2026-04-10"})
        assert response.status_code == status
    assert post(world.client("commune"), "discipline", DISMISSAL).status_code == 403
    assert InspectionSubject.objects.count() == 1 and Discipline.objects.count() == 1
    assert Discipline.objects.get().appealed_on is None


def test_a_decision_breaking_a_rule_needs_the_exception_and_takes_effect(world, people):
    client = world.client("inspector")
    response = post(client, "discipline", DISMISSAL)  # Lan holds no party post
    assert response.status_code == 422 and response.json()["field"] == "form"
    assert not Discipline.objects.exists()
    response = post(client, "discipline", {**DISMISSAL, "exception": EXCEPTION})
    assert response.status_code == 201, response.content
    assert RecordedException.objects.get().finding == "discipline.dismissal_post"
    response = post(client, "discipline", {**DISMISSAL, "member_code": "M002",
                                           "form": "expulsion", "code": "KL-9",
                                           "effective_on": "2026-04-05"})
    assert response.status_code == 201, response.content
    assert response.json()["standing_form"] == "expulsion"
    thang = Member.objects.get(member_code="M002")
    assert thang.status == "expelled" and thang.ended_on == D(2026, 4, 5)


def test_an_appeal_annulling_an_expulsion_through_the_api(world, people):
    client = world.client("inspector")
    post(client, "discipline", {**DISMISSAL, "member_code": "M002", "form": "expulsion",
                                "code": "KL-9"})
    etag = get(client, "discipline/KL-9")["ETag"]
    response = post(client, "discipline/KL-9/appeal", {"appealed_on": "2026-04-10"},
                    HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    response = post(client, "discipline/KL-9/appeal-decision",
                    {"outcome": "annulled", "decided_on": "2026-05-04"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 412  # the appeal changed the decision since
    response = post(client, "discipline/KL-9/appeal-decision",
                    {"outcome": "changed", "decided_on": "2026-05-04"})
    assert response.status_code == 422 and response.json()["field"] == "form"
    response = post(client, "discipline/KL-9/appeal-decision",
                    {"outcome": "annulled", "decided_on": "2026-05-04"})
    assert response.status_code == 200, response.content
    assert (response.json()["appeal_outcome"], response.json()["standing_form"]) == (
        "annulled", "")
    assert not MemberEvent.objects.filter(event="expel").exists()
    assert Member.objects.get(member_code="M002").status == "official"


def test_lists_filter_and_page(world, people):
    for day in (D(2025, 5, 1), D(2026, 1, 5), D(2026, 3, 2)):
        opened(world, start_on=day)
    opened(world, org="D2.X1", start_on=D(2026, 3, 2))
    client = world.client("inspector")
    page = get(client, "inspections?org=D1.X1&limit=2").json()
    assert (page["count"], page["next"], [i["start_on"] for i in page["items"]]) == (
        3, 2, ["2026-03-02", "2026-01-05"])
    assert get(client, "inspections?org=D1.X1&year=2025").json()["count"] == 1
    assert get(client, "inspections?org=TQ").json()["count"] == 4
    decide(world, people, form="warning")
    decide(world, people, member="yen", decided_by="D2.X1", form="reprimand")
    assert get(client, "discipline?org=D1.X1").json()["count"] == 1
    assert get(client, "discipline?org=TQ&form=reprimand").json()["count"] == 1
    assert Inspection.objects.count() == 4


# The operations the pages had and the API lacked (issue 18) --------------------------------

REFUSED = {None: 401, "other_commune": 404, "commune": 403, "viewer": 403}


def refusals(world, url: str, body: dict) -> dict:
    """What the anonymous visitor, an officer outside the subtree and two inside it without
    `inspection.manage` get."""
    return {user: post(world.client(user), url, body).status_code for user in REFUSED}


def refused_on(response, field: str) -> None:
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field, response.json()


def test_closing_an_inspection(world, people):
    opened(world, code="KT-1")
    url, body = "inspections/KT-1/close", {"end_on": "2026-04-30"}
    assert refusals(world, url, body) == REFUSED
    client = world.client("inspector")
    refused_on(post(client, url, {"end_on": "2026-03-01"}), "end_on")  # before the start
    refused_on(post(client, url, {"end_on": "2099-01-01"}), "end_on")  # not a plausible day
    refused_on(post(client, url, {}), "end_on")
    assert Inspection.objects.get().end_on is None
    assert not AuditRecord.objects.filter(action="inspection.close").exists()
    etag = get(client, "inspections/KT-1")["ETag"]
    post(client, "inspections/KT-1/subjects", {"member_code": "M002"})
    assert post(client, url, body, HTTP_IF_MATCH=etag).status_code == 200  # subjects: no edit
    assert post(client, url, body, HTTP_IF_MATCH=etag).status_code == 412  # closed since
    response = post(client, url, body)
    refused_on(response, "end_on")  # once
    assert get(client, "inspections/KT-1").json()["end_on"] == "2026-04-30"
    assert AuditRecord.objects.filter(action="inspection.close").count() == 1


@pytest.fixture
def concluded(world, people):
    """KT-1: Thắng concluded with a follow-up due on 30 April, Lan without one."""
    inspection = opened(world, code="KT-1")
    subjects = {}
    for name, follow_up in (("thang", "Kiểm điểm trước chi bộ"), ("lan", "")):
        subject = services.add_subject(inspection, actor=SYSTEM, member=people[name])
        subjects[name] = services.record_conclusion(
            subject, actor=SYSTEM, conclusion="shortcomings", concluded_on=D(2026, 3, 20),
            follow_up=follow_up, follow_up_due=D(2026, 4, 30) if follow_up else None).pk
    return subjects


def done_days() -> set:
    return set(InspectionSubject.objects.values_list("follow_up_done_on", flat=True))


def test_recording_a_follow_up_done(world, concluded):
    url = f"inspections/KT-1/subjects/{concluded['thang']}/follow-up"
    body = {"done_on": "2026-04-20"}
    assert refusals(world, url, body) == REFUSED
    client = world.client("inspector")
    refused_on(post(client, url, {"done_on": "2026-03-19"}), "done_on")  # before the conclusion
    refused_on(post(client, f"inspections/KT-1/subjects/{concluded['lan']}/follow-up", body),
               "done_on")  # nothing was asked for
    assert post(client, "inspections/KT-1/subjects/999999/follow-up", body).status_code == 404
    assert done_days() == {None}
    assert not AuditRecord.objects.filter(action="inspection.follow_up_done").exists()
    subject = [s for s in get(client, "inspections/KT-1").json()["subjects"]
               if s["member_code"] == "M002"][0]
    response = post(client, url, body, HTTP_IF_MATCH=f'"{subject["version"]}"')
    assert response.status_code == 200, response.content
    done = [s for s in response.json()["subjects"] if s["member_code"] == "M002"][0]
    assert done["follow_up_done_on"] == "2026-04-20"
    assert post(client, url, {"done_on": "2026-04-21"},
                HTTP_IF_MATCH=f'"{subject["version"]}"').status_code == 412
    assert done_days() == {None, D(2026, 4, 20)}


PROGRAMME = {"org_code": "D1.X1", "by_body": "inspection_commission", "year": 2026,
             "title": "Chương trình kiểm tra, giám sát năm 2026"}


def test_making_a_programme(world):
    assert refusals(world, "programmes", PROGRAMME) == {**REFUSED, "other_commune": 422}
    client = world.client("inspector")
    for body, field in (({**PROGRAMME, "term_from": 2025, "term_to": 2030}, "year"),
                        ({**PROGRAMME, "year": None, "term_from": 2025}, "term_to"),
                        ({**PROGRAMME, "year": None, "term_from": 2030, "term_to": 2025},
                         "term_to"),
                        ({**PROGRAMME, "title": ""}, "title"),
                        ({**PROGRAMME, "org_code": "D1.X1.C1"}, "by_body"),  # a cell's
                        ({**PROGRAMME, "org_code": "NOWHERE"}, "org_code")):
        refused_on(post(client, "programmes", body), field)
    assert not Programme.objects.exists()
    assert not AuditRecord.objects.filter(action__startswith="inspection.").exists()
    response = post(client, "programmes", {**PROGRAMME, "year": None, "term_from": 2025,
                                           "term_to": 2030, "title": "Chương trình toàn khóa"})
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["org"], made["year"], made["term_from"], made["term_to"], made["items"]) == (
        "D1.X1", None, 2025, 2030, [])
    assert response["ETag"]
    assert AuditRecord.objects.filter(action="inspection.programme").count() == 1


@pytest.fixture
def programme(world):
    return services.create_programme(actor=SYSTEM, org=world.orgs["D1.X1"],
                                     by_body="inspection_commission", year=2026,
                                     title="Chương trình kiểm tra, giám sát năm 2026")


ITEM = {"kind": "inspection_regular", "content": "Kiểm tra chi bộ Đồng Mạ",
        "subject_text": "Chi bộ Đồng Mạ", "subject_org_code": "D1.X1.C1",
        "planned_from": "2026-06-01", "planned_to": "2026-06-30"}


def test_adding_an_item_to_a_programme(world, programme):
    url = f"programmes/{programme.pk}/items"
    assert refusals(world, url, ITEM) == REFUSED
    client = world.client("inspector")
    for body, field in (({**ITEM, "planned_from": "2025-12-01"}, "planned_from"),
                        ({**ITEM, "planned_to": "2026-05-31"}, "planned_to"),
                        ({**ITEM, "subject_org_code": "D1.X1"}, "subject_org"),  # itself
                        ({**ITEM, "subject_org_code": "D2.X1.C1"}, "subject_org"),
                        ({**ITEM, "subject_org_code": "NOWHERE"}, "subject_org_code"),
                        ({**ITEM, "content": " "}, "content"),
                        ({**ITEM, "kind": "visit"}, "kind")):
        refused_on(post(client, url, body), field)
    assert not ProgrammeItem.objects.exists()
    assert post(client, "programmes/999999/items", ITEM).status_code == 404
    response = post(client, url, ITEM)
    assert response.status_code == 201, response.content
    response = post(client, url, {"kind": "supervision_thematic",
                                  "content": "Giám sát chuyên đề"})  # all the year
    items = response.json()["items"]
    assert [(i["content"], i["subject_org_code"], i["planned_from"], i["planned_to"])
            for i in items] == [
        ("Giám sát chuyên đề", None, "2026-01-01", "2026-12-31"),
        ("Kiểm tra chi bộ Đồng Mạ", "D1.X1.C1", "2026-06-01", "2026-06-30")]
    assert AuditRecord.objects.filter(action="inspection.programme_item").count() == 2


def test_an_inspection_opened_under_a_programme_item(world, programme):
    item = services.add_programme_item(programme, actor=SYSTEM, kind="inspection_regular",
                                       content="Kiểm tra chi bộ Đồng Mạ")
    district = services.create_programme(actor=SYSTEM, org=world.orgs["D1"],
                                         by_body="committee", year=2026, title="Của huyện")
    other = services.add_programme_item(district, actor=SYSTEM, kind="inspection_regular",
                                        content="Kiểm tra xã")
    body = {"org_code": "D1.X1", "kind": "inspection_regular", "by_body": "committee",
            "start_on": "2026-06-02"}
    client = world.client("inspector")
    refused_on(post(client, "inspections", {**body, "programme_item": other.pk}),
               "programme_item")  # of another organization
    refused_on(post(client, "inspections", {**body, "programme_item": 999999}),
               "programme_item")
    assert not Inspection.objects.exists()
    response = post(client, "inspections", {**body, "programme_item": item.pk})
    assert response.status_code == 201, response.content
    opened_ = response.json()
    assert (opened_["programme"], opened_["programme_id"], opened_["programme_item"]) == (
        "Chương trình kiểm tra, giám sát năm 2026", programme.pk, item.pk)
    shown = get(client, f"programmes/{programme.pk}").json()
    assert shown["items"][0]["inspections"] == [opened_["code"]]
    assert post(client, "inspections", body).json()["programme_item"] is None


def test_programmes_are_listed_by_subtree_year_and_term(world, programme):
    for org, year, term in (("D1.X1", None, (2025, 2030)), ("D1", 2025, None),
                            ("D2.X1", 2026, None)):
        services.create_programme(actor=SYSTEM, org=world.orgs[org], by_body="committee",
                                  year=year, term_from=term and term[0],
                                  term_to=term and term[1], title=f"{org} {year or term}")
    client = world.client("inspector")

    def titles(query: str) -> list[str]:
        return [p["title"] for p in get(client, f"programmes?{query}").json()["items"]]

    assert titles("org=D1.X1") == ["D1.X1 (2025, 2030)",
                                   "Chương trình kiểm tra, giám sát năm 2026"]
    assert titles("org=D1&year=2025") == ["D1 2025", "D1.X1 (2025, 2030)"]
    assert titles("org=TQ&year=2026&term=false") == [
        "D2.X1 2026", "Chương trình kiểm tra, giám sát năm 2026"]
    assert titles("org=TQ&term=true") == ["D1.X1 (2025, 2030)"]
    page = get(client, "programmes?org=TQ&limit=2&offset=1").json()
    assert (page["count"], page["next"], len(page["items"])) == (4, 3, 2)
    assert get(client, "programmes?org=TQ&year=1800").status_code in (400, 422)
    expected = {None: 401, "other_commune": 404, "nobody": 404, "commune": 403,
                "viewer": 403, "inspector": 200}
    for url in ("programmes?org=D1.X1", f"programmes/{programme.pk}"):
        assert {user: get(world.client(user), url).status_code for user in expected} == expected


def test_an_annulled_dismissal_gives_the_post_back_through_the_api(world, people):
    secretary = member_services.assign_post(people["hoa"], actor=SYSTEM, role="secretary",
                                            org=world.orgs["D1.X1.C1"], start_on=D(2020, 1, 1))
    client = world.client("inspector")
    response = post(client, "discipline", {**DISMISSAL, "member_code": "M005", "code": "KL-9",
                                           "effective_on": "2026-04-10"})
    assert response.status_code == 201, response.content
    assert Position.objects.get(pk=secretary.pk).end_on == D(2026, 4, 9)
    post(client, "discipline/KL-9/appeal", {"appealed_on": "2026-04-20"})
    response = post(client, "discipline/KL-9/appeal-decision",
                    {"outcome": "annulled", "decided_on": "2026-06-01"})
    assert response.status_code == 200, response.content
    assert Position.objects.get(pk=secretary.pk).end_on is None


def test_the_follow_ups_of_a_subtree(world, people, concluded):
    elsewhere = opened(world, org="D2.X1", code="KT-2")
    services.record_conclusion(
        services.add_subject(elsewhere, actor=SYSTEM, member=people["yen"]), actor=SYSTEM,
        conclusion="violation", concluded_on=D(2026, 3, 20), follow_up="Khắc phục",
        follow_up_due=D(2026, 5, 30))
    client = world.client("inspector")

    def listed(query: str) -> list[tuple]:
        return [(f["inspection_code"], f["member_code"], f["follow_up_due"], f["overdue"])
                for f in get(client, f"follow-ups?{query}").json()["items"]]

    assert listed("org=D1.X1") == [("KT-1", "M002", "2026-04-30", True)]  # Lan: none asked
    assert listed("org=TQ") == [("KT-1", "M002", "2026-04-30", True),
                                ("KT-2", "M008", "2026-05-30", True)]
    services.record_follow_up_done(InspectionSubject.objects.get(pk=concluded["thang"]),
                                   actor=SYSTEM, done_on=D(2026, 4, 20))
    assert listed("org=TQ&done=false") == [("KT-2", "M008", "2026-05-30", True)]
    assert listed("org=TQ&done=true") == [("KT-1", "M002", "2026-04-30", False)]
    expected = {None: 401, "other_commune": 404, "nobody": 404, "commune": 403,
                "viewer": 403, "inspector": 200}
    assert {user: get(world.client(user), "follow-ups?org=D1.X1").status_code
            for user in expected} == expected


def test_a_late_appeal_through_the_api_needs_the_receipt_day(world, people):
    client = world.client("inspector")
    post(client, "discipline", {**DISMISSAL, "form": "reprimand", "code": "KL-8"})
    late = {"appealed_on": "2026-06-01"}  # 1/4 + 30 working days is mid-May
    refused_on(post(client, "discipline/KL-8/appeal", late), "appealed_on")
    refused_on(post(client, "discipline/KL-8/appeal", {**late, "received_on": "2026-03-01"}),
               "received_on")
    assert Discipline.objects.get(code="KL-8").appealed_on is None
    response = post(client, "discipline/KL-8/appeal", {**late, "received_on": "2026-05-04"})
    assert response.status_code == 200, response.content
    assert Discipline.objects.get(code="KL-8").received_on == D(2026, 5, 4)


def test_a_decision_names_only_a_deciding_level_the_caller_manages(world, people):
    from chibo.accounts.models import Role
    from chibo.accounts.services import create_user, grant_role

    user = create_user(actor=SYSTEM, username="x1_inspector", password="x-Secret-9876")
    grant_role(user, actor=SYSTEM, role=Role.INSPECTOR, organization=world.orgs["D1.X1"])
    world.users["x1_inspector"] = user
    client = world.client("x1_inspector")
    # a level above the caller, or beside, reads as an unknown code: nothing of it is told,
    # nothing written (the service also requires managing the level: test_inspection_pages)
    for code in ("TQ", "D1", "D2", "NOWHERE"):
        refused_on(post(client, "discipline", {**DISMISSAL, "form": "reprimand",
                                               "decided_by": code}), "decided_by")
    assert not Discipline.objects.exists()
    # a caller without the capability learns nothing of the member codes
    assert post(world.client("viewer"), "discipline", {**DISMISSAL,
                                                       "member_code": "NOBODY"}).status_code == 403


def test_the_proposing_inspection_is_named_only_to_who_may_read_it(world, people):
    from chibo.accounts.models import Role
    from chibo.accounts.services import create_user, grant_role

    above = opened(world, code="KT-7", org="D1")
    services.add_subject(above, actor=SYSTEM, member=people["thang"])
    decide(world, people, code="KL-7", inspection=above)
    user = create_user(actor=SYSTEM, username="x1_reader", password="x-Secret-9876")
    grant_role(user, actor=SYSTEM, role=Role.INSPECTOR, organization=world.orgs["D1.X1"])
    world.users["x1_reader"] = user
    assert get(world.client("x1_reader"), "discipline/KL-7").json()["inspection_code"] is None
    listed = get(world.client("x1_reader"), "discipline?org=D1.X1").json()["items"]
    assert [row["inspection_code"] for row in listed] == [None]
    assert get(world.client("inspector"), "discipline/KL-7").json()["inspection_code"] == "KT-7"
