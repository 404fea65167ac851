"""API of the courses: list and one course in the caller's scope, opening a course, enrolling a
learner, recording a result. Same scoping as the pages: outside the scope is a 404, a
forbidden action a 403, input the rules refuse a 422 naming the field."""

from datetime import date

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from chibo.accounts.policy import require
from chibo.core.concurrency import IF_MATCH, IfMatch, if_match, send_version
from chibo.core.exceptions import RuleViolation
from chibo.core.fields import subtree_range
from chibo.core.validation import (
    api_code,
    api_date,
    api_limit,
    api_offset,
    api_text,
    column_length,
    record_id,
)
from chibo.courses import queries, services
from chibo.courses.capabilities import MANAGE_COURSES
from chibo.courses.choices import CourseKind, Result
from chibo.courses.models import Course, Enrollment
from chibo.lists.paging import offset_page
from chibo.organizations.models import Organization

router = Router(tags=["courses"])

CourseCode = api_code(column_length(Course, "code"))
Code = api_code(64)


class EnrollmentOut(Schema):
    id: int
    member_code: str | None
    candidate_code: str | None
    full_name: str
    result: str
    certificate_on: date | None
    certificate_no: str


class CourseOut(Schema):
    code: str
    name: str
    kind: str
    org: str
    start_on: date
    end_on: date
    place: str
    decision_no: str
    note: str
    learners: int
    completed: int


class CourseDetailOut(CourseOut):
    enrollments: list[EnrollmentOut]


class CoursePage(Schema):
    count: int
    items: list[CourseOut]
    next: int | None


class CourseFilters(Schema):
    org: Code | None = None
    kind: CourseKind | None = None
    year: int | None = Field(None, ge=1900, le=2100)
    offset: api_offset() = 0
    limit: api_limit(500) = 50


class CourseIn(Schema):
    org_code: Code
    code: api_code(column_length(Course, "code"))
    name: api_text(Course, "name", required=True)
    kind: CourseKind
    start_on: api_date()
    end_on: api_date()
    place: api_text(Course, "place") = ""
    decision_no: api_text(Course, "decision_no") = ""
    note: api_text(Course, "note") = ""


class EnrollIn(Schema):
    """Exactly one of the two: a member's code or a candidate's."""

    member_code: Code | None = None
    candidate_code: Code | None = None


class ResultIn(Schema):
    result: Result
    certificate_on: api_date() | None = None
    certificate_no: api_text(Enrollment, "certificate_no") = ""


def _enrollment_out(enrollment: Enrollment) -> dict:
    learner = enrollment.member or enrollment.candidate
    return {"id": enrollment.pk,
            "member_code": enrollment.member.member_code if enrollment.member else None,
            "candidate_code": enrollment.candidate.code if enrollment.candidate else None,
            "full_name": learner.full_name, "result": enrollment.result,
            "certificate_on": enrollment.certificate_on,
            "certificate_no": enrollment.certificate_no}


def _out(course: Course) -> dict:
    return {**{name: getattr(course, name) for name in CourseOut.model_fields if name != "org"},
            "org": course.org.code}


def _detail(user, code: str, response: HttpResponse) -> dict:
    """The course with its learners, counted; its version on the answer (`ETag`)."""
    course = get_object_or_404(queries.with_learners(queries.visible_courses(user)), code=code)
    send_version(response, course)
    return {**_out(course), "enrollments": [_enrollment_out(e)
                                            for e in queries.enrollments_of(course)]}


@router.get("", response=CoursePage)
def list_courses(request, filters: Query[CourseFilters]):
    """Courses in the caller's scope (organized in `org`'s subtree), latest first."""
    courses = queries.with_learners(queries.visible_courses(request.user))
    if filters.org:
        org = get_object_or_404(Organization.objects.visible_to(request.user), code=filters.org)
        low, high = subtree_range(org.path)
        courses = courses.filter(org__path__gte=low, org__path__lt=high)
    if filters.kind is not None:
        courses = courses.filter(kind=filters.kind)
    if filters.year is not None:
        courses = courses.filter(start_on__year=filters.year)
    return offset_page(courses.order_by("-start_on", "-id"), filters.offset, filters.limit,
                       _out)


@router.get("/{code}", response=CourseDetailOut)
def get_course(request, code: CourseCode, response: HttpResponse):
    """A course with its learners; its `ETag` is the version to send in `If-Match` when
    enrolling."""
    return _detail(request.user, code, response)


@router.post("", response={201: CourseDetailOut})
def open_course(request, payload: CourseIn, response: HttpResponse):
    org = Organization.objects.visible_to(request.user).filter(code=payload.org_code).first()
    if org is None:
        raise RuleViolation(_("Không có tổ chức mã %(code)s trong phạm vi của bạn.")
                            % {"code": payload.org_code}, field="org_code")
    course = services.open_course(org=org, actor=request.user,
                                  **payload.dict(exclude={"org_code"}))
    return Status(201, _detail(request.user, course.code, response))


def _learner(user, course: Course, payload: EnrollIn) -> dict:
    """The member or candidate the payload names, among those within the course's reach that
    the caller may see: an unknown code and one outside get the same answer."""
    if bool(payload.member_code) == bool(payload.candidate_code):
        raise RuleViolation(_("Cần đúng một trong member_code, candidate_code."),
                            field="member_code")
    if payload.member_code:
        field, code = "member_code", payload.member_code
        found = queries.members_in_reach(user, course).filter(member_code=code).first()
    else:
        field, code = "candidate_code", payload.candidate_code
        found = queries.candidates_in_reach(user, course).filter(code=code).first()
    if found is None:
        raise RuleViolation(_("Không có học viên mã %(code)s trong phạm vi của lớp.")
                            % {"code": code}, field=field)
    return {field.removesuffix("_code"): found}


@router.post("/{code}/enrollments", response={201: EnrollmentOut, **IF_MATCH})
def enroll_in_course(request, code: CourseCode, payload: EnrollIn, response: HttpResponse,
                     if_match_header: IfMatch = None):
    """A learner joins the course. With `If-Match` (the course's `ETag`), refused (412, nothing
    written) when the course has changed since it was read."""
    course = queries.visible_course(request.user, code)
    require(request.user, MANAGE_COURSES, course.org)
    enrollment = services.enroll(course, actor=request.user,
                                 version=if_match(if_match_header, required=False),
                                 **_learner(request.user, course, payload))
    send_version(response, enrollment)
    return Status(201, _enrollment_out(enrollment))


@router.post("/{code}/enrollments/{enrollment_id}/result", response={200: EnrollmentOut,
                                                                     **IF_MATCH})
def record_course_result(request, code: CourseCode, enrollment_id: record_id(),
                         payload: ResultIn, response: HttpResponse,
                         if_match_header: IfMatch = None):
    """The learner's result (and certificate when completed). With `If-Match` (the
    enrollment's `ETag`, sent by the enrollment), refused (412) when it has changed since."""
    course = queries.visible_course(request.user, code)
    enrollment = get_object_or_404(course.enrollments, pk=enrollment_id)
    require(request.user, MANAGE_COURSES, course.org)
    enrollment = services.record_result(
        enrollment, payload.result, actor=request.user,
        version=if_match(if_match_header, required=False),
        certificate_on=payload.certificate_on, certificate_no=payload.certificate_no)
    send_version(response, enrollment)
    return _enrollment_out(enrollment)
