"""The admission process's contract fixtures: candidates.csv, its metric groups (chibo.admission
registers them in its app's ready()). Its pages and endpoints come next session."""

from chibo.accounts.policy import SYSTEM, Capability
from chibo.admission import services
from chibo.findings.services import Decision
from chibo.organizations.calendar import working_calendar
from tests.conftest import D
from tests.contract.registry import SEE_CELL, DomainFixtures, Query, Route, classes, register
from tests.test_admission import decide, listed, prepared, resolved

C = "D1.X1.C3"  # the cell of the candidates


def build(world, people) -> dict:
    """In An Phú's school cell (D1.X1.C3, sponsored from Đồng Mạ cell: the same commune;
    D1.X1.C1's meetings expect only its own members): Mai (K1) admitted on 20 February 2025
    with her ceremony in time; K2 decided on the 61st working day (the district allowed it)
    and still awaiting her ceremony; K3–K6 at each stage before the decision; K7 withdrawn,
    K8 rejected in 2025."""
    first = services.record_ceremony(decide(world, resolved(world, people, code="K1", cell=C),
                                            D(2025, 2, 20), code="M100"),
                                     D(2025, 3, 3), actor=SYSTEM)
    late_day = working_calendar().nth_working_day_after(D(2025, 1, 2), 61)
    late = decide(world, resolved(world, people, code="K2", cell=C), late_day, code="M101",
                  exception=Decision("15-QĐ/HU", late_day, "D1"))
    waiting = listed(world, code="K3", cell=C)
    trained = services.record_certificate(listed(world, code="K4", cell=C), D(2024, 3, 1),
                                          actor=SYSTEM)
    cell = services.record_cell_resolution(prepared(world, people, code="K5", cell=C),
                                           D(2025, 1, 2), 4, 5, actor=SYSTEM)
    committee = resolved(world, people, code="K6", cell=C)
    withdrawn = services.withdraw(listed(world, code="K7", cell=C), D(2025, 6, 1), actor=SYSTEM)
    rejected = services.reject(listed(world, code="K8", cell=C), D(2025, 6, 2), actor=SYSTEM)
    return {"candidates": [first, late, waiting, trained, cell, committee, withdrawn,
                           rejected]}


YEAR = (D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31))

register(DomainFixtures(
    key="admission", build=build, sections=("admission",),
    groups=("candidates", "admission"),
    queries=(
        Query("TQ", *YEAR), Query("D1.X1", *YEAR), Query("D1.X1.C1", *YEAR), Query("D2", *YEAR),
        Query("D1.X1", D(2025, 1, 1), D(2025, 3, 31), D(2025, 3, 31)),
        Query("D1.X1.C2", D(2024, 1, 1), D(2024, 12, 31), D(2024, 12, 31)),
    ),
))


# The forms and the report (chibo.admission.document_urls, document_api): their own pages key
# and router, claimed here; they download what the build above made (Mai, K1, decided).
def _mai(built) -> dict:
    return {"k1": built.records["admission"]["candidates"][0].pk}


FORMS = {"org": C, "capability": "admission.manage",
         **classes(("admin", "province", "inspector", "commune", "viewer"),
                   ("admin", "province", "commune"))}
REPORT = {"org": "D1.X1.C1", "capability": Capability.VIEW_STATS,
          **classes(SEE_CELL, tuple(u for u in SEE_CELL if u != "member"))}
PERIOD = "from=2025-01-01&to=2025-12-31"

register(DomainFixtures(
    key="admission-documents", build=lambda world, people: None,
    pages=("admission-documents",), api=("admission-documents",),
    routes=(
        Route("admission_documents:forms", f"/org/{C}/admission/candidates/{{k1}}/forms/",
              kwargs=_mai, shows="Mẫu 9-KNĐ", **FORMS),
        Route("admission_documents:form",
              f"/org/{C}/admission/candidates/{{k1}}/forms/9-knd.docx", kwargs=_mai, **FORMS),
        Route("api:admission_form", "/api/v1/admission-documents/candidates/{k1}/forms/9-knd",
              kwargs=_mai, **FORMS),
        Route("admission_documents:report", "/org/D1.X1.C1/admission/report/",
              shows="Báo cáo công tác phát triển đảng viên", **REPORT),
        Route("admission_documents:report_xlsx",
              f"/org/D1.X1.C1/admission/report.xlsx?{PERIOD}", **REPORT),
        Route("api:admission_report",
              f"/api/v1/admission-documents/report?org=D1.X1.C1&{PERIOD}", **REPORT),
    ),
))
