"""candidates.csv, courses.csv and enrollments.csv in the bundle (spec BUNDLE-v2.md): a good
bundle imports; each broken check is an error naming file:row:column and nothing is written;
export is sorted and export → import → export is identical (the example province-99-v2)."""

import csv
import io
import shutil
from pathlib import Path

import pytest
from django.db import transaction

from chibo.accounts.policy import SYSTEM
from chibo.admission.models import Candidate
from chibo.courses.models import Course, Enrollment
from chibo.interchange.exporter import export_bundle
from chibo.interchange.importer import import_bundle
from tests.example_v2 import V2, example_folder
from tests.test_admission_example import OWN
from tests.test_bundle import import_refused, prefixes, write_bundle

MARKER = "format_version,exported_at\n2,2026-07-01T08:00:00+07:00\n"
MEMBERS = ("member_code,full_name,gender,birth_date,admitted_on,official_on,org_code\n"
           "M1,Nguyễn Văn An,male,1980-01-01,2010-01-01,2011-01-01,P.D.X.C1\n"
           "M2,Trần Thị Bình,female,1985-05-05,2012-01-01,,P.D.X.C2\n"
           "M3,Hà Thị Mai,female,1998-04-02,2020-03-02,2021-03-10,P.D.X.C1\n")
ADMITTED = {"code": "K1", "full_name": "Hà Thị Mai", "gender": "female",
            "birth_date": "1998-04-02", "ethnicity": "Tày", "org_code": "P.D.X.C1",
            "listed_on": "2019-01-01", "awareness_course_on": "2019-03-01",
            "sponsor1_member_code": "M1", "sponsor2_member_code": "M2",
            "background_checked_on": "2019-10-01", "cell_resolution_on": "2020-01-10",
            "cell_votes_for": "3", "cell_votes_total": "4",
            "committee_resolution_on": "2020-01-20", "decision_on": "2020-03-02",
            "decision_no": "12-QĐ/HU", "decided_by": "P.D", "ceremony_on": "2020-03-10",
            "outcome": "admitted", "member_code": "M3"}
PENDING = {"code": "K2", "full_name": "Lò Văn Sáng", "gender": "male",
           "birth_date": "2000-07-07", "org_code": "P.D.X.C2", "listed_on": "2024-05-01",
           "outcome": "pending"}
COURSE = {"code": "L1", "name": "Lớp nhận thức về Đảng 2019", "kind": "awareness",
          "org_code": "P.D", "start_on": "2019-02-20", "end_on": "2019-03-01"}
NEW_MEMBER = {"code": "L2", "name": "Lớp đảng viên mới 2020", "kind": "new_member",
              "org_code": "P.D", "start_on": "2020-06-01", "end_on": "2020-06-05"}
LEARNERS = [{"course_code": "L1", "candidate_code": "K1", "result": "completed",
             "certificate_on": "2019-03-01", "certificate_no": "L1/01"},
            {"course_code": "L2", "member_code": "M3", "result": "completed"},
            {"course_code": "L2", "member_code": "M2", "result": "dropped"}]


def table(rows: list[dict]) -> str:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def files(candidates=(ADMITTED, PENDING), courses=(COURSE, NEW_MEMBER), learners=LEARNERS):
    return {"bundle.csv": MARKER, "members.csv": MEMBERS, "member_events.csv": None,
            "candidates.csv": table(list(candidates)), "courses.csv": table(list(courses)),
            "enrollments.csv": table(list(learners))}


def test_a_good_bundle_imports(db, tmp_path):
    result = import_bundle(write_bundle(tmp_path / "b", files()), actor=SYSTEM)
    assert result.errors == []
    assert (result.counts["candidates.csv"], result.counts["courses.csv"],
            result.counts["enrollments.csv"]) == (2, 2, 3)
    k1 = Candidate.objects.get(code="K1")
    assert (k1.member.member_code, k1.sponsor1.member_code, k1.decided_by.code) == (
        "M3", "M1", "P.D")
    assert Enrollment.objects.get(candidate=k1).certificate_no == "L1/01"
    assert Course.objects.get(code="L2").enrollments.count() == 2


def test_an_empty_listed_on_is_the_rows_earliest_date(db, tmp_path):
    import_bundle(write_bundle(tmp_path / "b", files(
        candidates=[{**ADMITTED, "listed_on": ""}])), actor=SYSTEM)
    assert str(Candidate.objects.get().listed_on) == "2019-03-01"  # the certificate's day


# The candidate rows' cases leave the candidate's learning out: an enrollment naming a refused
# candidate is refused too, naming the row it depends on.
M = LEARNERS[1:]
BAD = [
    ("candidates.csv:2:cell_votes_for", [{**ADMITTED, "cell_votes_for": "5"}], None, M),
    ("candidates.csv:2:cell_votes_total", [{**ADMITTED, "cell_votes_total": ""}], None, M),
    ("candidates.csv:2:committee_resolution_on",
     [{**ADMITTED, "committee_resolution_on": "2020-01-09"}], None, M),
    ("candidates.csv:2:ceremony_on", [{**ADMITTED, "ceremony_on": "2099-01-01"}], None, M),
    ("candidates.csv:2:member_code", [{**ADMITTED, "member_code": ""}], None, M),
    ("candidates.csv:2:outcome", [{**PENDING, "decision_on": "2024-06-01"}], None, M),
    ("candidates.csv:2:outcome_on", [{**PENDING, "outcome": "withdrawn"}], None, M),
    ("candidates.csv:2:outcome_on", [{**PENDING, "outcome_on": "2024-06-01"}], None, M),
    ("candidates.csv:2:sponsor1_member_code", [{**ADMITTED, "sponsor1_member_code": "M9"}],
     None, M),
    ("candidates.csv:2:sponsor2_member_code", [{**ADMITTED, "sponsor2_member_code": "M1"}],
     None, M),
    ("candidates.csv:2:decided_by", [{**ADMITTED, "decided_by": "P.D.X.C2"}], None, M),
    ("candidates.csv:2:org_code", [{**ADMITTED, "org_code": "P.D.X"}], None, M),
    ("candidates.csv:2:org_code", [{**PENDING, "listed_on": "1994-12-31"}], None, M),
    ("candidates.csv:2:member_code", [{**ADMITTED, "member_code": "M1"}], None, M),
    ("candidates.csv:3:member_code", [ADMITTED, {**ADMITTED, "code": "K3"}], None, M),
    ("candidates.csv:3:code", [ADMITTED, ADMITTED], None, M),
    ("courses.csv:2:end_on", None, [{**COURSE, "end_on": "2019-02-19"}, NEW_MEMBER], M),
    ("courses.csv:2:org_code", None, [{**COURSE, "start_on": "1989-12-31"}, NEW_MEMBER], M),
    ("enrollments.csv:2:candidate_code", None, None,
     [{"course_code": "L2", "candidate_code": "K1"}]),
    ("enrollments.csv:2:member_code", None, None, [{"course_code": "L1", "member_code": "M1"}]),
    ("enrollments.csv:2:member_code", None, None,
     [{"course_code": "L2", "member_code": "M1", "candidate_code": "K1"}]),
    ("enrollments.csv:2:certificate_on", None, None,
     [{"course_code": "L2", "member_code": "M3", "result": "failed",
       "certificate_on": "2020-06-05"}]),
    ("enrollments.csv:2:certificate_on", None, None,
     [{"course_code": "L2", "member_code": "M3", "result": "completed",
       "certificate_on": "2020-05-31"}]),
    ("enrollments.csv:3:member_code", None, None,
     [{"course_code": "L2", "member_code": "M3"}, {"course_code": "L2", "member_code": "M3"}]),
    ("enrollments.csv:2:course_code", None, None, [{"course_code": "L9", "member_code": "M3"}]),
    # a candidate withdrawn before the course started
    ("enrollments.csv:2:candidate_code", [ADMITTED, {**PENDING, "outcome": "withdrawn",
                                                     "outcome_on": "2024-06-01"}],
     [COURSE, NEW_MEMBER, {**COURSE, "code": "L3", "start_on": "2024-07-01",
                           "end_on": "2024-07-05"}],
     [{"course_code": "L3", "candidate_code": "K2"}]),
]


@pytest.mark.parametrize(("expected", "candidates", "courses", "learners"), BAD,
                         ids=[f"{case[0]}-{n}" for n, case in enumerate(BAD)])
def test_a_broken_check_is_an_error_naming_its_cell_and_nothing_is_written(
        db, tmp_path, expected, candidates, courses, learners):
    given = files(candidates if candidates is not None else (ADMITTED, PENDING),
                  courses if courses is not None else (COURSE, NEW_MEMBER),
                  learners if learners is not None else LEARNERS)
    errors = import_refused(write_bundle(tmp_path / "b", given))
    assert prefixes(errors) == [expected]


def exported(path: Path) -> dict[str, str]:
    return {name: (path / name).read_text(encoding="utf-8")
            for name in ("candidates.csv", "courses.csv", "enrollments.csv")}


def test_export_import_export_is_identical(db, tmp_path):
    with transaction.atomic():
        assert import_bundle(example_folder(tmp_path / "example", *OWN), actor=SYSTEM).errors == []
        export_bundle(tmp_path / "first")
        transaction.set_rollback(True)
    assert not Candidate.objects.exists()
    assert import_bundle(tmp_path / "first", actor=SYSTEM).errors == []
    export_bundle(tmp_path / "second")
    first, second = exported(tmp_path / "first"), exported(tmp_path / "second")
    assert first == second
    rows = list(csv.DictReader(io.StringIO(first["candidates.csv"])))
    assert len(rows) == 274 and [r["code"] for r in rows] == sorted(r["code"] for r in rows)
    source = list(csv.DictReader(io.StringIO((V2 / "bundle" / "candidates.csv").read_text())))
    # every column the example gives comes back as it was
    assert [{k: r[k] for k in source[0]} for r in rows] == source
    learners = list(csv.DictReader(io.StringIO(first["enrollments.csv"])))
    assert [(r["course_code"], r["member_code"], r["candidate_code"]) for r in learners] == \
        sorted((r["course_code"], r["member_code"], r["candidate_code"]) for r in learners)
    assert len(learners) == 432


def test_the_example_courses_come_back_as_they_were(db, tmp_path):
    assert import_bundle(example_folder(tmp_path / "example", *OWN), actor=SYSTEM).errors == []
    export_bundle(tmp_path / "out")
    source = list(csv.DictReader(io.StringIO((V2 / "bundle" / "courses.csv").read_text())))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "courses.csv").read_text())))
    assert [{k: r[k] for k in source[0]} for r in rows] == source
    shutil.rmtree(tmp_path / "out")
