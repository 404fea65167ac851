"""Courses and their learners (chibo.courses.services) and the finding
`members.new_member_course`: a member recognized without the new-member course completed during
probation."""

import pytest

from chibo.accounts.policy import SYSTEM
from chibo.audit.models import AuditRecord
from chibo.courses import findings, services
from chibo.courses.models import Course, Enrollment
from chibo.findings.queries import record_findings
from chibo.findings.services import Decision
from chibo.members import services as members
from tests.conftest import D
from tests.test_admission import decide, listed, refused, resolved


def course(world, kind="new_member", code="L1", start_on=D(2025, 4, 1),
           end_on=D(2025, 4, 5), org="D1") -> Course:
    return services.open_course(code=code, name="Lớp bồi dưỡng 2025", kind=kind,
                                org=world.orgs[org], start_on=start_on, end_on=end_on,
                                actor=SYSTEM)


def test_a_course_is_opened_and_its_learners_get_results(world, people):
    lesson = course(world)
    enrollment = services.enroll(lesson, member=people["lan"], actor=SYSTEM)
    services.record_result(enrollment, "completed", certificate_on=D(2025, 4, 5),
                           certificate_no="L1/01", actor=SYSTEM)
    enrollment.refresh_from_db()
    assert (enrollment.result, enrollment.certificate_no) == ("completed", "L1/01")
    assert list(AuditRecord.objects.filter(action__startswith="course.").order_by("pk")
                .values_list("action", flat=True)) == ["course.open", "course.enroll",
                                                       "course.result"]


def test_a_course_ends_on_or_after_it_starts(world):
    refused(lambda: course(world, end_on=D(2025, 3, 31)), "end_on")
    assert course(world, end_on=D(2025, 4, 1)).end_on == D(2025, 4, 1)


def test_a_course_is_opened_by_an_organization_existing_then(world):
    refused(lambda: course(world, start_on=D(1989, 12, 31)), "org_code")
    assert not Course.objects.exists()


@pytest.mark.parametrize(("kind", "learner", "field"), [
    ("awareness", "member", "member_code"), ("new_member", "candidate", "candidate_code"),
    ("secretary", "candidate", "candidate_code"), ("awareness", "candidate", None),
    ("other", "candidate", None), ("other", "member", None), ("secretary", "member", None)])
def test_who_learns_in_which_course(world, people, kind, learner, field):
    lesson = course(world, kind=kind)
    who = {"member": people["lan"]} if learner == "member" else {
        "candidate": listed(world, listed_on=D(2025, 1, 2))}
    if field:
        refused(lambda: services.enroll(lesson, actor=SYSTEM, **who), field)
        assert not Enrollment.objects.exists()
    else:
        assert services.enroll(lesson, actor=SYSTEM, **who).course == lesson


def test_a_learner_is_enrolled_once(world, people):
    lesson = course(world)
    services.enroll(lesson, member=people["lan"], actor=SYSTEM)
    refused(lambda: services.enroll(lesson, member=people["lan"], actor=SYSTEM), "member_code",
            "duplicate")


def test_a_member_who_left_before_the_course_is_not_enrolled(world, people):
    members.record_event(people["hoa"], actor=SYSTEM, event="leave", effective_on=D(2025, 3, 1))
    refused(lambda: services.enroll(course(world), member=people["hoa"], actor=SYSTEM),
            "member_code")


def test_a_withdrawn_candidate_is_not_enrolled(world):
    from chibo.admission import services as admission

    candidate = admission.withdraw(listed(world), D(2025, 3, 1), actor=SYSTEM)
    refused(lambda: services.enroll(course(world, kind="awareness"), candidate=candidate,
                                    actor=SYSTEM), "candidate_code")


@pytest.mark.parametrize(("result", "certificate_on", "field"), [
    ("failed", D(2025, 4, 5), "certificate_on"), ("completed", D(2025, 3, 31), "certificate_on"),
    ("passed", None, "result")])
def test_a_certificate_goes_with_a_completed_course(world, people, result, certificate_on,
                                                    field):
    enrollment = services.enroll(course(world), member=people["lan"], actor=SYSTEM)
    refused(lambda: services.record_result(enrollment, result, certificate_on=certificate_on,
                                           actor=SYSTEM), field)
    enrollment.refresh_from_db()
    assert enrollment.result == ""


# members.new_member_course ----------------------------------------------------------------

# The recognition is recorded with the decision that allowed it (the service refuses it
# otherwise, tests/test_course_recognition.py); the finding is judged on the file as it is.
ALLOWED = Decision(decision_no="05-QĐ/HU", decided_on=D(2026, 2, 18), decided_by="D1")


def recognized_member(world, people, recognized_on=D(2026, 2, 20)):
    candidate = decide(world, resolved(world, people), D(2025, 2, 20))
    members.record_event(candidate.member, actor=SYSTEM, event="official",
                         effective_on=recognized_on, exception=ALLOWED)
    return candidate.member


@pytest.mark.parametrize(("end_on", "result", "finding"), [
    (D(2025, 4, 5), "completed", False),  # during probation
    (D(2026, 2, 20), "completed", False),  # ended on the recognition's day
    (D(2026, 2, 21), "completed", True),  # ended after the recognition
    (D(2025, 4, 5), "dropped", True),
    (None, None, True),  # never enrolled
])
def test_recognition_without_the_new_member_course_is_a_finding(world, people, end_on, result,
                                                                finding):
    member = recognized_member(world, people)
    if end_on:
        lesson = course(world, start_on=D(2025, 4, 1), end_on=end_on)
        enrollment = services.enroll(lesson, member=member, actor=SYSTEM)
        services.record_result(enrollment, result, actor=SYSTEM)
    found = record_findings(world.orgs["TQ"], D(2026, 12, 31), [findings.KEY])
    assert [(f.finding.record, f.finding.day) for f in found] == (
        [("M100", D(2026, 2, 20))] if finding else [])


def test_a_member_not_yet_recognized_has_no_new_member_course_finding(world, people):
    decide(world, resolved(world, people), D(2025, 2, 20))
    assert record_findings(world.orgs["TQ"], D(2026, 12, 31), [findings.KEY]) == []


def test_only_a_completed_new_member_course_counts(world, people):
    member = recognized_member(world, people)
    other = services.enroll(course(world, kind="secretary"), member=member, actor=SYSTEM)
    services.record_result(other, "completed", actor=SYSTEM)
    assert [f.finding.record for f in record_findings(world.orgs["TQ"], D(2026, 12, 31),
                                                      [findings.KEY])] == ["M100"]


def test_record_result_is_refused_to_who_may_not_manage_courses(world, people):
    from django.core.exceptions import PermissionDenied

    enrollment = services.enroll(course(world), member=people["lan"], actor=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.record_result(enrollment, "completed", actor=world.users["secretary"])
    enrollment.refresh_from_db()
    assert enrollment.result == ""
