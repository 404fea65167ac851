"""The admission process's contract fixtures: candidates.csv, its metric groups, its pages and
endpoints (chibo.admission registers them in its app's ready())."""

from chibo.accounts.policy import SYSTEM, Capability
from chibo.admission import services
from chibo.admission.capabilities import MANAGE_ADMISSION
from chibo.admission.models import Candidate
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


def row(code: str, *fields: str):
    """What a write on candidate `code` changes (its stored fields)."""
    return lambda built: tuple(Candidate.objects.filter(code=code).values_list(*fields))


# Who reads the files of An Phú's school cell (member.view) and who manages its admissions.
READERS = ("commune", "inspector", "province", "admin")
MANAGERS = ("commune", "province", "admin")
FILE = {"org": C, "capability": Capability.VIEW_MEMBERS, "sees": Capability.VIEW_MEMBERS,
        "allowed": READERS,
        "outside": ("secretary", "viewer", "member", "other_commune", "nobody")}
STEP = {"org": C, "capability": MANAGE_ADMISSION, "sees": Capability.VIEW_MEMBERS,
        **classes(READERS, MANAGERS), "method": "POST"}
# A cell named in the body that the caller cannot reach is a 422 on its field (docs/api.md).
UNREACHED = {user: "a cell outside the caller's reach, named in the body, is refused on its "
             "field (422, docs/api.md)" for user in ("secretary", "member", "other_commune",
                                                     "nobody")}
API = "/api/v1/admission"

ROUTES = (
    Route("admission:list", "/org/D1.X1/candidates/", org="D1.X1",
          capability=Capability.VIEW_MEMBERS, allowed=READERS, denied=("viewer",),
          outside=("secretary", "member", "other_commune", "nobody"), shows="/candidates/K3/"),
    Route("admission:no_admission", "/org/D1.X1.C1/candidates/no-admission/", org="D1.X1.C1",
          capability=Capability.VIEW_STATS,
          allowed=("secretary", "commune", "viewer", "inspector", "province", "admin"),
          denied=("member",), outside=("other_commune", "nobody")),
    Route("admission:new", f"/org/{C}/candidates/new/", org=C, capability=MANAGE_ADMISSION,
          allowed=MANAGERS, denied=("inspector", "viewer"),
          outside=("secretary", "member", "other_commune", "nobody")),
    Route("admission:readmit", f"/org/{C}/candidates/readmit/", org=C,
          capability=MANAGE_ADMISSION, allowed=MANAGERS, denied=("inspector", "viewer"),
          outside=("secretary", "member", "other_commune", "nobody")),
    Route("admission:detail", "/candidates/K3/", shows="K3", **FILE),
    Route("admission:print", "/candidates/K3/print/", shows="K3", **FILE),
    Route("admission:step", "/candidates/K3/certificate/",
          **{**STEP, "method": "GET"}),
    Route("api:list_candidates", f"{API}?org=D1.X1", org="D1.X1",
          capability=Capability.VIEW_MEMBERS, allowed=READERS, denied=("viewer",),
          outside=("secretary", "member", "other_commune", "nobody"), shows="K3"),
    Route("api:cells_without_admission", f"{API}/cells-without-admission?org=D1.X1.C1",
          org="D1.X1.C1", capability=Capability.VIEW_STATS,
          allowed=("secretary", "commune", "viewer", "inspector", "province", "admin"),
          denied=("member",), outside=("other_commune", "nobody")),
    Route("api:get_candidate", f"{API}/K3", shows="K3", **FILE),
    Route("api:create_candidate", API, org=C, capability=MANAGE_ADMISSION, method="POST",
          allowed=MANAGERS, denied=("inspector", "viewer"),
          outside=("secretary", "member", "other_commune", "nobody"), xfail=UNREACHED,
          body={"org_code": C, "code": "K20", "listed_on": "2025-09-01",
                "full_name": "Lò Văn Tú", "gender": "male", "birth_date": "2001-05-04"},
          success=201, state=lambda built: Candidate.objects.filter(code="K20").count()),
    Route("api:record_certificate", f"{API}/K3/certificate", **STEP,
          body={"day": "2024-03-01"}, state=row("K3", "awareness_course_on")),
    Route("api:set_sponsors", f"{API}/K3/sponsors", **STEP,
          body={"sponsor1": "M001", "sponsor2": "M002"},
          state=row("K3", "sponsor1", "sponsor2")),
    Route("api:record_background_check", f"{API}/K3/background", **STEP,
          body={"day": "2024-04-01"}, state=row("K3", "background_checked_on")),
    # K4 has a certificate only: its resolution breaks the sponsors' and background's rules,
    # allowed by the decision the body gives.
    Route("api:record_cell_resolution", f"{API}/K4/cell-resolution", **STEP,
          body={"day": "2025-01-02", "votes_for": 4, "votes_total": 5, "exception": {
              "decision_no": "15-QĐ/HU", "decided_on": "2025-01-01", "decided_by": "D1"}},
          state=row("K4", "cell_resolution_on")),
    Route("api:record_committee_resolution", f"{API}/K5/committee-resolution", **STEP,
          body={"day": "2025-01-09"}, state=row("K5", "committee_resolution_on")),
    Route("api:decide_admission", f"{API}/K6/decision", **STEP,
          body={"day": "2025-02-20", "decision_no": "21-QĐ/ĐU", "decided_by": "D1.X1",
                "member_code": "M200"}, state=row("K6", "decision_on", "member")),
    Route("api:record_ceremony", f"{API}/K2/ceremony", **STEP,
          body={"day": "2025-12-01", "extension_no": "20-CV/HU"},
          state=row("K2", "ceremony_on")),
    Route("api:withdraw_candidate", f"{API}/K3/withdraw", **STEP, body={"day": "2025-06-01"},
          state=row("K3", "outcome", "outcome_on")),
    Route("api:reject_candidate", f"{API}/K4/reject", **STEP, body={"day": "2025-06-01"},
          state=row("K4", "outcome", "outcome_on")),
)

register(DomainFixtures(
    key="admission", build=build, sections=("admission",),
    groups=("candidates", "admission"), pages=("admission",), api=("admission",),
    routes=ROUTES,
    queries=(
        Query("TQ", *YEAR), Query("D1.X1", *YEAR), Query("D1.X1.C1", *YEAR), Query("D2", *YEAR),
        Query("D1.X1", D(2025, 1, 1), D(2025, 3, 31), D(2025, 3, 31)),
        Query("D1.X1.C2", D(2024, 1, 1), D(2024, 12, 31), D(2024, 12, 31)),
    ),
))


# The forms and the report (chibo.admission.document_urls, document_api): their own pages key
# and router, claimed here; they download what the build above made (Mai, K1, decided).
def _mai(built) -> dict:
    return {"k1": built.records["admission"]["candidates"][0].code}


# the forms are the candidate's file: who does not read the cell's files finds no candidate
FORMS = {"org": C, "capability": MANAGE_ADMISSION, "sees": Capability.VIEW_MEMBERS,
         **classes(READERS, MANAGERS)}
REPORT = {"org": "D1.X1.C1", "capability": Capability.VIEW_STATS,
          **classes(SEE_CELL, tuple(u for u in SEE_CELL if u != "member"))}
PERIOD = "from=2025-01-01&to=2025-12-31"

register(DomainFixtures(
    key="admission-documents", build=lambda world, people: None,
    pages=("admission-documents",), api=("admission-documents",),
    routes=(
        Route("admission_documents:forms", "/candidates/{k1}/forms/",
              kwargs=_mai, shows="Mẫu 9-KNĐ", **FORMS),
        Route("admission_documents:form",
              "/candidates/{k1}/forms/9-knd.docx", kwargs=_mai, **FORMS),
        Route("api:admission_form", "/api/v1/admission-documents/candidates/{k1}/forms/9-knd",
              kwargs=_mai, **FORMS),
        Route("admission_documents:report", "/org/D1.X1.C1/candidates/report/",
              shows="Báo cáo công tác phát triển đảng viên", **REPORT),
        Route("admission_documents:report_xlsx",
              f"/org/D1.X1.C1/candidates/report.xlsx?{PERIOD}", **REPORT),
        Route("api:admission_report",
              f"/api/v1/admission-documents/report?org=D1.X1.C1&{PERIOD}", **REPORT),
    ),
))
