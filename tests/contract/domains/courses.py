"""The courses' contract fixtures: courses.csv, enrollments.csv, the metric group (chibo.courses
registers them in its app's ready())."""

from chibo.accounts.policy import SYSTEM
from chibo.courses import services
from tests.conftest import D
from tests.contract.registry import DomainFixtures, Query, register
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
    return {"courses": [new_member, awareness, *others]}


register(DomainFixtures(
    key="courses", build=build, sections=("courses",), groups=("courses",),
    queries=(
        Query("TQ", D(2024, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query("D1", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query("D1.X1", D(2024, 1, 1), D(2024, 12, 31), D(2024, 12, 31)),
        Query("D2", D(2024, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
    ),
))
