"""The inspection process's contract fixtures: inspections.csv, inspection_subjects.csv,
discipline.csv and the two metric groups (chibo.inspection registers them in its app's ready()).

The records are made through the bundle's importer (`import_records`), so they pass every check
a province's files do; the member events and the dissolution that the decisions carry are made
through the records core's services first (the import checks them, never creates them).

The pages' records (`build_pages`) are made through the services (chibo.inspection.services),
in An Phú commune (D1.X1) in 2026 and 2023, outside every query: An Phú's inspection commission
inspects Lan, Thắng and Đồng Mạ cell on signs of violation; Lan's conclusion asks for a
follow-up; the commune's standing committee reprimands Lan (appealed, pending) and warns Hoa; a
programme of the commune for 2026 with one item. ROUTES: every page, with who reads a case
(`inspection.view`: admin, inspector), who is refused (403: the other officers who see the
commune or the cell) and who is outside (404); the API's routes are added beside them.
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
from chibo.interchange.importer import import_records
from chibo.members import services as member_services
from chibo.organizations import services as org_services
from tests.conftest import D, admit, make_org
from tests.contract.registry import (
    SEE_CELL,
    SEE_COMMUNE,
    DomainFixtures,
    Query,
    Route,
    classes,
    register,
)

CELL = "D1.X2.C1"  # Khuổi Phầy: no other domain's people live there


def _inspection(code, kind, org, body, start_on, end_on=None, title=""):
    return {"code": code, "kind": kind, "org_code": org, "by_body": body, "start_on": start_on,
            "end_on": end_on, "title": title or f"Cuộc {code}", "decision_no": f"{code}-QĐ"}


def _subject(inspection, org=None, member=None, conclusion="", concluded_on=None):
    return {"inspection_code": inspection, "org_code": org, "member_code": member,
            "conclusion": conclusion, "concluded_on": concluded_on}


def _discipline(code, form, decided_on, decided_by, body, *, org=None, member=None,
                violation_on=None, effective_on=None, **appeal):
    return {"code": code, "org_code": org, "member_code": member, "form": form,
            "violation_on": violation_on or D(decided_on.year - 1, 1, 10),
            "decided_on": decided_on, "decision_no": f"{code}-QĐ/UBKT",
            "decided_by": decided_by, "by_body": body, "effective_on": effective_on, **appeal}


def build_records(world, people) -> dict:
    """In Đồng Quý commune (D1.X2) in 2024–2025: Tuấn (M050), a committee member of the commune,
    warned (appeal upheld) then dismissed; Hằng (M051) expelled on 10 May 2025; Hòa (M052), a
    probationary member, reprimanded by her cell; the cell reprimanded then warned; a cell
    dissolved on 1 July 2025. Eight inspections and supervisions of every kind and body in
    2025, one in 2026 (outside every query)."""
    o = world.orgs
    cell = o[CELL]
    tuan = admit("M050", "Phạm Văn Tuấn", cell, official_on=D(2011, 3, 1))
    hang = admit("M051", "Lý Thị Hằng", cell, gender="female", official_on=D(2011, 3, 1))
    hoa = admit("M052", "Ma Thị Hòa", cell, gender="female", admitted_on=D(2025, 1, 2),
                birth_date=D(1995, 4, 4))
    post = member_services.assign_post(tuan, actor=SYSTEM, role="committee_member",
                                       org=o["D1.X2"], start_on=D(2020, 1, 1))
    member_services.end_post(post, actor=SYSTEM, end_on=D(2025, 8, 4))
    member_services.record_event(hang, actor=SYSTEM, event="expel", effective_on=D(2025, 5, 10))
    closed = make_org("D1.X2.C9", "Chi bộ hợp tác xã Đồng Quý", "cell", o["D1.X2"],
                      established_on=D(2015, 1, 1))
    org_services.dissolve_organization(closed, actor=SYSTEM, effective_on=D(2025, 7, 1))
    inspections = [
        _inspection("KT1", "inspection_regular", "D1.X2", "standing_committee", D(2025, 2, 1),
                    D(2025, 3, 15)),
        _inspection("KT2", "inspection_on_signs", "D1.X2", "inspection_commission",
                    D(2025, 4, 1)),
        _inspection("KT3", "supervision_thematic", "D1", "committee", D(2025, 5, 1)),
        _inspection("KT4", "supervision_regular", CELL, "committee", D(2025, 6, 1)),
        _inspection("KT5", "inspection_other", "TQ", "inspection_commission", D(2025, 3, 1)),
        _inspection("KT6", "inspection_regular", "D1.X2", "committee", D(2025, 9, 1)),
        _inspection("KT7", "supervision_regular", "D1", "standing_committee", D(2025, 10, 1)),
        _inspection("KT8", "supervision_thematic", "D1.X2", "inspection_commission",
                    D(2025, 11, 1)),
        _inspection("KT9", "inspection_on_signs", "D1.X2", "inspection_commission",
                    D(2026, 1, 5)),
    ]
    subjects = [
        _subject("KT1", org=CELL, conclusion="violation_discipline_proposed",
                 concluded_on=D(2025, 2, 20)),
        _subject("KT1", member="M050", conclusion="violation", concluded_on=D(2025, 2, 25)),
        _subject("KT1", member="M051", conclusion="violation_discipline_proposed",
                 concluded_on=D(2025, 3, 1)),
        _subject("KT2", member="M051", conclusion="violation_discipline_proposed",
                 concluded_on=D(2025, 4, 20)),
        _subject("KT2", org=CELL),
        _subject("KT2", member="M050"),
        _subject("KT3", org="D1.X2", conclusion="no_violation", concluded_on=D(2025, 5, 20)),
        _subject("KT3", member="M050"),
        _subject("KT4", member="M052", conclusion="shortcomings", concluded_on=D(2025, 6, 10)),
        _subject("KT5", org="D1", conclusion="violation", concluded_on=D(2025, 3, 30)),
        _subject("KT6", member="M052"),
        _subject("KT7", org=CELL),
        _subject("KT7", member="M050", conclusion="no_violation", concluded_on=D(2025, 10, 9)),
        _subject("KT4", member="M050"),  # a committee member of the commune on 1 June
        _subject("KT8", member="M050"),
        _subject("KT9", member="M052"),
    ]
    discipline = [
        _discipline("KL1", "warning", D(2024, 6, 1), "D1.X2", "inspection_commission",
                    member="M050", appealed_on=D(2024, 6, 20), appeal_outcome="upheld",
                    appeal_decided_on=D(2024, 7, 15)),
        _discipline("KL2", "dismissal", D(2025, 8, 1), "D1", "standing_committee",
                    member="M050", effective_on=D(2025, 8, 5)),
        _discipline("KL3", "expulsion", D(2025, 5, 5), "D1.X2", "standing_committee",
                    member="M051", effective_on=D(2025, 5, 10), inspection_code="KT2"),
        _discipline("KL4", "reprimand", D(2025, 6, 1), CELL, "committee", member="M052",
                    violation_on=D(2025, 3, 1)),
        _discipline("KL5", "reprimand", D(2024, 4, 1), "D1.X2", "committee", org=CELL),
        _discipline("KL6", "warning", D(2025, 3, 1), "D1.X2", "standing_committee", org=CELL,
                    inspection_code="KT1"),
        _discipline("KL7", "dissolution", D(2025, 6, 1), "D1.X2", "standing_committee",
                    org="D1.X2.C9", effective_on=D(2025, 7, 1)),
        # decided in 2026: outside every query
        _discipline("KL8", "reprimand", D(2026, 1, 20), CELL, "committee", member="M052",
                    violation_on=D(2025, 12, 1)),
    ]
    result = import_records({"inspections.csv": inspections,
                             "inspection_subjects.csv": subjects,
                             "discipline.csv": discipline}, actor=SYSTEM)
    assert result.errors == [], result.errors
    return {"members": [tuan, hang, hoa], "inspections": list(Inspection.objects.all()),
            "discipline": list(Discipline.objects.all())}


INSPECTORS = ("admin", "inspector")


def build_pages(world, people) -> dict:
    commune = world.orgs["D1.X1"]
    programme = services.create_programme(actor=SYSTEM, org=commune, by_body="committee",
                                          title="Chương trình kiểm tra, giám sát năm 2026",
                                          year=2026)
    item = services.add_programme_item(programme, actor=SYSTEM, kind="inspection_regular",
                                       content="Kiểm tra chi bộ thực hiện nghị quyết",
                                       subject_org=world.orgs["D1.X1.C1"],
                                       planned_from=D(2026, 6, 1), planned_to=D(2026, 6, 30))
    inspection = services.open_inspection(services.NewInspection(
        code="KT40", kind="inspection_on_signs", org=commune, by_body="inspection_commission",
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
    # Closed, by the district in 2023 (outside every query): it carries an end day.
    closed = services.open_inspection(services.NewInspection(
        code="GS40", kind="supervision_thematic", org=world.orgs["D1"], by_body="committee",
        start_on=D(2023, 5, 4), end_on=D(2023, 6, 30), programme_item=None,
        title="Giám sát chuyên đề công tác phát triển đảng viên"), actor=SYSTEM)
    services.record_conclusion(services.add_subject(closed, actor=SYSTEM, org=commune),
                               actor=SYSTEM, conclusion="no_violation",
                               concluded_on=D(2023, 6, 30))
    reprimand = services.decide_discipline(services.NewDiscipline(
        code="KL40", member=people["lan"], form="reprimand", violation_on=D(2025, 10, 1),
        decided_on=D(2026, 4, 10), decided_by=commune, by_body="standing_committee",
        decision_no="12-QĐ/ĐU", inspection=inspection), actor=SYSTEM)
    services.record_appeal(reprimand, actor=SYSTEM, appealed_on=D(2026, 4, 20))
    services.decide_discipline(services.NewDiscipline(
        code="KL41", member=people["hoa"], form="warning", violation_on=D(2025, 11, 1),
        decided_on=D(2026, 4, 15), decided_by=commune, by_body="standing_committee"),
        actor=SYSTEM)
    return {"programme": programme.pk, "item": item.pk, "lan": lan.pk, "thang": thang.pk}


def ids(built) -> dict:
    return built.records["inspection"]


def inspections_of(org):
    return lambda built: Inspection.objects.filter(org__code=org).count()


def subjects_of(built):
    return Inspection.objects.get(code="KT40").subjects.count()


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
    Route("inspection:list", "/org/D1.X1/inspections/", shows="/inspections/KT40/", **CASE),
    Route("inspection:follow_ups", "/org/D1.X1/inspections/follow-ups/",
          shows="Kiểm điểm trước chi bộ", **CASE),
    Route("inspection:programmes", "/org/D1.X1/inspection-programmes/",
          shows="Chương trình kiểm tra, giám sát năm 2026", **CASE),
    Route("inspection:disciplines", "/org/D1.X1.C1/discipline/", shows="/discipline/KL40/",
          **DECISION),
    Route("inspection:detail", "/inspections/KT40/", shows="Ma Văn Thắng", **CASE),
    Route("inspection:programme", "/inspection-programmes/{programme}/", kwargs=ids,
          shows="Kiểm tra chi bộ thực hiện nghị quyết", **CASE),
    Route("inspection:programme", "/inspection-programmes/{programme}/", kwargs=ids,
          method="POST", success=302,
          body={"kind": "supervision_regular", "content": "Giám sát chi bộ",
                "planned_from": "01/07/2026", "planned_to": "31/07/2026"},
          state=lambda built: ProgrammeItem.objects.count(), **MANAGE),
    Route("inspection:discipline", "/discipline/KL40/", shows="12-QĐ/ĐU", **DECISION),
    Route("inspection:open", "/org/D1.X1/inspections/new/", **MANAGE),
    Route("inspection:open", "/org/D1.X1/inspections/new/", method="POST", success=302,
          body=NEW_INSPECTION, state=inspections_of("D1.X1"), **MANAGE),
    Route("inspection:new_programme", "/org/D1.X1/inspection-programmes/new/", **MANAGE),
    Route("inspection:new_programme", "/org/D1.X1/inspection-programmes/new/", method="POST",
          success=302, body={"title": "Chương trình toàn khóa", "by_body": "committee",
                             "term_from": "2025", "term_to": "2030"},
          state=lambda built: Programme.objects.count(), **MANAGE),
    Route("inspection:add_subject", "/inspections/KT40/subjects/new/", method="POST",
          success=302, body=versioned(Inspection, {"code": "KT40"}, "subject-",
                                      **{"subject-member_code": "M005"}),
          state=subjects_of, **MANAGE),
    Route("inspection:conclusion", "/inspections/KT40/subjects/{thang}/conclusion/",
          kwargs=ids, **MANAGE),
    Route("inspection:conclusion", "/inspections/KT40/subjects/{thang}/conclusion/",
          kwargs=ids, method="POST", success=302,
          body=versioned(InspectionSubject, {"pk": "thang"}, conclusion="no_violation",
                         concluded_on="15/04/2026"),
          state=subject_row("thang", "conclusion", "concluded_on"), **MANAGE),
    Route("inspection:follow_up_done", "/inspections/KT40/subjects/{lan}/follow-up/",
          kwargs=ids, **MANAGE),
    Route("inspection:follow_up_done", "/inspections/KT40/subjects/{lan}/follow-up/",
          kwargs=ids, method="POST", success=302,
          body=versioned(InspectionSubject, {"pk": "lan"}, done_on="28/04/2026"),
          state=subject_row("lan", "follow_up_done_on"), **MANAGE),
    Route("inspection:remove_subject", "/inspections/KT40/subjects/{thang}/remove/",
          kwargs=ids, method="POST", success=302, body={}, state=subjects_of, **MANAGE),
    Route("inspection:close", "/inspections/KT40/close/", **MANAGE),
    Route("inspection:close", "/inspections/KT40/close/", method="POST", success=302,
          body=versioned(Inspection, {"code": "KT40"}, "close-",
                         **{"close-end_on": "30/04/2026"}),
          state=lambda built: Inspection.objects.get(code="KT40").end_on, **MANAGE),
    Route("inspection:decide", "/org/D1.X1/discipline/new/", **MANAGE),
    Route("inspection:decide", "/org/D1.X1/discipline/new/", method="POST", success=302,
          body=NEW_DECISION, state=lambda built: Discipline.objects.count(), **MANAGE),
    Route("inspection:appeal", "/discipline/KL41/appeal/", method="POST", success=302,
          body=versioned(Discipline, {"code": "KL41"}, appealed_on="20/04/2026"),
          state=discipline_row("KL41", "appealed_on"), **DECIDE),
    Route("inspection:appeal_decision", "/discipline/KL40/appeal/decision/", method="POST",
          success=302, body=versioned(Discipline, {"code": "KL40"}, outcome="upheld",
                                      decided_on="05/06/2026"),
          state=discipline_row("KL40", "appeal_outcome"), **DECIDE),
)


def build(world, people) -> dict:
    return {**build_records(world, people), **build_pages(world, people)}


register(DomainFixtures(
    key="inspection", build=build, sections=("inspection",),
    groups=("inspection", "discipline"), pages=("inspection",), routes=ROUTES,
    queries=(
        Query("TQ", D(2024, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query("D1", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query("D1.X2", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query(CELL, D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query("D2", D(2024, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
    ),
))
