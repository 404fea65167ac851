"""Bundle version 2 (spec BUNDLE-v2.md): the marker bundle.csv, the files of each version, the
files of processes not built yet (refused, never skipped), and exceptions.csv.

The version-2 conformance bundle (a copy of shared/spec/examples/province-99-v2) is refused as
a whole, one error per unbuilt file; its version-1 files alone import and give every METRICS.md
number of its expected.json (with the files of admission and courses too:
tests/test_admission_example.py).
"""

import shutil
from datetime import date

import pytest
from django.core.management import call_command

from chibo.accounts.policy import SYSTEM
from chibo.findings.models import RecordedException
from chibo.interchange import sections, versions
from chibo.interchange.exporter import export_bundle
from chibo.interchange.importer import import_bundle
from chibo.members.models import Member
from chibo.stats import engine, groups
from tests.example_v2 import V1_FILES, V2, compare_with_the_example
from tests.test_bundle import EXPORTED_AT, import_refused, prefixes, row_counts, write_bundle
from tests.test_meeting_bundle import bundle as meeting_bundle

# The version-2 files of the processes built so far (chibo.admission, chibo.courses,
# chibo.inspection, chibo.ratings, chibo.badges, chibo.dues, chibo.liaison).
BUILT_V2 = ("candidates.csv", "courses.csv", "enrollments.csv", "inspections.csv",
            "inspection_subjects.csv", "discipline.csv", "ratings.csv", "badges.csv",
            "dues.csv", "residence_liaison.csv")
MARKER_V2 = "format_version,exported_at\n2,2026-07-01T08:00:00+07:00\n"


# The version-2 conformance bundle ---------------------------------------------------------------

def test_v2_example_is_refused_with_one_error_per_unbuilt_file(db):
    errors = import_refused(V2 / "bundle")
    unbuilt = sorted(path.name for path in (V2 / "bundle").iterdir()
                     if path.name not in (*V1_FILES, *BUILT_V2, "bundle.csv"))
    assert len(unbuilt) == 4 and set(unbuilt) <= set(versions.PLANNED)
    assert not set(BUILT_V2) & set(versions.planned())
    assert sorted(prefixes(errors)) == [f"{name}:1:" for name in unbuilt]
    for name, line in zip(unbuilt, sorted(errors), strict=True):
        assert f"tệp {name} chưa được phiên bản chibo này đọc" in line


def test_v2_example_version_1_files_import_and_give_its_numbers(db, tmp_path):
    """With its marker (version 2) and its version-1 files only, the bundle imports, and every
    key of METRICS.md in its 41 queries has the expected value."""
    folder = tmp_path / "v1-files"
    folder.mkdir()
    for name in (*V1_FILES, "bundle.csv"):
        shutil.copy(V2 / "bundle" / name, folder / name)
    result = import_bundle(folder, actor=SYSTEM)
    assert result.errors == []
    # METRICS.md's keys: the engine's base group (the registered groups are the processes')
    spec_keys = set(engine.all_keys()) - {k for group in groups.ordered() for k in group.keys}
    wrong, compared = compare_with_the_example(spec_keys)
    assert wrong == []
    assert compared == 41 * len(spec_keys)  # every version-1 key is in every query


# The marker -------------------------------------------------------------------------------------

def test_a_marked_version_2_bundle_imports(db, tmp_path):
    result = import_bundle(write_bundle(tmp_path / "b", {"bundle.csv": MARKER_V2}))
    assert result.errors == [] and Member.objects.count() == 2


def test_a_version_1_bundle_with_meeting_files_imports_with_or_without_its_marker(db, tmp_path):
    assert import_bundle(meeting_bundle(tmp_path / "a"), dry_run=True).errors == []
    marked = meeting_bundle(tmp_path / "b", {"bundle.csv": "format_version\n1\n"})
    assert import_bundle(marked).errors == []


@pytest.mark.parametrize(("marker", "expected"), [
    ("format_version,exported_at\n3,2030-01-01T00:00:00+07:00\n",
     ["bundle.csv:2:format_version: gói dữ liệu phiên bản 3; phiên bản chibo này đọc gói đến "
      "phiên bản 2"]),
    ("format_version\n2\n2\n", ["bundle.csv:3:"]),
    ("format_version\n", ["bundle.csv:1:"]),
    ("format_version,exported_at\n2,2026-07-01 08:00\n", ["bundle.csv:2:exported_at"]),
    ("format_version,exported_at\n2,2026-07-01T08:00:00\n", ["bundle.csv:2:exported_at"]),
    ("format_version\nhai\n", ["bundle.csv:2:format_version"]),
    ("format_version\n0\n", ["bundle.csv:2:format_version"]),
    ("exported_at\n2026-07-01T08:00:00+07:00\n", ["bundle.csv:1:format_version"]),
])
def test_a_bad_marker_is_an_error_on_bundle_csv(db, tmp_path, marker, expected):
    errors = import_refused(write_bundle(tmp_path / "b", {"bundle.csv": marker}))
    assert prefixes(errors) == [line.split(": ", 1)[0] for line in expected]
    for line in expected:
        if ": " in line:
            assert line in errors


EXCEPTIONS_ROW = ("finding,file,record,decision_no,decided_on,decided_by\n"
                  "members.probation,members.csv,M1,12-QĐ/TU,2011-01-01,P\n")


@pytest.mark.parametrize("marker", [None, "format_version\n1\n"])
def test_a_version_2_file_in_a_version_1_bundle_is_an_error_naming_it(db, tmp_path, marker):
    files = {"exceptions.csv": EXCEPTIONS_ROW, "candidates.csv": "code\nK1\n"}
    if marker:
        files["bundle.csv"] = marker
    errors = sorted(import_refused(write_bundle(tmp_path / "b", files)))
    assert prefixes(errors) == ["candidates.csv:1:", "exceptions.csv:1:"]
    for name, line in zip(("candidates.csv", "exceptions.csv"), errors, strict=True):
        assert f"tệp {name} thuộc gói dữ liệu phiên bản 2, không có trong phiên bản 1" in line


def test_an_unknown_file_is_an_error_whatever_the_version(db, tmp_path):
    errors = import_refused(write_bundle(tmp_path / "b", {"bundle.csv": MARKER_V2,
                                                          "notes.csv": "a\n1\n"}))
    assert prefixes(errors) == ["notes.csv:1:"]
    assert "không thuộc gói dữ liệu phiên bản 2" in errors[0]
    assert "exceptions.csv" in errors[0]  # the files of version 2 it reads are listed


def test_unbuilt_files_are_refused_in_a_workbook_too(db, tmp_path):
    from tests.test_bundle import _sheets, _xlsx

    path = _xlsx(tmp_path / "b.xlsx", _sheets({"bundle.csv": MARKER_V2,
                                               "tasks.csv": "code\nVD1\n"}))
    errors = import_refused(path)
    assert prefixes(errors) == ["tasks:1:"]
    assert "tệp tasks.csv chưa được phiên bản chibo này đọc" in errors[0]


def test_a_file_stops_being_planned_when_a_section_declares_it(db, tmp_path):
    """A process that is built only registers its section: its file is then read."""
    from chibo.interchange.schema import Column, FileSpec

    outreach = FileSpec("outreach.csv", (Column("member_code", required=True),))
    seen = []
    section = sections.Section(
        key="outreach-test", files=(outreach,), export={outreach.name: list}, version=2,
        run=lambda context: seen.append(len(context.rows(outreach))) or {outreach.name: 0},
        depends_on=("members",), order=50)
    assert "outreach.csv" in versions.planned()
    sections.register_section(section)
    try:
        assert "outreach.csv" not in versions.planned()
        path = write_bundle(tmp_path / "b", {"bundle.csv": MARKER_V2,
                                             "outreach.csv": "member_code\nM1\n"})
        assert import_bundle(path).errors == [] and seen == [1]
    finally:
        sections.SECTIONS.remove("outreach-test")


def test_an_export_is_marked_version_2_with_its_moment(db, tmp_path):
    export_bundle(tmp_path / "a", exported_at=EXPORTED_AT)
    assert (tmp_path / "a" / "bundle.csv").read_text().splitlines() == [
        "format_version,exported_at", "2,2026-07-01T08:00:00+07:00"]
    export_bundle(tmp_path / "b")
    written = (tmp_path / "b" / "bundle.csv").read_text().splitlines()[1]
    assert written.startswith("2,") and written.endswith("+07:00")  # now, in local time


# exceptions.csv ---------------------------------------------------------------------------------

EARLY = {  # M2 recognized after 6 months of probation: a finding, kept
    "bundle.csv": MARKER_V2,
    "member_events.csv": "member_code,event,effective_on,org_code\nM2,official,2012-07-01,\n",
}


def test_exceptions_import_and_round_trip(transactional_db, tmp_path):
    files = {**EARLY, "exceptions.csv": (
        "finding,file,record,decision_no,decided_on,decided_by,note\n"
        "members.probation,members.csv,M2,12-QĐ/TU,2012-06-20,P,\"Đủ điều kiện, đặc cách\"\n")}
    result = import_bundle(write_bundle(tmp_path / "b", files))
    assert result.errors == [] and result.counts["exceptions.csv"] == 1
    exception = RecordedException.objects.get()
    assert (exception.finding, exception.record, exception.decided_on) == (
        "members.probation", "M2", date(2012, 6, 20))
    assert exception.recorded_by_name == "system"
    export_bundle(tmp_path / "first", exported_at=EXPORTED_AT)
    call_command("flush", interactive=False, verbosity=0)
    assert import_bundle(tmp_path / "first").errors == []
    export_bundle(tmp_path / "second", exported_at=EXPORTED_AT)
    for name in ("exceptions.csv", "members.csv", "member_events.csv", "bundle.csv"):
        assert (tmp_path / "first" / name).read_bytes() == \
            (tmp_path / "second" / name).read_bytes(), name
    assert (tmp_path / "first" / "exceptions.csv").read_text().splitlines()[1] == (
        "members.probation,members.csv,M2,12-QĐ/TU,2012-06-20,P,\"Đủ điều kiện, đặc cách\"")


@pytest.mark.parametrize(("row", "expected"), [
    ("members.unknown,members.csv,M2,1-QĐ,2012-06-20", "exceptions.csv:2:finding"),
    ("members.probation,organizations.csv,P,1-QĐ,2012-06-20", "exceptions.csv:2:file"),
    ("members.probation,members.csv,M9,1-QĐ,2012-06-20", "exceptions.csv:2:record"),
    ("members.probation,members.csv,M2,,2012-06-20", "exceptions.csv:2:decision_no"),
    ("members.probation,members.csv,M2,1-QĐ,20/20/2012", "exceptions.csv:2:decided_on"),
    ("members.probation,members.csv,M2,1-QĐ,", "exceptions.csv:2:decided_on"),
])
def test_exception_defects_are_errors_and_nothing_is_written(db, tmp_path, row, expected):
    files = {**EARLY, "exceptions.csv": f"finding,file,record,decision_no,decided_on\n{row}\n"}
    assert prefixes(import_refused(write_bundle(tmp_path / "b", files))) == [expected]


def test_an_exception_given_twice_is_an_error(db, tmp_path):
    row = "members.probation,members.csv,M2,1-QĐ,2012-06-20\n"
    files = {**EARLY, "exceptions.csv": f"finding,file,record,decision_no,decided_on\n{row}{row}"}
    assert prefixes(import_refused(write_bundle(tmp_path / "b", files))) == [
        "exceptions.csv:3:record"]
    files["exceptions.csv"] = f"finding,file,record,decision_no,decided_on\n{row}"
    assert import_bundle(write_bundle(tmp_path / "b", files)).errors == []
    again = tmp_path / "c"  # the same exception alone, for members already stored
    again.mkdir()
    (again / "bundle.csv").write_text(MARKER_V2)
    (again / "exceptions.csv").write_text(files["exceptions.csv"])
    before = row_counts()
    errors = import_bundle(again).errors
    assert prefixes(errors) == ["exceptions.csv:2:record"] and "đã có ngoại lệ" in errors[0]
    assert row_counts() == before


def test_an_exception_to_a_refused_member_row_is_an_error_too(db, tmp_path):
    files = {**EARLY, "exceptions.csv": "finding,file,record,decision_no,decided_on\n"
                                        "members.probation,members.csv,M3,1-QĐ,2012-06-20\n"}
    errors = import_refused(write_bundle(tmp_path / "b", files, append={
        "members.csv": "M3,Lò Văn Tú,male,1990-01-01,2010-01-01,,NOWHERE\n"}))
    assert prefixes(errors) == ["members.csv:4:org_code", "exceptions.csv:2:record"]


def test_the_exceptions_section_comes_after_every_other(db):
    assert sections.ordered()[-1].key == "exceptions"
    assert [spec.name for spec in sections.files()][-1] == "exceptions.csv"
    assert sections.SECTIONS["exceptions"].version == 2
    assert sections.SECTIONS["meetings"].version == 1  # the meeting files predate the marker
