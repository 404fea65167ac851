"""The courses' API: list and one course in the caller's scope, opening a course, enrolling a
learner, recording a result; outside the scope 404, without the capability 403, bad input 422
naming the field with nothing written, a stale If-Match 412."""

import json

import pytest

from chibo.accounts.policy import SYSTEM
from chibo.courses import services
from chibo.courses.models import Course, Enrollment
from tests.conftest import D
from tests.test_admission import listed
from tests.test_courses import course


@pytest.fixture
def commune_course(world, people) -> Course:
    return course(world, kind="other", code="L5", org="D1.X1", start_on=D(2026, 3, 2),
                  end_on=D(2026, 3, 6))


def post(client, url: str, body: dict, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


NEW = {"org_code": "D1.X1", "code": "L7", "name": "Lớp nhận thức về Đảng 2026",
       "kind": "awareness", "start_on": "2026-03-02", "end_on": "2026-03-06"}


def test_the_list_is_the_callers_scope_filtered_by_org_kind_and_year(world, people,
                                                                     commune_course):
    course(world, code="L1")  # the district's, 2025
    province = world.client("province")
    codes = [c["code"] for c in province.get("/api/v1/courses").json()["items"]]
    assert codes == ["L5", "L1"]  # latest first
    assert [c["code"] for c in province.get("/api/v1/courses?kind=new_member").json()[
        "items"]] == ["L1"]
    assert [c["code"] for c in province.get("/api/v1/courses?year=2026").json()[
        "items"]] == ["L5"]
    assert [c["code"] for c in world.client("commune").get("/api/v1/courses").json()[
        "items"]] == ["L5"]  # the district's course lies above the commune
    assert world.client("other_commune").get("/api/v1/courses?org=D1.X1").status_code == 404
    assert world.client("province").get("/api/v1/courses?year=99999").status_code == 400


def test_one_course_with_its_learners_and_version(world, people, commune_course):
    services.enroll(commune_course, member=people["lan"], actor=SYSTEM)
    response = world.client("commune").get("/api/v1/courses/L5")
    body = response.json()
    assert response.status_code == 200 and response["ETag"]
    assert (body["learners"], body["enrollments"][0]["member_code"]) == (1, "M001")
    assert world.client("other_commune").get("/api/v1/courses/L5").status_code == 404


def test_the_clerk_opens_a_course(world):
    response = post(world.client("commune"), "/api/v1/courses", NEW)
    assert response.status_code == 201, response.content
    assert response.json()["org"] == "D1.X1" and Course.objects.filter(code="L7").exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"end_on": "2026-03-01"}, "end_on"), ({"kind": "cooking"}, "kind"),
    ({"code": "L 7"}, "code"), ({"org_code": "D2.X1"}, "org_code"),
    ({"name": ""}, "name")])
def test_a_bad_course_is_refused_naming_the_field(world, change, field):
    response = post(world.client("commune"), "/api/v1/courses", {**NEW, **change})
    assert response.status_code == 422
    assert field in json.dumps(response.json())
    assert not Course.objects.exists()


def test_who_may_not_manage_courses_is_refused(world):
    assert post(world.client("viewer"), "/api/v1/courses", NEW).status_code == 403
    assert not Course.objects.exists()


def test_a_member_and_a_candidate_are_enrolled(world, people, commune_course):
    listed(world, code="K1", listed_on=D(2026, 1, 5))
    client = world.client("commune")
    member = post(client, "/api/v1/courses/L5/enrollments", {"member_code": "M002"})
    candidate = post(client, "/api/v1/courses/L5/enrollments", {"candidate_code": "K1"})
    assert (member.status_code, candidate.status_code) == (201, 201)
    assert candidate.json()["full_name"] == "Hà Thị Mai"
    assert Enrollment.objects.filter(course=commune_course).count() == 2


@pytest.mark.parametrize(("body", "field"), [
    ({"member_code": "M008"}, "member_code"),  # Hàm Yên: outside the course's reach
    ({"member_code": "M999"}, "member_code"),
    ({"candidate_code": "K9"}, "candidate_code"),
    ({}, "member_code"),
    ({"member_code": "M001", "candidate_code": "K1"}, "member_code")])
def test_a_learner_not_in_reach_or_ill_named_is_refused(world, people, commune_course, body,
                                                        field):
    response = post(world.client("commune"), "/api/v1/courses/L5/enrollments", body)
    assert response.status_code == 422 and response.json()["field"] == field
    assert not Enrollment.objects.exists()


def test_enrolling_with_a_stale_version_is_refused(world, people, commune_course):
    client = world.client("commune")
    tag = client.get("/api/v1/courses/L5")["ETag"]
    Course.objects.filter(pk=commune_course.pk).update(place="Hội trường xã")
    response = post(client, "/api/v1/courses/L5/enrollments", {"member_code": "M002"},
                    HTTP_IF_MATCH=tag)
    assert response.status_code == 412 and not Enrollment.objects.exists()
    fresh = client.get("/api/v1/courses/L5")["ETag"]
    assert post(client, "/api/v1/courses/L5/enrollments", {"member_code": "M002"},
                HTTP_IF_MATCH=fresh).status_code == 201


def test_a_result_is_recorded_and_a_bad_one_refused(world, people, commune_course):
    enrollment = services.enroll(commune_course, member=people["lan"], actor=SYSTEM)
    url = f"/api/v1/courses/L5/enrollments/{enrollment.pk}/result"
    client = world.client("commune")
    bad = post(client, url, {"result": "failed", "certificate_no": "L5/01"})
    assert bad.status_code == 422 and bad.json()["field"] == "certificate_on"
    enrollment.refresh_from_db()
    assert enrollment.result == ""
    assert post(world.client("viewer"), url, {"result": "completed"}).status_code == 403
    assert post(world.client("other_commune"), url, {"result": "completed"}).status_code == 404
    done = post(client, url, {"result": "completed", "certificate_no": "L5/01",
                              "certificate_on": "2026-03-06"})
    assert done.status_code == 200 and done.json()["certificate_no"] == "L5/01"
    stale = post(client, url, {"result": "dropped"}, HTTP_IF_MATCH='"0000"')
    assert stale.status_code == 412
    enrollment.refresh_from_db()
    assert enrollment.result == "completed"


def test_a_result_of_another_courses_learner_looks_absent(world, people, commune_course):
    other = course(world, kind="other", code="L6", org="D1.X1", start_on=D(2026, 4, 1),
                   end_on=D(2026, 4, 3))
    enrollment = services.enroll(other, member=people["lan"], actor=SYSTEM)
    response = post(world.client("commune"),
                    f"/api/v1/courses/L5/enrollments/{enrollment.pk}/result",
                    {"result": "completed"})
    assert response.status_code == 404
