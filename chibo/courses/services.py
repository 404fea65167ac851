"""Courses and their learners: every change through here, checked and audited (spec
BUNDLE-v2.md, courses.csv and enrollments.csv). The consistency checks (`course_problem`,
`learner_problem`, `result_problem`) are the bundle import's too."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.policy import require
from chibo.admission.choices import CLOSED_WITHOUT_DECISION
from chibo.admission.models import Candidate
from chibo.audit.services import record_change
from chibo.core.concurrency import Expected, check_version
from chibo.core.exceptions import RuleViolation
from chibo.courses.capabilities import MANAGE_COURSES
from chibo.courses.choices import FOR_CANDIDATES, NOT_FOR_MEMBERS, CourseKind, Result
from chibo.courses.models import Course, Enrollment
from chibo.members.models import Member, MemberPeriod
from chibo.organizations.models import Organization, OrgPeriod, as_of_q


def course_problem(start_on: date, end_on: date, org_exists: bool) -> tuple[str, str] | None:
    if end_on < start_on:
        return "end_on", _("ngày bế giảng trước ngày khai giảng")
    if not org_exists:
        return "org_code", _("cấp ủy mở lớp không tồn tại vào ngày khai giảng %(day)s") % {
            "day": start_on.isoformat()}
    return None


def learner_problem(kind: str, is_member: bool, active_or_open: bool,
                    start_on: date) -> tuple[str, str] | None:
    """A candidate learns in awareness and other courses only, a member in all but awareness;
    on the first day the member is active, the candidate neither withdrawn nor rejected."""
    if is_member and kind in NOT_FOR_MEMBERS:
        return "member_code", _("đảng viên không học lớp %(kind)s") % {
            "kind": CourseKind(kind).label}
    if not is_member and kind not in FOR_CANDIDATES:
        return "candidate_code", _("quần chúng chỉ học lớp nhận thức về Đảng hoặc lớp khác")
    if not active_or_open:
        if is_member:
            return "member_code", _("đảng viên không sinh hoạt đảng vào ngày khai giảng "
                                    "%(day)s") % {"day": start_on.isoformat()}
        return "candidate_code", _("quần chúng đã rút tên hoặc không được kết nạp trước ngày "
                                   "khai giảng %(day)s") % {"day": start_on.isoformat()}
    return None


def result_problem(result: str, certificate_on: date | None, certificate_no: str,
                   start_on: date) -> tuple[str, str] | None:
    if (certificate_on or certificate_no) and result != Result.COMPLETED:
        return "certificate_on", _("chỉ cấp giấy chứng nhận khi hoàn thành")
    if certificate_on is not None and certificate_on < start_on:
        return "certificate_on", _("ngày cấp giấy chứng nhận trước ngày khai giảng")
    return None


def member_active_on(member_id: int, day: date) -> bool:
    return MemberPeriod.objects.filter(as_of_q(day), member_id=member_id).exists()


def candidate_open_on(outcome: str, outcome_on: date | None, day: date) -> bool:
    """Whether a candidate may start a course on `day`: not withdrawn or rejected by then."""
    return not (outcome in CLOSED_WITHOUT_DECISION and outcome_on <= day)


def _refuse(problem: tuple[str, str] | None) -> None:
    if problem is not None:
        raise RuleViolation(problem[1], field=problem[0])


def snapshot(course: Course) -> dict:
    return {"code": course.code, "name": course.name, "kind": course.kind,
            "org": course.org.code, "start_on": course.start_on, "end_on": course.end_on,
            "place": course.place, "decision_no": course.decision_no}


@transaction.atomic
def open_course(*, code: str, name: str, kind: str, org: Organization, start_on: date,
                end_on: date, place: str = "", decision_no: str = "", note: str = "",
                actor) -> Course:
    require(actor, MANAGE_COURSES, org)
    code = (code or "").strip()
    if not code or any(ch.isspace() for ch in code):
        raise RuleViolation(_("Mã lớp không được để trống hoặc chứa dấu cách."), field="code")
    if Course.objects.filter(code=code).exists():
        raise RuleViolation(_("Mã lớp %(code)s đã có.") % {"code": code}, code="duplicate",
                            field="code")
    if kind not in CourseKind.values:
        raise RuleViolation(_("Loại lớp không hợp lệ."), field="kind")
    if not (name or "").strip():
        raise RuleViolation(_("Tên lớp không được để trống."), field="name")
    exists = OrgPeriod.objects.filter(as_of_q(start_on), organization=org).exists()
    _refuse(course_problem(start_on, end_on, exists))
    course = Course.objects.create(code=code, name=name, kind=kind, org=org, start_on=start_on,
                                   end_on=end_on, place=place, decision_no=decision_no,
                                   note=note)
    record_change("course.open", actor=actor, obj=course, after=snapshot(course), org=org)
    return course


@transaction.atomic
def enroll(course: Course, *, actor, member: Member | None = None,
           candidate: Candidate | None = None, version: Expected = None) -> Enrollment:
    """A learner (a member or a candidate, exactly one) joins the course; refused when the
    course changed since the `version` the caller saw."""
    course = Course.objects.select_for_update(of=("self",)).select_related("org").get(
        pk=course.pk)
    require(actor, MANAGE_COURSES, course.org)
    check_version(course, version)
    if (member is None) == (candidate is None):
        raise RuleViolation(_("Học viên là một đảng viên hoặc một quần chúng."),
                            field="member_code")
    learner = {"member": member} if member is not None else {"candidate": candidate}
    if course.enrollments.filter(**learner).exists():
        raise RuleViolation(_("Học viên đã có trong lớp."), code="duplicate",
                            field="member_code" if member else "candidate_code")
    open_on = (member_active_on(member.pk, course.start_on) if member is not None
               else candidate_open_on(candidate.outcome, candidate.outcome_on, course.start_on))
    _refuse(learner_problem(course.kind, member is not None, open_on, course.start_on))
    enrollment = Enrollment.objects.create(course=course, **learner)
    record_change("course.enroll", actor=actor, obj=course, org=course.org, after={
        "learner": member.member_code if member else candidate.code})
    return enrollment


@transaction.atomic
def record_result(enrollment: Enrollment, result: str, *, actor, certificate_on: date | None = None,
                  certificate_no: str = "", version: Expected = None) -> Enrollment:
    """The learner's result (and certificate, when completed); refused when the enrollment
    changed since the `version` the caller saw."""
    enrollment = Enrollment.objects.select_for_update(of=("self",)).select_related(
        "course__org", "member", "candidate").get(pk=enrollment.pk)
    require(actor, MANAGE_COURSES, enrollment.course.org)
    check_version(enrollment, version)
    if result not in Result.values:
        raise RuleViolation(_("Kết quả không hợp lệ."), field="result")
    _refuse(result_problem(result, certificate_on, certificate_no, enrollment.course.start_on))
    before = {"result": enrollment.result, "certificate_on": enrollment.certificate_on,
              "certificate_no": enrollment.certificate_no}
    enrollment.result, enrollment.certificate_on = result, certificate_on
    enrollment.certificate_no = certificate_no
    enrollment.save()
    record_change("course.result", actor=actor, obj=enrollment.course, org=enrollment.course.org,
                  before=before, after={"result": result, "certificate_on": certificate_on,
                                        "certificate_no": certificate_no})
    return enrollment


ACTIONS = {
    "course.open": gettext_lazy("Mở lớp bồi dưỡng"),
    "course.enroll": gettext_lazy("Ghi học viên vào lớp"),
    "course.result": gettext_lazy("Ghi kết quả học tập"),
}
