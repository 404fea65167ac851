"""Course pages: opening a course, a course with its learners, enrolling a learner (found by
code or name within the committee's subtree), recording a result and certificate. The list of
a subtree's courses is declared in chibo.courses.lists."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo.accounts.policy import can, require
from chibo.admission.models import Candidate
from chibo.core.forms import submit
from chibo.courses import queries, services
from chibo.courses.capabilities import MANAGE_COURSES
from chibo.courses.choices import Result
from chibo.courses.forms import CourseForm, EnrollForm, ResultForm
from chibo.organizations.views import visible_org


@require_http_methods(["GET", "POST"])
def open_course(request, code: str):
    org = visible_org(request, code)
    require(request.user, MANAGE_COURSES, org)
    form = CourseForm(request.POST or None)
    if (course := submit(request, form,
                         lambda data: services.open_course(org=org, actor=request.user, **data),
                         _("Đã mở lớp."))) is not None:
        return redirect("courses:detail", code=course.code)
    return render(request, "courses/form.html", {"form": form, "org": org,
                                                 "title": _("Mở lớp bồi dưỡng")})


def detail(request, code: str):
    course = queries.visible_course(request.user, code)
    enrollments = list(queries.enrollments_of(course))
    return render(request, "courses/detail.html", {
        "course": course, "org": course.org, "enrollments": enrollments,
        "learners": len(enrollments),
        "completed": sum(1 for e in enrollments if e.result == Result.COMPLETED),
        "can_manage": can(request.user, MANAGE_COURSES, course.org)})


def _learner(found) -> dict:
    """The service's keyword for the one learner found: a member or a candidate."""
    return ({"candidate": found} if isinstance(found, Candidate) else {"member": found})


@require_http_methods(["GET", "POST"])
def enroll(request, code: str):
    course = queries.visible_course(request.user, code)
    require(request.user, MANAGE_COURSES, course.org)
    form = EnrollForm(request.POST or None, record=course)
    found = None
    if request.method == "POST" and form.is_valid():
        found = queries.find_learners(request.user, course, form.cleaned_data["learner"])
        if found.one is None:  # the error keeps submit() from writing
            form.add_error("learner", _("Có nhiều người khớp; chọn một người dưới đây.")
                           if found.members or found.candidates else
                           _("Không tìm thấy đảng viên hoặc quần chúng nào như vậy trong phạm "
                             "vi của lớp."))
    if submit(request, form,
              lambda data: services.enroll(course, actor=request.user, version=form.version(),
                                           **_learner(found.one)),
              lambda enrollment: _("Đã ghi %(name)s vào lớp.") % {
                  "name": (enrollment.member or enrollment.candidate).full_name}) is not None:
        return redirect("courses:detail", code=course.code)
    return render(request, "courses/enroll.html", {"form": form, "course": course,
                                                   "org": course.org, "found": found})


@require_http_methods(["GET", "POST"])
def record_result(request, code: str, pk: int):
    course = queries.visible_course(request.user, code)
    enrollment = get_object_or_404(course.enrollments.select_related("member", "candidate"),
                                   pk=pk)
    require(request.user, MANAGE_COURSES, course.org)
    initial = {"result": enrollment.result, "certificate_no": enrollment.certificate_no,
               "certificate_on": enrollment.certificate_on}
    form = ResultForm(request.POST or None, initial=initial, record=enrollment)
    if submit(request, form,
              lambda data: services.record_result(
                  enrollment, data["result"], actor=request.user, version=form.version(),
                  certificate_on=data["certificate_on"],
                  certificate_no=data["certificate_no"] or ""),
              _("Đã ghi kết quả.")) is not None:
        return redirect("courses:detail", code=course.code)
    learner = enrollment.member or enrollment.candidate
    return render(request, "courses/form.html", {
        "form": form, "org": course.org, "course": course,
        "title": _("Kết quả học tập: %(name)s") % {"name": learner.full_name}})
