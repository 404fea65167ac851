"""Admission through the API, with the same scoping and rules as the pages: the whole path by
the API, a list of a subtree with its filters, scope (inside, denied, outside), bad input (a
clear error naming the field, nothing written), a refused rule then accepted with an
exception, If-Match, a readmission from the former member's file, and the cells without
admission."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.admission import services
from chibo.admission.models import Candidate
from chibo.audit.models import AuditRecord
from chibo.findings.models import RecordedException
from chibo.members.models import Member
from tests.conftest import D
from tests.test_admission import listed, prepared, resolved
from tests.test_meeting_api import call

MAI = {"org_code": "D1.X1.C1", "code": "K1", "listed_on": "2024-01-10",
       "full_name": "Hà Thị Mai", "gender": "female", "birth_date": "1998-04-02",
       "ethnicity": "Tày"}


def post(client, url, body, **headers):
    return call(client, "post", f"admission{url}", json=body, **headers)


def test_the_whole_path_through_the_api(world, people):
    secretary, commune = world.client("secretary"), world.client("commune")
    response = post(secretary, "", MAI)
    assert response.status_code == 201, response.content
    assert response.json()["step"] == "listed" and "certificate" in response.json()["missing"]
    for url, body in (("/K1/certificate", {"day": "2024-03-01"}),
                      ("/K1/sponsors", {"sponsor1": "M001", "sponsor2": "M002"}),
                      ("/K1/background", {"day": "2024-04-01"}),
                      ("/K1/cell-resolution", {"day": "2025-01-02", "votes_for": 4,
                                               "votes_total": 5}),
                      ("/K1/committee-resolution", {"day": "2025-01-09"})):
        response = post(secretary, url, body)
        assert response.status_code == 200, (url, response.content)
    data = response.json()
    assert data["step"] == "committee_resolved" and data["missing"] == ["decision"]
    assert data["deadlines"][0]["key"] == "decision"
    # The decision makes the member's file: the commune's clerk records it.
    decision = {"day": "2025-02-20", "decision_no": "12-QĐ/ĐU", "decided_by": "D1.X1",
                "member_code": "M100"}
    assert post(secretary, "/K1/decision", decision).status_code == 403
    response = post(commune, "/K1/decision", decision)
    assert response.status_code == 200, response.content
    assert response.json()["member_code"] == "M100" and response.json()["step"] == "decided"
    response = post(secretary, "/K1/ceremony", {"day": "2025-03-03"})
    assert response.status_code == 200 and response.json()["step"] == "probation"
    assert response.json()["deadlines"][0]["due"] == "2026-03-03"
    assert response.json()["recognition_due"] is True


def test_the_list_of_a_subtree_with_its_filters(world, people):
    listed(world, code="K1")
    resolved(world, people, code="K2", on=timezone.localdate() - timedelta(days=200))
    services.withdraw(listed(world, code="K3"), D(2024, 6, 1), actor=SYSTEM)
    client = world.client("commune")
    data = call(client, "get", "admission?org=D1.X1").json()
    assert [item["code"] for item in data["items"]] == ["K2", "K1"]  # soonest deadline first
    assert data["items"][0]["deadlines"][0]["overdue"] is True
    assert [i["code"] for i in call(client, "get", "admission?org=D1.X1&overdue=true"
                                    ).json()["items"]] == ["K2"]
    assert [i["code"] for i in call(client, "get", "admission?org=D1.X1&step=listed"
                                    ).json()["items"]] == ["K1"]
    every = call(client, "get", "admission?org=D1.X1&open=false&limit=2").json()
    assert every["count"] == 3 and every["next"] == 2
    assert call(client, "get", "admission?org=D1.X1&step=nothing").status_code == 400


@pytest.mark.parametrize(("username", "status"), [
    ("secretary", 200), ("commune", 200), ("inspector", 200), ("viewer", 404),
    ("member", 404), ("other_commune", 404), ("nobody", 404)])
def test_a_file_is_read_with_member_view_in_scope(world, people, username, status):
    listed(world)
    response = call(world.client(username), "get", "admission/K1")
    assert response.status_code == status
    if status == 200:
        assert response["ETag"] and response.json()["checklist"][0]["key"] == "certificate"


@pytest.mark.parametrize(("username", "status"), [
    ("secretary", 200), ("inspector", 403), ("other_commune", 404)])
def test_a_step_needs_admission_manage(world, people, username, status):
    listed(world)
    response = post(world.client(username), "/K1/certificate", {"day": "2024-03-01"})
    assert response.status_code == status
    assert (Candidate.objects.get().awareness_course_on is not None) == (status == 200)


def test_bad_input_names_the_field_and_writes_nothing(world, people):
    candidate = prepared(world, people)
    client = world.client("secretary")
    before = AuditRecord.objects.count()
    for url, body, field in (
            ("/K1/cell-resolution", {"day": "2025-01-02", "votes_for": 6, "votes_total": 5},
             "cell_votes_for"),
            ("/K1/cell-resolution", {"day": "2099-01-02", "votes_for": 4, "votes_total": 5},
             "day"),
            ("/K1/sponsors", {"sponsor1": "M008"}, "sponsor1"),  # Yến: another commune
            ("/K1/committee-resolution", {"day": "2025-01-09"}, "committee_resolution_on")):
        response = post(client, url, body)
        assert response.status_code == 422, (url, response.content)
        assert field in str(response.json()), (url, response.json())
    response = post(client, "", {**MAI, "org_code": "D2.X1.C1", "code": "K9"})
    assert response.status_code == 422 and response.json()["field"] == "org_code"
    candidate.refresh_from_db()
    assert candidate.cell_resolution_on is None and AuditRecord.objects.count() == before


def test_a_refused_rule_is_accepted_with_an_exception(world, people):
    prepared(world, people, certificate_on=D(2019, 1, 1))  # expires on 1 January 2024
    client = world.client("secretary")
    body = {"day": "2025-01-02", "votes_for": 3, "votes_total": 5}
    response = post(client, "/K1/cell-resolution", body)
    assert response.status_code == 422 and "hai phần ba" in response.json()["detail"]
    assert Candidate.objects.get().cell_resolution_on is None
    response = post(client, "/K1/cell-resolution", {**body, "exception": {
        "decision_no": "15-QĐ/HU", "decided_on": "2025-01-01", "decided_by": "D1"}})
    assert response.status_code == 200, response.content
    assert RecordedException.objects.get().finding == "admission.vote"
    assert {f["key"]: f["excepted"] for f in response.json()["findings"]} == {
        "admission.vote": True}


def test_a_step_on_a_file_changed_since_it_was_read_is_a_412(world, people):
    listed(world)
    client = world.client("secretary")
    etag = call(client, "get", "admission/K1")["ETag"]
    services.record_background_check(Candidate.objects.get(), D(2024, 4, 1), actor=SYSTEM)
    response = post(client, "/K1/certificate", {"day": "2024-03-01"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert Candidate.objects.get().awareness_course_on is None


def test_a_readmission_starts_from_the_former_members_file(world, people):
    from chibo.members import services as members

    hoa = people["hoa"]
    members.record_event(hoa, actor=SYSTEM, event="leave", effective_on=D(2020, 1, 10))
    client = world.client("commune")
    response = post(client, "", {"org_code": "D1.X1.C1", "code": "K5",
                                 "listed_on": "2024-01-10", "former_member_code": "M005"})
    assert response.status_code == 201, response.content
    assert response.json()["full_name"] == "Trần Thị Hoa"
    assert post(client, "", {"org_code": "D1.X1.C1", "code": "K6", "listed_on": "2024-01-10",
                             "former_member_code": "M999"}).json()["field"] == \
        "former_member_code"


def test_cells_without_admission(world, people):
    client = world.client("commune")
    rows = call(client, "get", "admission/cells-without-admission?org=D1.X1&years=3").json()
    assert {"code": "D1.X1.C2", "name": "Chi bộ thôn Nà Khà", "years": 3} in rows
    assert call(world.client("other_commune"), "get",
                "admission/cells-without-admission?org=D1.X1").status_code == 404
    assert not Member.objects.filter(member_code="M100").exists()
