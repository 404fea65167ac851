"""The API of the annual review (chibo.ratings.api): reads under `member.view` (401 anonymous,
404 outside the subtree, 403 in it without), the writes through the services (422 naming the
field, nothing written; a finding refused with code `finding` unless the body gives the
exception), the live quota and the cell's proposal by the secretary. (The scope of every
endpoint for every named user: tests/contract/domains/ratings.py.)"""

import pytest

from chibo.findings.models import RecordedException
from chibo.ratings.models import Proposal, Rating, ReviewCampaign
from tests.test_meeting_api import call

DECISION = {"year": 2025, "member_code": "M001", "level": "good", "decided_on": "2025-12-20"}
EXCEPTION = {"decision_no": "15-QĐ/ĐU", "decided_on": "2025-12-20", "decided_by": "D1.X1"}


def post(client, url, body):
    return call(client, "post", f"ratings/{url}", json=body)


def get(client, url):
    return call(client, "get", f"ratings/{url}")


@pytest.fixture
def campaign(world, people):
    response = post(world.client("commune"), "campaigns", {
        "org_code": "D1.X1", "year": 2025, "opened_on": "2025-11-01",
        "deadline": "2025-12-10"})
    assert response.status_code == 201, response.content
    return response.json()


def test_the_ratings_are_read_under_member_view(world, people):
    assert post(world.client("commune"), "ratings", DECISION).status_code == 201
    expected = {None: 401, "other_commune": 404, "nobody": 404, "viewer": 403,
                "inspector": 200, "commune": 200}
    got = {user: get(world.client(user), "ratings?org=D1.X1").status_code for user in expected}
    assert got == expected
    body = get(world.client("commune"), "ratings?org=D1.X1&year=2025").json()
    assert [(i["member_code"], i["level"], i["decided_by"]) for i in body["items"]] == [
        ("M001", "good", "D1.X1")]


@pytest.mark.parametrize(("change", "field"), [
    ({"level": "best"}, "level"),
    ({"score": 101}, "score"),
    ({"score": "80.123"}, "score"),
    ({"decided_on": "2024-12-31"}, "decided_on"),
    ({"member_code": "M999"}, "member_code"),
    ({"member_code": None}, "org"),
    ({"decided_by": "NOPE"}, "decided_by"),
])
def test_a_bad_decision_is_a_422_and_nothing_is_written(world, people, change, field):
    response = post(world.client("commune"), "ratings", {**DECISION, **change})
    assert response.status_code == 422, response.content
    assert field in response.content.decode()
    assert not Rating.objects.exists()


def test_a_finding_is_refused_then_recorded_with_its_exception(world, people):
    response = post(world.client("commune"), "ratings", {**DECISION, "level": "excellent"})
    assert response.status_code == 422
    assert response.json()["field"] == "level" and not Rating.objects.exists()
    response = post(world.client("commune"), "ratings",
                    {**DECISION, "level": "excellent", "exception": EXCEPTION})
    assert response.status_code == 201
    assert RecordedException.objects.get().finding == "ratings.quota"
    quota = get(world.client("commune"), "quota?org=D1.X1&year=2025").json()
    assert {k: quota[0][k] for k in ("subjects", "excellent", "good", "exceeded")} == {
        "subjects": "members", "excellent": 1, "good": 0, "exceeded": True}


def test_the_secretary_proposes_and_the_committee_sees_it(world, people, campaign):
    secretary = world.client("secretary")
    response = post(secretary, "proposals", {"year": 2025, "member_code": "M002",
                                             "level": "not_complete",
                                             "manifestations": ["B6"],
                                             "proposed_on": "2025-12-05"})
    assert response.status_code == 201, response.content
    detail = get(world.client("commune"), f"campaigns/{campaign['id']}").json()
    assert [(p["member_code"], p["manifestations"]) for p in detail["proposals"]] == [
        ("M002", ["B6"])]
    assert get(secretary, f"campaigns/{campaign['id']}").status_code == 404


@pytest.mark.parametrize(("change", "field"), [
    ({"level": "good", "manifestations": ["B6"]}, "level"),  # forces not complete
    ({"manifestations": ["Z1"]}, "manifestations"),
    ({"year": 2024}, "year"),  # no campaign of 2024
    ({"member_code": "M006"}, "member_code"),  # another cell's member: out of sight
])
def test_a_bad_proposal_is_refused_and_nothing_written(world, people, campaign, change,
                                                       field):
    body = {"year": 2025, "member_code": "M002", "level": "good", "proposed_on": "2025-12-05",
            **change}
    response = post(world.client("secretary"), "proposals", body)
    assert response.status_code == 422
    assert field in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_stale_close_is_refused(world, people, campaign):
    client = world.client("commune")
    etag = call(client, "get", f"ratings/campaigns/{campaign['id']}")["ETag"]
    call(client, "post", f"ratings/campaigns/{campaign['id']}/close",
         json={"closed_on": "2025-12-30"}, HTTP_IF_MATCH=etag)
    response = call(client, "post", f"ratings/campaigns/{campaign['id']}/close",
                    json={"closed_on": "2025-12-31"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert ReviewCampaign.objects.get().closed_on.isoformat() == "2025-12-30"
