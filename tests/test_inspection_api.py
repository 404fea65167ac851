"""The API of inspection, supervision and discipline (chibo.inspection.api): the confidential
cases (401 anonymous, 404 outside the subtree, 403 in it without `inspection.view`), every read
of a case logged, the writes through the services (422 naming the field, nothing written; 412
on a stale If-Match), and a decision's effect on the member's file."""

import pytest

from chibo.accounts.policy import SYSTEM
from chibo.audit.models import AuditRecord
from chibo.findings.models import RecordedException
from chibo.inspection import services
from chibo.inspection.models import CaseRead, Discipline, Inspection, InspectionSubject
from chibo.members.models import Member, MemberEvent
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
