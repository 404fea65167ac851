"""The inspection process's contract fixtures: inspections.csv, inspection_subjects.csv,
discipline.csv and the two metric groups (chibo.inspection registers them in its app's ready()).

The records are made through the bundle's importer (`import_records`), so they pass every check
a province's files do; the member events and the dissolution that the decisions carry are made
through the records core's services first (the import checks them, never creates them).

ROUTES: the pages and endpoints of the process (chibo.inspection.views, .api) are added here
with their `Route`s, and `pages=`/`api=` below, when they are registered.
"""

from chibo.accounts.policy import SYSTEM
from chibo.inspection.models import Discipline, Inspection
from chibo.interchange.importer import import_records
from chibo.members import services as member_services
from chibo.organizations import services as org_services
from tests.conftest import D, admit, make_org
from tests.contract.registry import DomainFixtures, Query, register

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


def build(world, people) -> dict:
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


register(DomainFixtures(
    key="inspection", build=build, sections=("inspection",),
    groups=("inspection", "discipline"),
    queries=(
        Query("TQ", D(2024, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query("D1", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query("D1.X2", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query(CELL, D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        Query("D2", D(2024, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
    ),
))
