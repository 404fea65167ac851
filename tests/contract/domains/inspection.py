"""The inspection domain's contract fixtures: its bundle section (inspections.csv,
inspection_subjects.csv, discipline.csv) and its pages (chibo.inspection registers them in its
app's ready()).

The records: An Phú commune's inspection commission (D1.X1) inspects Lan, Thắng and Đồng Mạ cell
on signs of violation in March 2026; Lan's conclusion asks for a follow-up; the commune's
standing committee reprimands Lan (appealed, the appeal pending) and warns Hoa. A programme of
the commune for 2026 with one item. Every case is confidential: `inspection.view` reads it
(admin, inspector), the other officers who see the commune or the cell are refused (403).
"""

from chibo.accounts.policy import SYSTEM
from chibo.core.concurrency import VERSION_FIELD, version_of
from chibo.inspection import services
from chibo.inspection.capabilities import MANAGE_INSPECTION, VIEW_INSPECTION
from chibo.inspection.models import (
    Discipline,
    Inspection,
    InspectionSubject,
    Programme,
    ProgrammeItem,
)
from tests.conftest import D
from tests.contract.registry import (
    SEE_CELL,
    SEE_COMMUNE,
    DomainFixtures,
    Route,
    classes,
    register,
)

INSPECTORS = ("admin", "inspector")


def build(world, people) -> dict:
    commune = world.orgs["D1.X1"]
    programme = services.create_programme(actor=SYSTEM, org=commune, by_body="committee",
                                          title="Chương trình kiểm tra, giám sát năm 2026",
                                          year=2026)
    item = services.add_programme_item(programme, actor=SYSTEM, kind="inspection_regular",
                                       content="Kiểm tra chi bộ thực hiện nghị quyết",
                                       subject_org=world.orgs["D1.X1.C1"],
                                       planned_from=D(2026, 6, 1), planned_to=D(2026, 6, 30))
    inspection = services.open_inspection(services.NewInspection(
        code="KT1", kind="inspection_on_signs", org=commune, by_body="inspection_commission",
        start_on=D(2026, 3, 2), title="Kiểm tra khi có dấu hiệu vi phạm về đất đai"),
        actor=SYSTEM)
    lan = services.add_subject(inspection, actor=SYSTEM, member=people["lan"])
    thang = services.add_subject(inspection, actor=SYSTEM, member=people["thang"])
    services.add_subject(inspection, actor=SYSTEM, org=world.orgs["D1.X1.C1"])
    services.record_conclusion(lan, actor=SYSTEM, conclusion="violation_discipline_proposed",
                               concluded_on=D(2026, 4, 1), follow_up="Kiểm điểm trước chi bộ",
                               follow_up_due=D(2026, 5, 1),
                               document=services.ConclusionDocument("05-KL/UBKT",
                                                                    D(2026, 4, 2)))
    # Closed, by the district: what the walker closes is KT1; this one carries end_on.
    closed = services.open_inspection(services.NewInspection(
        code="GS1", kind="supervision_thematic", org=world.orgs["D1"], by_body="committee",
        start_on=D(2025, 5, 4), end_on=D(2025, 6, 30), programme_item=None,
        title="Giám sát chuyên đề công tác phát triển đảng viên"), actor=SYSTEM)
    services.record_conclusion(services.add_subject(closed, actor=SYSTEM, org=commune),
                               actor=SYSTEM, conclusion="no_violation",
                               concluded_on=D(2025, 6, 30))
    reprimand = services.decide_discipline(services.NewDiscipline(
        code="KL1", member=people["lan"], form="reprimand", violation_on=D(2025, 10, 1),
        decided_on=D(2026, 4, 10), decided_by=commune, by_body="standing_committee",
        decision_no="12-QĐ/ĐU", inspection=inspection), actor=SYSTEM)
    services.record_appeal(reprimand, actor=SYSTEM, appealed_on=D(2026, 4, 20))
    services.decide_discipline(services.NewDiscipline(
        code="KL2", member=people["hoa"], form="warning", violation_on=D(2025, 11, 1),
        decided_on=D(2026, 4, 15), decided_by=commune, by_body="standing_committee"),
        actor=SYSTEM)
    return {"programme": programme.pk, "item": item.pk, "lan": lan.pk, "thang": thang.pk}


def ids(built) -> dict:
    return built.records["inspection"]


def inspections_of(org):
    return lambda built: Inspection.objects.filter(org__code=org).count()


def subjects_of(built):
    return Inspection.objects.get(code="KT1").subjects.count()


def subject_row(name, *fields):
    return lambda built: tuple(InspectionSubject.objects.filter(pk=ids(built)[name])
                               .values_list(*fields))


def discipline_row(code, *fields):
    return lambda built: tuple(Discipline.objects.filter(code=code).values_list(*fields))


def versioned(model, lookup, prefix="", **fields):
    """A form's body against the record's current version (as the page was opened)."""
    def body(built):
        record = model.objects.get(**{key: ids(built).get(value, value)
                                      for key, value in lookup.items()})
        return {f"{prefix}{VERSION_FIELD}": version_of(record), **fields}
    return body


# A case of the commune (the inspection, the programme): who sees D1.X1.
CASE = {"org": "D1.X1", "capability": VIEW_INSPECTION, **classes(SEE_COMMUNE, INSPECTORS)}
MANAGE = {"org": "D1.X1", "capability": MANAGE_INSPECTION, **classes(SEE_COMMUNE, INSPECTORS)}
# A decision on Lan lies under her cell (D1.X1.C1): who sees the cell.
DECISION = {"org": "D1.X1.C1", "capability": VIEW_INSPECTION, **classes(SEE_CELL, INSPECTORS)}
DECIDE = {"org": "D1.X1.C1", "capability": MANAGE_INSPECTION,
          **classes(SEE_CELL, INSPECTORS)}
NEW_INSPECTION = {"kind": "supervision_regular", "by_body": "committee",
                  "start_on": "02/06/2026", "title": "Giám sát thường xuyên"}
NEW_DECISION = {"member_code": "M003", "form": "reprimand", "by_body": "standing_committee",
                "violation_on": "01/10/2025", "decided_on": "10/04/2026"}

ROUTES = (
    Route("inspection:list", "/org/D1.X1/inspections/", shows="/inspections/KT1/", **CASE),
    Route("inspection:follow_ups", "/org/D1.X1/inspections/follow-ups/",
          shows="Kiểm điểm trước chi bộ", **CASE),
    Route("inspection:programmes", "/org/D1.X1/inspection-programmes/",
          shows="Chương trình kiểm tra, giám sát năm 2026", **CASE),
    Route("inspection:disciplines", "/org/D1.X1.C1/discipline/", shows="/discipline/KL1/",
          **DECISION),
    Route("inspection:detail", "/inspections/KT1/", shows="Ma Văn Thắng", **CASE),
    Route("inspection:programme", "/inspection-programmes/{programme}/", kwargs=ids,
          shows="Kiểm tra chi bộ thực hiện nghị quyết", **CASE),
    Route("inspection:programme", "/inspection-programmes/{programme}/", kwargs=ids,
          method="POST", success=302,
          body={"kind": "supervision_regular", "content": "Giám sát chi bộ",
                "planned_from": "01/07/2026", "planned_to": "31/07/2026"},
          state=lambda built: ProgrammeItem.objects.count(), **MANAGE),
    Route("inspection:discipline", "/discipline/KL1/", shows="12-QĐ/ĐU", **DECISION),
    Route("inspection:open", "/org/D1.X1/inspections/new/", **MANAGE),
    Route("inspection:open", "/org/D1.X1/inspections/new/", method="POST", success=302,
          body=NEW_INSPECTION, state=inspections_of("D1.X1"), **MANAGE),
    Route("inspection:new_programme", "/org/D1.X1/inspection-programmes/new/", **MANAGE),
    Route("inspection:new_programme", "/org/D1.X1/inspection-programmes/new/", method="POST",
          success=302, body={"title": "Chương trình toàn khóa", "by_body": "committee",
                             "term_from": "2025", "term_to": "2030"},
          state=lambda built: Programme.objects.count(), **MANAGE),
    Route("inspection:add_subject", "/inspections/KT1/subjects/new/", method="POST",
          success=302, body=versioned(Inspection, {"code": "KT1"}, "subject-",
                                      **{"subject-member_code": "M005"}),
          state=subjects_of, **MANAGE),
    Route("inspection:conclusion", "/inspections/KT1/subjects/{thang}/conclusion/",
          kwargs=ids, **MANAGE),
    Route("inspection:conclusion", "/inspections/KT1/subjects/{thang}/conclusion/",
          kwargs=ids, method="POST", success=302,
          body=versioned(InspectionSubject, {"pk": "thang"}, conclusion="no_violation",
                         concluded_on="15/04/2026"),
          state=subject_row("thang", "conclusion", "concluded_on"), **MANAGE),
    Route("inspection:follow_up_done", "/inspections/KT1/subjects/{lan}/follow-up/",
          kwargs=ids, **MANAGE),
    Route("inspection:follow_up_done", "/inspections/KT1/subjects/{lan}/follow-up/",
          kwargs=ids, method="POST", success=302,
          body=versioned(InspectionSubject, {"pk": "lan"}, done_on="28/04/2026"),
          state=subject_row("lan", "follow_up_done_on"), **MANAGE),
    Route("inspection:remove_subject", "/inspections/KT1/subjects/{thang}/remove/",
          kwargs=ids, method="POST", success=302, body={}, state=subjects_of, **MANAGE),
    Route("inspection:close", "/inspections/KT1/close/", **MANAGE),
    Route("inspection:close", "/inspections/KT1/close/", method="POST", success=302,
          body=versioned(Inspection, {"code": "KT1"}, "close-",
                         **{"close-end_on": "30/04/2026"}),
          state=lambda built: Inspection.objects.get(code="KT1").end_on, **MANAGE),
    Route("inspection:decide", "/org/D1.X1/discipline/new/", **MANAGE),
    Route("inspection:decide", "/org/D1.X1/discipline/new/", method="POST", success=302,
          body=NEW_DECISION, state=lambda built: Discipline.objects.count(), **MANAGE),
    Route("inspection:appeal", "/discipline/KL2/appeal/", method="POST", success=302,
          body=versioned(Discipline, {"code": "KL2"}, appealed_on="20/04/2026"),
          state=discipline_row("KL2", "appealed_on"), **DECIDE),
    Route("inspection:appeal_decision", "/discipline/KL1/appeal/decision/", method="POST",
          success=302, body=versioned(Discipline, {"code": "KL1"}, outcome="upheld",
                                      decided_on="05/06/2026"),
          state=discipline_row("KL1", "appeal_outcome"), **DECIDE),
)


register(DomainFixtures(
    key="inspection", build=build, sections=("inspection",), pages=("inspection",),
    routes=ROUTES,
))
