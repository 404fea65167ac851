"""Course pages: the subtree's courses (list pattern), opening a course, enrolling a learner by
code or by name within the committee's subtree, recording a result and certificate; users inside
and outside the scope; bad input shown on the form with nothing written; a stale page refused.
The member page's courses section and the handbook's cards (the member's courses, the
candidates a member sponsors)."""

import pytest

from chibo.accounts.policy import SYSTEM
from chibo.courses import services
from chibo.courses.models import Course, Enrollment
from tests.conftest import D
from tests.form_support import opened, post_form
from tests.test_admission import listed, prepared
from tests.test_courses import course


@pytest.fixture
def commune_course(world, people) -> Course:
    """An An Phú commune course of another kind, which members and candidates may take."""
    return course(world, kind="other", code="L5", org="D1.X1", start_on=D(2026, 3, 2),
                  end_on=D(2026, 3, 6))


def learners(course_: Course) -> list[str]:
    return sorted(Enrollment.objects.filter(course=course_).values_list(
        "member__member_code", flat=True))


# The list -----------------------------------------------------------------------------------

def test_the_list_shows_the_subtrees_courses_with_their_learners(world, people,
                                                                 commune_course):
    services.enroll(commune_course, member=people["lan"], actor=SYSTEM)
    course(world, code="L1")  # the district's: above the commune, not in its list
    page = world.client("commune").get("/org/D1.X1/courses/").content.decode()
    assert "/courses/L5/" in page and "/courses/L1/" not in page
    assert 'href="/org/D1.X1/courses/new/"' in page  # the clerk may open one
    district = world.client("province").get("/org/D1/courses/").content.decode()
    assert "/courses/L5/" in district and "/courses/L1/" in district
    viewer = world.client("viewer").get("/org/D1/courses/").content.decode()
    assert "/courses/L1/" in viewer and "/org/D1/courses/new/" not in viewer


def test_the_list_filters_by_kind_and_year(world, people, commune_course):
    course(world, code="L1", org="D1.X1", kind="new_member")
    client = world.client("commune")
    by_kind = client.get("/org/D1.X1/courses/?kind=other").content.decode()
    assert "/courses/L5/" in by_kind and "/courses/L1/" not in by_kind
    by_year = client.get("/org/D1.X1/courses/?year=2025").content.decode()
    assert "/courses/L1/" in by_year and "/courses/L5/" not in by_year
    wrong = client.get("/org/D1.X1/courses/?kind=cooking").content.decode()
    assert 'class="small text-danger"' in wrong  # the value refused on the form
    assert "/courses/L5/" not in wrong and "/courses/L1/" not in wrong  # and no wider list


def test_outside_the_scope_the_list_and_the_course_look_absent(world, commune_course):
    client = world.client("other_commune")
    assert client.get("/org/D1.X1/courses/").status_code == 404
    assert client.get("/courses/L5/").status_code == 404
    assert client.get("/courses/L5/learners/new/").status_code == 404


# Opening a course ---------------------------------------------------------------------------

def test_the_clerk_opens_a_course(world):
    response = world.client("commune").post("/org/D1.X1/courses/new/", {
        "code": "L7", "name": "Lớp nhận thức về Đảng 2026", "kind": "awareness",
        "start_on": "02/03/2026", "end_on": "06/03/2026", "place": "Nhà văn hóa xã"})
    assert response.status_code == 302 and response.url == "/courses/L7/"
    assert Course.objects.get(code="L7").org == world.orgs["D1.X1"]


@pytest.mark.parametrize(("change", "error"), [
    ({"end_on": "01/03/2026"}, "ngày bế giảng trước ngày khai giảng"),
    ({"code": "L 7"}, ""), ({"kind": "cooking"}, ""), ({"start_on": "31/02/2026"}, "")])
def test_a_bad_course_is_refused_and_nothing_is_written(world, change, error):
    response = world.client("commune").post("/org/D1.X1/courses/new/", {
        "code": "L7", "name": "Lớp 2026", "kind": "awareness", "start_on": "02/03/2026",
        "end_on": "06/03/2026", **change})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert error in response.content.decode()
    assert not Course.objects.exists()


def test_who_may_not_manage_courses_cannot_open_one(world):
    for user in ("viewer", "inspector", "secretary"):
        assert world.client(user).get("/org/D1.X1.C1/courses/new/").status_code == 403
    assert world.client("other_commune").get("/org/D1.X1/courses/new/").status_code == 404


# Enrolling ----------------------------------------------------------------------------------

def test_a_member_is_enrolled_by_code(world, people, commune_course):
    client = world.client("commune")
    response = post_form(client, "/courses/L5/learners/new/", {"learner": "M002"})
    assert response.status_code == 302
    assert learners(commune_course) == ["M002"]
    page = client.get("/courses/L5/").content.decode()
    assert "Ma Văn Thắng" in page and "1 học viên, 0 hoàn thành" in page


def test_a_name_search_offers_the_matches_then_enrolls_the_one_picked(world, people,
                                                                      commune_course):
    client = world.client("commune")
    page = post_form(client, "/courses/L5/learners/new/", {"learner": "thi"})
    html = page.content.decode()
    assert page.status_code == 200 and "Có nhiều người khớp" in html
    assert "Nông Thị Lan" in html and "Trần Thị Hoa" in html
    assert "Vàng Thị Yến" not in html  # Hàm Yên: outside the commune
    assert not Enrollment.objects.exists()
    response = post_form(client, "/courses/L5/learners/new/", {"learner": "tran thi hoa"})
    assert response.status_code == 302 and learners(commune_course) == ["M005"]


def test_a_candidate_is_enrolled_by_code(world, people, commune_course):
    candidate = listed(world, code="K1", listed_on=D(2026, 1, 5))
    response = post_form(world.client("commune"), "/courses/L5/learners/new/",
                         {"learner": "K1"})
    assert response.status_code == 302
    assert Enrollment.objects.get(course=commune_course).candidate == candidate


@pytest.mark.parametrize("learner", ["M008", "M999", "Nguyễn Không Có"])
def test_a_learner_outside_the_reach_or_unknown_is_not_found(world, people, commune_course,
                                                             learner):
    response = post_form(world.client("commune"), "/courses/L5/learners/new/",
                         {"learner": learner})
    assert response.status_code == 200 and "Không tìm thấy" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_the_services_refusal_is_shown_and_nothing_written(world, people, commune_course):
    services.enroll(commune_course, member=people["lan"], actor=SYSTEM)
    response = post_form(world.client("commune"), "/courses/L5/learners/new/",
                         {"learner": "M001"})
    assert response.status_code == 200 and "Học viên đã có trong lớp" in (
        response.content.decode())
    assert learners(commune_course) == ["M001"]


def test_enrolling_from_a_page_opened_before_the_course_changed_is_refused(world, people,
                                                                         commune_course):
    client = world.client("commune")
    hidden = opened(client, "/courses/L5/learners/new/")
    Course.objects.filter(pk=commune_course.pk).update(place="Hội trường xã")
    response = client.post("/courses/L5/learners/new/", {**hidden, "learner": "M002"})
    assert response.status_code == 200 and "chưa ghi gì của bạn" in response.content.decode()
    assert not Enrollment.objects.exists()


# Results ------------------------------------------------------------------------------------

def test_a_result_and_its_certificate_are_recorded(world, people, commune_course):
    enrollment = services.enroll(commune_course, member=people["lan"], actor=SYSTEM)
    url = f"/courses/L5/learners/{enrollment.pk}/result/"
    response = post_form(world.client("commune"), url, {
        "result": "completed", "certificate_no": "L5/01", "certificate_on": "06/03/2026"})
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert (enrollment.result, enrollment.certificate_no, enrollment.certificate_on) == (
        "completed", "L5/01", D(2026, 3, 6))


def test_a_certificate_without_completion_is_refused(world, people, commune_course):
    enrollment = services.enroll(commune_course, member=people["lan"], actor=SYSTEM)
    response = post_form(world.client("commune"), f"/courses/L5/learners/{enrollment.pk}/result/",
                         {"result": "failed", "certificate_no": "L5/01"})
    assert response.status_code == 200
    assert "chỉ cấp giấy chứng nhận khi hoàn thành" in response.content.decode()
    enrollment.refresh_from_db()
    assert (enrollment.result, enrollment.certificate_no) == ("", "")


def test_only_a_manager_records_results(world, people, commune_course):
    enrollment = services.enroll(commune_course, member=people["lan"], actor=SYSTEM)
    url = f"/courses/L5/learners/{enrollment.pk}/result/"
    assert world.client("viewer").post(url, {"result": "completed"}).status_code == 403
    assert world.client("other_commune").get(url).status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.result == ""


# The member page and the handbook -------------------------------------------------------------

def test_the_member_page_shows_the_members_courses_and_certificates(world, people,
                                                                    commune_course):
    enrollment = services.enroll(commune_course, member=people["lan"], actor=SYSTEM)
    services.record_result(enrollment, "completed", certificate_no="L5/01",
                           certificate_on=D(2026, 3, 6), actor=SYSTEM)
    page = world.client("commune").get("/members/M001/").content.decode()
    assert 'id="member-courses"' in page and "Lớp bồi dưỡng 2025" in page
    assert "L5/01" in page and "06/03/2026" in page
    other = world.client("commune").get("/members/M002/").content.decode()
    assert "Chưa học lớp nào." in other


def test_the_handbook_shows_the_members_own_courses(world, people, commune_course):
    client = world.client("member")  # Nông Thị Lan
    assert 'id="my-courses"' not in client.get("/handbook/").content.decode()
    enrollment = services.enroll(commune_course, member=people["lan"], actor=SYSTEM)
    services.record_result(enrollment, "completed", certificate_no="L5/01", actor=SYSTEM)
    services.enroll(commune_course, member=people["hoa"], actor=SYSTEM)
    page = client.get("/handbook/").content.decode()
    assert 'id="my-courses"' in page and "L5/01" in page and "Hoàn thành" in page
    assert page.count("Lớp bồi dưỡng 2025") == 1  # hers only, not Hoa's


def test_the_handbook_shows_a_sponsor_the_candidates_they_sponsor(world, people):
    client = world.client("member")  # Lan
    assert 'id="sponsored"' not in client.get("/handbook/").content.decode()
    prepared(world, people)  # Hà Thị Mai, sponsored by Lan and Thắng, trained
    page = client.get("/handbook/").content.decode()
    assert 'id="sponsored"' in page and "Hà Thị Mai" in page
    assert "Đã học lớp nhận thức về Đảng" in page
