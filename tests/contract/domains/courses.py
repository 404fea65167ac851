"""The courses' contract fixtures: courses.csv, enrollments.csv, the metric group (chibo.courses
registers them in its app's ready())."""

from chibo.accounts.policy import SYSTEM, Capability
from chibo.core.concurrency import VERSION_FIELD, version_of
from chibo.courses import services
from chibo.courses.capabilities import MANAGE_COURSES
from chibo.courses.models import Course, Enrollment
from tests.conftest import D
from tests.contract.registry import (
    EVERYONE,
    SEE_COMMUNE,
    DomainFixtures,
    Query,
    Route,
    classes,
    register,
)
from tests.test_admission import listed


def build(world, people) -> dict:
    """The district opens a new-member course in April 2025 (Lan completes it, Thắng drops out)
    and An Phú commune an awareness course in February 2024 (the candidate KC1 completes it);
    in September 2025 the district runs one course of each other kind, which Hoa completes."""
    new_member = services.open_course(code="L1", name="Lớp bồi dưỡng đảng viên mới 2025",
                                      kind="new_member", org=world.orgs["D1"],
                                      start_on=D(2025, 4, 1), end_on=D(2025, 4, 5), actor=SYSTEM)
    done = services.enroll(new_member, member=people["lan"], actor=SYSTEM)
    services.record_result(done, "completed", certificate_on=D(2025, 4, 5),
                           certificate_no="L1/01", actor=SYSTEM)
    services.record_result(services.enroll(new_member, member=people["thang"], actor=SYSTEM),
                           "dropped", actor=SYSTEM)
    awareness = services.open_course(code="L2", name="Lớp nhận thức về Đảng 2024",
                                     kind="awareness", org=world.orgs["D1.X1"],
                                     start_on=D(2024, 2, 20), end_on=D(2024, 3, 1),
                                     actor=SYSTEM)
    learner = services.enroll(awareness, candidate=listed(world, code="KC1",
                                                          listed_on=D(2024, 1, 5)), actor=SYSTEM)
    services.record_result(learner, "completed", certificate_on=D(2024, 3, 1), actor=SYSTEM)
    # What the route walker enrolls (KC2) and gives a result to (Thắng in the commune's
    # other course, outside every query's period).
    listed(world, code="KC2", listed_on=D(2024, 1, 6))
    later = services.open_course(code="L8", name="Lớp bồi dưỡng khác 2027", kind="other",
                                 org=world.orgs["D1.X1"], start_on=D(2027, 3, 1),
                                 end_on=D(2027, 3, 5), actor=SYSTEM)
    pending = services.enroll(later, member=people["thang"], actor=SYSTEM)
    others = []
    for n, kind in enumerate(("secretary", "political_theory_elementary",
                              "political_theory_intermediate", "political_theory_advanced",
                              "other"), start=3):
        course = services.open_course(code=f"L{n}", name=f"Lớp {kind} 2025", kind=kind,
                                      org=world.orgs["D1"], start_on=D(2025, 9, 1),
                                      end_on=D(2025, 9, 30), actor=SYSTEM)
        services.record_result(services.enroll(course, member=people["hoa"], actor=SYSTEM),
                               "completed", actor=SYSTEM)
        others.append(course)
    return {"courses": [new_member, awareness, *others], "pending": pending.pk}


def ids(built) -> dict:
    return {"pending": built.records["courses"]["pending"]}


def learners_of(code):
    return lambda built: Enrollment.objects.filter(course__code=code).count()


def courses_of(org):
    return lambda built: Course.objects.filter(org__code=org).count()


def pending_result(built):
    return tuple(Enrollment.objects.filter(pk=ids(built)["pending"]).values_list(
        "result", "certificate_no"))


def enroll_form(built) -> dict:
    return {"learner": "KC2", VERSION_FIELD: version_of(Course.objects.get(code="L2"))}


def result_form(built) -> dict:
    return {"result": "completed", "certificate_no": "L8/01", "certificate_on": "05/03/2027",
            VERSION_FIELD: version_of(Enrollment.objects.get(pk=ids(built)["pending"]))}


# The commune's courses (D1.X1): seen by whoever sees the commune, managed by its clerk and
# the province's organizers.
SEEING = {"org": "D1.X1", "capability": Capability.VIEW_ORGS,
          **classes(SEE_COMMUNE, SEE_COMMUNE)}
MANAGE = {"org": "D1.X1", "capability": MANAGE_COURSES,
          **classes(SEE_COMMUNE, ("admin", "province", "commune"))}
OUTSIDE = tuple(user for user in EVERYONE if user not in SEE_COMMUNE)
NEW_COURSE = {"code": "L9", "name": "Lớp nhận thức về Đảng 2027", "kind": "awareness",
              "start_on": "2027-04-01", "end_on": "2027-04-03"}
ROUTES = (
    Route("courses:list", "/org/D1.X1/courses/", shows="/courses/L2/", **SEEING),
    Route("courses:detail", "/courses/L2/", shows="Hà Thị Mai", **SEEING),
    Route("courses:open", "/org/D1.X1/courses/new/", **MANAGE),
    Route("courses:open", "/org/D1.X1/courses/new/", method="POST", success=302,
          body={**NEW_COURSE, "start_on": "01/04/2027", "end_on": "03/04/2027"},
          state=courses_of("D1.X1"), **MANAGE),
    Route("courses:enroll", "/courses/L2/learners/new/", **MANAGE),
    Route("courses:enroll", "/courses/L2/learners/new/", method="POST", success=302,
          body=enroll_form, state=learners_of("L2"), **MANAGE),
    Route("courses:result", "/courses/L8/learners/{pending}/result/", kwargs=ids, **MANAGE),
    Route("courses:result", "/courses/L8/learners/{pending}/result/", kwargs=ids,
          method="POST", success=302, body=result_form, state=pending_result, **MANAGE),
    Route("api:list_courses", "/api/v1/courses?org=D1.X1", shows="L2", **SEEING),
    Route("api:get_course", "/api/v1/courses/L2", shows="KC1", **SEEING),
    Route("api:open_course", "/api/v1/courses", method="POST", success=201,
          body={**NEW_COURSE, "org_code": "D1.X1"}, state=courses_of("D1.X1"),
          xfail={user: "an organization outside the caller's reach, named in the body, is "
                       "refused on its field (422, docs/api.md)" for user in OUTSIDE}, **MANAGE),
    Route("api:enroll_in_course", "/api/v1/courses/L2/enrollments", method="POST",
          success=201, body={"candidate_code": "KC2"}, state=learners_of("L2"), **MANAGE),
    Route("api:record_course_result", "/api/v1/courses/L8/enrollments/{pending}/result",
          kwargs=ids, method="POST", body={"result": "completed", "certificate_no": "L8/01"},
          state=pending_result, **MANAGE),
)


register(DomainFixtures(
    key="courses", build=build, sections=("courses",), groups=("courses",),
    pages=("courses",), api=("courses",), routes=ROUTES,
    queries=(
        Query("TQ", D(2024, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query("D1", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query("D1.X1", D(2024, 1, 1), D(2024, 12, 31), D(2024, 12, 31)),
        Query("D2", D(2024, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
    ),
))
