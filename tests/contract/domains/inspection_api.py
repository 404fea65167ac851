"""The inspection process's API (chibo.inspection.api): the scope of every endpoint, on the
records the inspection domain's fixtures build in Đồng Quý commune (D1.X2, tests/contract/
domains/inspection.py: KT2 inspected on signs of violation, KL3 an expulsion, KL4 a reprimand
of the cell D1.X2.C1's Hòa), and, made here through the services in 2026 (outside every query
of the statistics): one decision under appeal, a conclusion on KT9 asking for a follow-up, the
commune's programme for 2026.

The cases are confidential: in scope (`org.view`) without `inspection.view` is 403 (province's
organizer, D1's viewer), out of scope 404, anonymous 401.
"""

from chibo.accounts.policy import SYSTEM
from chibo.inspection import services
from chibo.inspection.capabilities import MANAGE_INSPECTION, VIEW_INSPECTION
from chibo.inspection.models import (
    Discipline,
    Inspection,
    InspectionSubject,
    Programme,
    ProgrammeItem,
)
from chibo.members.models import Member
from chibo.organizations.models import Organization
from tests.conftest import D
from tests.contract.registry import DomainFixtures, Route, register

COMMUNE, CELL = "D1.X2", "D1.X2.C1"
API = "/api/v1/inspection"
ALLOWED = ("inspector", "admin")
DENIED = ("province", "viewer")
OUTSIDE = ("commune", "other_commune", "secretary", "member", "nobody")
CASE = {"capability": VIEW_INSPECTION, "allowed": ALLOWED, "denied": DENIED,
        "outside": OUTSIDE}
WRITE = {**CASE, "capability": MANAGE_INSPECTION, "method": "POST"}
# An organization or a member named in the body that the caller cannot see is refused on its
# field (422, docs/api.md), as an unknown code: the answer tells nothing of the tree.
UNREACHED = {user: "a subject outside the caller's sight, named in the body, is refused on its "
             "field (422, docs/api.md)" for user in OUTSIDE}


def build(world, people) -> dict:
    """Tuấn (M050, of the inspection domain's build) reprimanded on 2 February 2026 by the
    commune's inspection commission; he appealed on 10 February. Hòa (M052), KT9's subject,
    concluded with shortcomings to put right by 1 March 2026. The commission's programme for
    2026 with one item."""
    commune = Organization.objects.get(code=COMMUNE)
    reprimand = services.decide_discipline(services.NewDiscipline(
        code="KL30", member=Member.objects.get(member_code="M050"), form="reprimand",
        violation_on=D(2025, 12, 1), decided_on=D(2026, 2, 2), decided_by=commune,
        by_body="inspection_commission"), actor=SYSTEM)
    services.record_conclusion(
        InspectionSubject.objects.get(inspection__code="KT9", member__member_code="M052"),
        actor=SYSTEM, conclusion="shortcomings", concluded_on=D(2026, 1, 20),
        follow_up="Kiểm điểm, khắc phục trước chi bộ", follow_up_due=D(2026, 3, 1))
    programme = services.create_programme(actor=SYSTEM, org=commune,
                                          by_body="inspection_commission",
                                          title="Chương trình kiểm tra năm 2026 của UBKT",
                                          year=2026)
    services.add_programme_item(programme, actor=SYSTEM, kind="inspection_regular",
                                content="Kiểm tra chi bộ Khuổi Phầy",
                                subject_org=Organization.objects.get(code=CELL))
    return {"appealed": services.record_appeal(reprimand, actor=SYSTEM,
                                               appealed_on=D(2026, 2, 10)),
            "programme": programme.pk}


def _pending(built) -> dict:
    """KT2's subject without a conclusion: the cell D1.X2.C1."""
    return {"sid": InspectionSubject.objects.get(inspection__code="KT2", org__code=CELL).pk}


def _programme(built) -> dict:
    return {"programme": built.records["inspection-api"]["programme"]}


def _follow_up(built) -> dict:
    """KT9's subject Hòa, whose conclusion asked for a follow-up."""
    return {"sid": InspectionSubject.objects.get(inspection__code="KT9",
                                                 member__member_code="M052").pk}


def subjects_of(code: str):
    return lambda built: tuple(InspectionSubject.objects.filter(inspection__code=code)
                               .order_by("pk").values_list("org", "member", "conclusion"))


def discipline(code: str, *fields: str):
    return lambda built: tuple(Discipline.objects.filter(code=code).values_list(*fields))


ROUTES = (
    Route("api:list_programmes", f"{API}/programmes?org={COMMUNE}", org=COMMUNE,
          shows="Chương trình kiểm tra năm 2026 của UBKT", **CASE),
    Route("api:get_programme", f"{API}/programmes/{{programme}}", org=COMMUNE,
          kwargs=_programme, shows="Kiểm tra chi bộ Khuổi Phầy", **CASE),
    Route("api:create_programme", f"{API}/programmes", org=COMMUNE, **WRITE,
          body={"org_code": COMMUNE, "by_body": "committee", "year": 2025,
                "title": "Chương trình kiểm tra, giám sát năm 2025"},
          success=201, xfail=UNREACHED, state=lambda built: Programme.objects.count()),
    Route("api:add_programme_item", f"{API}/programmes/{{programme}}/items", org=COMMUNE,
          kwargs=_programme, **WRITE, success=201,
          body={"kind": "supervision_regular", "content": "Giám sát đảng viên là cấp ủy viên"},
          state=lambda built: ProgrammeItem.objects.count()),
    Route("api:close_inspection", f"{API}/inspections/KT2/close", org=COMMUNE, **WRITE,
          body={"end_on": "2025-06-30"},
          state=lambda built: Inspection.objects.get(code="KT2").end_on),
    Route("api:record_inspection_follow_up_done",
          f"{API}/inspections/KT9/subjects/{{sid}}/follow-up", org=COMMUNE, **WRITE,
          kwargs=_follow_up, body={"done_on": "2026-02-15"},
          state=lambda built: InspectionSubject.objects.filter(
              inspection__code="KT9").values_list("follow_up_done_on", flat=True).get()),
    Route("api:list_follow_ups", f"{API}/follow-ups?org={COMMUNE}", org=COMMUNE,
          shows="Kiểm điểm, khắc phục trước chi bộ", **CASE),
    Route("api:list_inspections", f"{API}/inspections?org={COMMUNE}", org=COMMUNE,
          shows="KT2", **CASE),
    Route("api:get_inspection", f"{API}/inspections/KT2", org=COMMUNE, shows="KT2", **CASE),
    Route("api:list_disciplines", f"{API}/discipline?org={COMMUNE}", org=COMMUNE,
          shows="KL3", **CASE),
    Route("api:get_discipline", f"{API}/discipline/KL3", org=CELL, shows="KL3", **CASE),
    Route("api:create_inspection", f"{API}/inspections", org=COMMUNE, **WRITE,
          body={"code": "KT20", "org_code": COMMUNE, "kind": "inspection_regular",
                "by_body": "committee", "start_on": "2025-12-01"},
          success=201, xfail=UNREACHED,
          state=lambda built: Inspection.objects.filter(code="KT20").count()),
    Route("api:add_inspection_subject", f"{API}/inspections/KT2/subjects", org=COMMUNE,
          **WRITE, body={"member_code": "M052"}, success=201, state=subjects_of("KT2")),
    Route("api:remove_inspection_subject", f"{API}/inspections/KT2/subjects/{{sid}}/remove",
          org=COMMUNE, **WRITE, kwargs=_pending, body={}, state=subjects_of("KT2")),
    Route("api:record_inspection_conclusion",
          f"{API}/inspections/KT2/subjects/{{sid}}/conclusion", org=COMMUNE, **WRITE,
          kwargs=_pending, body={"conclusion": "no_violation", "concluded_on": "2025-04-20"},
          state=subjects_of("KT2")),
    Route("api:create_discipline", f"{API}/discipline", org=CELL, **WRITE,
          body={"code": "KL20", "member_code": "M050", "form": "reprimand",
                "violation_on": "2025-09-01", "decided_on": "2025-10-01",
                "decided_by": COMMUNE, "by_body": "inspection_commission"},
          success=201, xfail=UNREACHED,
          state=lambda built: Discipline.objects.filter(code="KL20").count()),
    Route("api:record_discipline_appeal", f"{API}/discipline/KL4/appeal", org=CELL, **WRITE,
          body={"appealed_on": "2025-06-10"}, state=discipline("KL4", "appealed_on")),
    Route("api:decide_discipline_appeal", f"{API}/discipline/KL30/appeal-decision", org=CELL,
          **WRITE, body={"outcome": "upheld", "decided_on": "2026-03-02"},
          state=discipline("KL30", "appeal_outcome", "appeal_decided_on")),
)

register(DomainFixtures(key="inspection-api", build=build, api=("inspection",),
                        routes=ROUTES))
