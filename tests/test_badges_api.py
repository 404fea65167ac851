"""The API of the party badges (chibo.badges.api): the writes through the services (422 naming
the field, nothing written; a finding refused with code `finding` unless the body gives the
exception), the lists of a subtree and of one award day. (The scope of every endpoint for every
named user: tests/contract/domains/badges.py.)"""

import pytest

from chibo.badges.models import Badge, Proposal
from chibo.findings.models import RecordedException
from tests.test_meeting_api import call

AWARD = {"member_code": "M003", "years": 50, "awarded_on": "2025-09-02"}
EXCEPTION = {"decision_no": "45-QĐ/TU", "decided_on": "2025-05-01", "decided_by": "TQ"}


def post(client, url, body):
    return call(client, "post", f"badges/{url}", json=body)


def get(client, url):
    return call(client, "get", f"badges/{url}")


def test_the_secretary_proposes_and_the_province_awards(world, people):
    response = post(world.client("secretary"), "proposals", {
        "member_code": "M003", "years": 50, "award_day": "2025-09-02",
        "proposed_on": "2025-08-01"})
    assert response.status_code == 201, response.content
    assert response.json()["proposed_by"] == "D1.X1.C1"
    response = post(world.client("province"), "badges", {**AWARD, "decision_no": "12-QĐ/TU"})
    assert response.status_code == 201, response.content
    assert response.json()["decided_by"] == "TQ"
    assert Proposal.objects.get().status == "awarded"
    listed = get(world.client("commune"), "badges?org=D1.X1&day=2025-09-02").json()
    assert [item["member_code"] for item in listed["items"]] == ["M003"]
    assert get(world.client("commune"), "badges?org=D1.X1&day=2025-11-07").json()["count"] == 0
    proposals = get(world.client("commune"), "proposals?org=D1.X1&status=awarded").json()
    assert [p["member_code"] for p in proposals] == ["M003"]


@pytest.mark.parametrize(("body", "field"), [
    ({"years": 35}, "years"), ({"early_reason": "posthumous"}, "early_reason"),
    ({"awarded_on": "1970-02-03"}, "awarded_on"), ({"member_code": "NOPE"}, "member_code")])
def test_a_bad_award_is_refused_on_its_field(world, people, body, field):
    response = post(world.client("province"), "badges", {**AWARD, **body})
    assert response.status_code == 422
    assert field in str(response.json())
    assert not Badge.objects.exists()


def test_a_finding_is_refused_then_recorded_with_its_exception(world, people):
    body = {**AWARD, "awarded_on": "2025-05-19"}  # 50 years only on 1/6/2025
    response = post(world.client("province"), "badges", body)
    assert response.status_code == 422
    assert response.json()["field"] == "years" and not Badge.objects.exists()
    response = post(world.client("province"), "badges", {**body, "exception": EXCEPTION})
    assert response.status_code == 201
    assert RecordedException.objects.get().finding == "badges.party_age"
