"""inspections.csv, inspection_subjects.csv and discipline.csv in the bundle (spec
BUNDLE-v2.md): a good bundle imports; each broken check is an error naming file:row:column and
nothing is written; the findings are not errors; export is sorted and export → import → export
is identical (the example province-99-v2)."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction

from chibo.accounts.policy import SYSTEM
from chibo.inspection.models import Discipline, Inspection, InspectionSubject
from chibo.interchange.exporter import export_bundle
from chibo.interchange.importer import import_bundle
from tests.example_v2 import example_folder
from tests.test_admission_bundle import table
from tests.test_bundle import BASE, import_refused, prefixes, write_bundle
from tests.test_inspection_example import OWN

MARKER = "format_version,exported_at\n2,2026-07-01T08:00:00+07:00\n"
ORGS = BASE["organizations.csv"] + "P.D.X.C3,Chi bộ hợp tác xã,cell,,P.D.X,1995-01-01,\n"
MEMBERS = BASE["members.csv"] + (
    "M3,Hà Thị Mai,female,1998-04-02,2024-01-01,,P.D.X.C1\n"
    "M4,Lò Văn Sáng,male,1970-07-07,2010-01-01,2011-01-01,P.D.X.C2\n")
EVENTS = BASE["member_events.csv"] + "M4,expel,2024-05-10,\n"
CHANGES = BASE["org_changes.csv"] + "2024-06-01,P.D.X.C3,dissolve,,,\n"

I1 = {"code": "I1", "kind": "inspection_regular", "org_code": "P.D.X",
      "by_body": "standing_committee", "start_on": "2024-03-01", "end_on": "2024-04-01",
      "title": "Kiểm tra 2024", "decision_no": "1-QĐ/ĐU", "note": "theo chương trình"}
I2 = {"code": "I2", "kind": "supervision_thematic", "org_code": "P.D.X.C1",
      "by_body": "committee", "start_on": "2024-02-01", "end_on": "", "title": "",
      "decision_no": "", "note": ""}
S_ORG = {"inspection_code": "I1", "org_code": "P.D.X.C1", "member_code": "",
         "conclusion": "violation", "concluded_on": "2024-03-20"}
S_M1 = {"inspection_code": "I1", "org_code": "", "member_code": "M1",
        "conclusion": "violation_discipline_proposed", "concluded_on": "2024-03-25"}
S_M3 = {"inspection_code": "I2", "org_code": "", "member_code": "M3", "conclusion": "",
        "concluded_on": ""}
NO_APPEAL = {"appealed_on": "", "appeal_outcome": "", "appeal_decided_on": "", "appeal_form": ""}
D1 = {"code": "D1", "org_code": "", "member_code": "M4", "form": "expulsion",
      "violation_on": "2024-01-10", "decided_on": "2024-05-01", "decision_no": "5-QĐ/ĐU",
      "decided_by": "P.D.X", "by_body": "standing_committee", "effective_on": "2024-05-10",
      "inspection_code": "I1", **NO_APPEAL}
D2 = {"code": "D2", "org_code": "P.D.X.C3", "member_code": "", "form": "dissolution",
      "violation_on": "2024-01-01", "decided_on": "2024-05-20", "decision_no": "",
      "decided_by": "P.D.X", "by_body": "standing_committee", "effective_on": "2024-06-01",
      "inspection_code": "", **NO_APPEAL}
D3 = {"code": "D3", "org_code": "", "member_code": "M1", "form": "warning",
      "violation_on": "2024-02-01", "decided_on": "2024-04-10", "decision_no": "",
      "decided_by": "P.D.X.C1", "by_body": "committee", "effective_on": "",
      "inspection_code": "I1", "appealed_on": "2024-04-15", "appeal_outcome": "upheld",
      "appeal_decided_on": "2024-05-01", "appeal_form": ""}
D4 = {"code": "D4", "org_code": "", "member_code": "M2", "form": "reprimand",
      "violation_on": "2024-02-01", "decided_on": "2024-04-10", "decision_no": "",
      "decided_by": "P.D.X.C2", "by_body": "committee", "effective_on": "",
      "inspection_code": "", **NO_APPEAL}
INSPECTIONS, SUBJECTS, DISCIPLINE = (I1, I2), (S_ORG, S_M1, S_M3), (D1, D2, D3, D4)


def files(inspections=INSPECTIONS, subjects=SUBJECTS, discipline=DISCIPLINE) -> dict:
    return {"bundle.csv": MARKER, "organizations.csv": ORGS, "members.csv": MEMBERS,
            "member_events.csv": EVENTS, "org_changes.csv": CHANGES,
            "inspections.csv": table(list(inspections)) if inspections else None,
            "inspection_subjects.csv": table(list(subjects)) if subjects else None,
            "discipline.csv": table(list(discipline)) if discipline else None}


def test_a_good_bundle_imports(db, tmp_path):
    result = import_bundle(write_bundle(tmp_path / "b", files()), actor=SYSTEM)
    assert result.errors == []
    assert (result.counts["inspections.csv"], result.counts["inspection_subjects.csv"],
            result.counts["discipline.csv"]) == (2, 3, 4)
    i1 = Inspection.objects.get(code="I1")
    assert (i1.org.code, i1.by_body, i1.end_on, i1.note) == (
        "P.D.X", "standing_committee", date(2024, 4, 1), "theo chương trình")
    assert Inspection.objects.get(code="I2").end_on is None
    pending = InspectionSubject.objects.get(member__member_code="M3")
    assert (pending.conclusion, pending.concluded_on) == ("", None)
    d1 = Discipline.objects.get(code="D1")
    assert (d1.inspection, d1.standing_form, d1.effective_day) == (i1, "expulsion",
                                                                   date(2024, 5, 10))
    d3 = Discipline.objects.get(code="D3")
    assert (d3.appeal_outcome, d3.standing_form, d3.effective_day) == (
        "upheld", "warning", date(2024, 4, 10))
    assert Discipline.objects.standing("warning").get() == d3


def test_findings_are_not_errors(db, tmp_path):
    """A probationary member dismissed by a cell, long after the violation, holding no post:
    four findings, no error."""
    late = {**D4, "code": "D5", "member_code": "M3", "form": "dismissal",
            "violation_on": "2010-01-01", "decided_by": "P.D.X.C1"}
    bundle = files(discipline=(D1, D2, D3, late))
    assert import_bundle(write_bundle(tmp_path / "b", bundle), actor=SYSTEM).errors == []


def test_an_appeal_changing_the_form_to_expulsion_needs_the_event_on_its_day(db, tmp_path):
    changed = {**D1, "form": "warning", "effective_on": "", "appealed_on": "2024-05-02",
               "appeal_outcome": "changed", "appeal_decided_on": "2024-05-10",
               "appeal_form": "expulsion"}
    bundle = files(discipline=(changed, D2, D3, D4))
    assert import_bundle(write_bundle(tmp_path / "b", bundle), actor=SYSTEM).errors == []
    assert Discipline.objects.standing("expulsion").get().code == "D1"


def test_an_annulled_expulsion_leaves_no_expel_event(db, tmp_path):
    annulled = {**D1, "appealed_on": "2024-05-12", "appeal_outcome": "annulled",
                "appeal_decided_on": "2024-05-30"}
    bundle = {**files(discipline=(annulled, D2, D3, D4)),
              "member_events.csv": BASE["member_events.csv"]}
    assert import_bundle(write_bundle(tmp_path / "b", bundle), actor=SYSTEM).errors == []
    assert Discipline.objects.get(code="D1").standing_form == ""


BAD = [
    ("inspections.csv:2:org_code", {"inspections": ({**I1, "start_on": "1989-12-31"}, I2),
                                    "subjects": ()}),
    ("inspections.csv:2:end_on", {"inspections": ({**I1, "end_on": "2024-02-28"}, I2),
                                  "subjects": ()}),
    ("inspections.csv:3:by_body", {"inspections": (I1, {**I2, "by_body": "standing_committee"})}),
    ("inspections.csv:3:code", {"inspections": (I1, {**I2, "code": "I1"})}),
    ("inspection_subjects.csv:2:inspection_code",
     {"subjects": ({**S_ORG, "inspection_code": "I9"},)}),
    ("inspection_subjects.csv:2:org_code", {"subjects": ({**S_ORG, "member_code": "M1"},)}),
    ("inspection_subjects.csv:2:org_code", {"subjects": ({**S_ORG, "org_code": ""},)}),
    # an organization subject lies strictly under the conducting organization
    ("inspection_subjects.csv:2:org_code", {"subjects": ({**S_ORG, "org_code": "P.D.X"},)}),
    ("inspection_subjects.csv:2:member_code",
     {"subjects": ({**S_M3, "member_code": "M2"},)}),  # M2 is not under the cell C1
    ("inspection_subjects.csv:2:member_code",  # M3 admitted after the start
     {"inspections": (I1, {**I2, "start_on": "2023-12-31"}), "subjects": (S_M3,)}),
    ("inspection_subjects.csv:3:member_code", {"subjects": (S_M1, S_M1)}),
    ("inspection_subjects.csv:2:concluded_on", {"subjects": ({**S_M1, "concluded_on": ""},)}),
    ("inspection_subjects.csv:2:concluded_on",
     {"subjects": ({**S_M1, "concluded_on": "2024-02-29"},)}),
    ("discipline.csv:2:org_code", {"discipline": ({**D4, "org_code": "P.D.X.C2"},)}),
    ("discipline.csv:2:form", {"discipline": ({**D2, "form": "expulsion"},)}),
    ("discipline.csv:2:form", {"discipline": ({**D4, "form": "dissolution"},)}),
    ("discipline.csv:2:decided_on", {"discipline": ({**D4, "decided_on": "2024-01-31"},)}),
    ("discipline.csv:2:effective_on", {"discipline": ({**D4, "effective_on": "2024-04-09"},)}),
    ("discipline.csv:2:member_code",  # expelled on 10/5, not active through 19/5
     {"discipline": ({**D1, "effective_on": "2024-05-20"},)}),
    ("discipline.csv:2:member_code",  # M3 admitted 1/1/2024: not active the day before
     {"discipline": ({**D4, "member_code": "M3", "decided_on": "2024-01-01",
                      "violation_on": "2023-12-01", "decided_by": "P.D.X.C1"},)}),
    ("discipline.csv:2:org_code",  # dissolved on 1/6: not existing the day before 2/6
     {"discipline": ({**D2, "effective_on": "2024-06-02"},)}),
    ("discipline.csv:2:decided_by", {"discipline": ({**D4, "decided_by": "P.D.X.C1"},)}),
    ("discipline.csv:2:decided_by",  # an organization is decided above it, not by itself
     {"discipline": ({**D2, "decided_by": "P.D.X.C3", "by_body": "committee"},)}),
    ("discipline.csv:2:by_body", {"discipline": ({**D4, "by_body": "standing_committee"},)}),
    ("discipline.csv:2:inspection_code", {"discipline": ({**D4, "inspection_code": "I9"},)}),
    ("discipline.csv:2:appeal_outcome",
     {"discipline": ({**D4, "appeal_outcome": "upheld", "appeal_decided_on": "2024-05-01"},)}),
    ("discipline.csv:2:appeal_outcome",
     {"discipline": ({**D4, "appealed_on": "2024-04-11", "appeal_outcome": "changed",
                      "appeal_decided_on": "2024-05-01"},)}),
    ("discipline.csv:2:appealed_on", {"discipline": ({**D4, "appealed_on": "2024-04-09"},)}),
    # a standing expulsion without its expel event on the day
    ("discipline.csv:2:effective_on", {"discipline": ({**D1, "effective_on": "2024-05-09"},)}),
    # an annulled expulsion whose expel event remains
    ("discipline.csv:2:appeal_outcome",
     {"discipline": ({**D1, "appealed_on": "2024-05-12", "appeal_outcome": "annulled",
                      "appeal_decided_on": "2024-05-30"},)}),
    # a standing dissolution without its dissolve change on the day
    ("discipline.csv:2:effective_on", {"discipline": ({**D2, "effective_on": "2024-05-25"},)}),
    ("discipline.csv:3:code", {"discipline": (D4, D4)}),
]


@pytest.mark.parametrize(("expected", "given"), BAD,
                         ids=[f"{case[0]}-{n}" for n, case in enumerate(BAD)])
def test_a_broken_check_is_an_error_naming_its_cell_and_nothing_is_written(
        db, tmp_path, expected, given):
    errors = import_refused(write_bundle(tmp_path / "b", files(
        given.get("inspections", INSPECTIONS),
        given.get("subjects", (S_ORG,) if "inspections" in given else ()),
        given.get("discipline", ()))))
    assert prefixes(errors) == [expected]


def test_a_subject_of_a_refused_inspection_is_refused_naming_its_row(db, tmp_path):
    errors = import_refused(write_bundle(tmp_path / "b", files(
        ({**I1, "end_on": "2024-02-28"}, I2), (S_M1, S_M3), ())))
    assert prefixes(errors) == ["inspections.csv:2:end_on",
                                "inspection_subjects.csv:2:inspection_code"]
    assert "dòng 2 của inspections.csv" in errors[1]


def test_a_stored_code_or_subject_is_refused_on_a_second_import(db, tmp_path):
    assert import_bundle(write_bundle(tmp_path / "a", files()), actor=SYSTEM).errors == []
    again = {name: text for name, text in files().items() if name in (
        "bundle.csv", "inspections.csv", "inspection_subjects.csv", "discipline.csv")}
    errors = import_refused(write_bundle(tmp_path / "b", {
        **{name: None for name in BASE}, **again,
        "inspections.csv": table([{**I1, "code": "I3"}, I2]),
        "inspection_subjects.csv": table([S_M1]),
        "discipline.csv": table([D4])}))
    assert sorted(prefixes(errors)) == ["discipline.csv:2:code",
                                        "inspection_subjects.csv:2:member_code",
                                        "inspections.csv:3:code"]


def exported(path: Path) -> dict[str, str]:
    return {name: (path / name).read_text(encoding="utf-8") for name in OWN}


def test_export_import_export_is_identical(db, tmp_path):
    with transaction.atomic():
        assert import_bundle(example_folder(tmp_path / "example", *OWN), actor=SYSTEM).errors == []
        export_bundle(tmp_path / "first")
        transaction.set_rollback(True)
    assert not Inspection.objects.exists() and not Discipline.objects.exists()
    assert import_bundle(tmp_path / "first", actor=SYSTEM).errors == []
    export_bundle(tmp_path / "second")
    first, second = exported(tmp_path / "first"), exported(tmp_path / "second")
    assert first == second
    v2 = Path(__file__).parent / "bundles" / "province-99-v2" / "bundle"
    for name in OWN:
        source = list(csv.DictReader(io.StringIO((v2 / name).read_text())))
        rows = list(csv.DictReader(io.StringIO(first[name])))
        key = ((lambda r: (r["inspection_code"], r["org_code"], r["member_code"]))
               if name == "inspection_subjects.csv" else (lambda r: r["code"]))
        # sorted as the spec says, and every column the example gives comes back as it was
        assert [key(r) for r in rows] == sorted(key(r) for r in rows)
        assert [{k: r[k] for k in source[0]} for r in rows] == sorted(source, key=key)
