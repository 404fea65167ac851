"""The bundle reader at its edges (spec/BUNDLE.md, "Container" and "Import semantics"): a file
twice in a zip, a duplicated column, a row wider than its header, a file without a header, text
that is not UTF-8, and an organization used before it was founded.

Each is a clear refusal: every error line is `FILE:ROW:COLUMN: message` at the exact place
(ROW counts the header as 1), and nothing is written. Where the edge is a day, the day before
is refused and the founding day itself is accepted.
"""

import unicodedata
import zipfile
from datetime import date
from pathlib import Path

import pytest

from chibo.interchange.importer import import_bundle
from chibo.interchange.report import Row
from chibo.meetings.models import Meeting
from chibo.members.models import Member, MemberEvent, Position
from tests.test_bundle import BASE, import_refused, prefixes, write_bundle

MEMBERS_HEADER = BASE["members.csv"].splitlines()[0]
# The base bundle's cells were founded on this day (organizations.csv).
CELL_FOUNDED = date(1995, 1, 1)
DAY_BEFORE = date(1994, 12, 31)


def _zip(path: Path, files: list[tuple[str, str | bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files:
            archive.writestr(name, data)
    return path


def _errors_at(errors: list[str], prefix: str) -> list[str]:
    return [line.split(": ", 1)[1] for line in errors if line.startswith(prefix + ": ")]


# The container and the text ----------------------------------------------------------------------

def test_the_same_file_twice_in_a_zip_is_refused_on_the_second(db, tmp_path):
    """Two folders of one zip each holding members.csv: which one is meant cannot be told. The
    second is refused as a whole (it is not read), naming the file on its line 1."""
    other = BASE["members.csv"].replace("Nguyễn Văn An", "Người khác")
    archive = _zip(tmp_path / "b.zip", [*((f"a/{name}", text) for name, text in BASE.items()),
                                        ("b/members.csv", other)])
    errors = import_refused(archive)
    assert prefixes(errors) == ["members.csv:1:"]
    assert "members.csv có hai lần trong gói" in errors[0]


def test_the_same_name_twice_at_the_top_of_a_zip_is_refused_too(db, tmp_path):
    with pytest.warns(UserWarning, match="Duplicate name"):  # zipfile lets it be written
        archive = _zip(tmp_path / "b.zip", [*BASE.items(),
                                            ("members.csv", BASE["members.csv"])])
    assert prefixes(import_refused(archive)) == ["members.csv:1:"]


def test_a_duplicated_column_is_refused_on_the_header(db, tmp_path):
    rows = BASE["members.csv"].splitlines()
    doubled = [rows[0] + ",full_name"] + [row + ",Tên khác" for row in rows[1:]]
    errors = import_refused(write_bundle(tmp_path / "b", {"members.csv": "\n".join(doubled)}))
    assert prefixes(errors) == ["members.csv:1:full_name"]
    assert _errors_at(errors, "members.csv:1:full_name") == ["cột có hai lần"]


@pytest.mark.parametrize(("extra", "refused"), [
    ("", False),  # as wide as the header
    (",", False),  # one more cell, empty: a trailing comma spreadsheets write
    (",thừa", True),  # one more cell with a value: it belongs to no column
])
def test_a_row_wider_than_its_header_is_refused_on_its_row(db, tmp_path, extra, refused):
    rows = BASE["members.csv"].splitlines()
    rows[2] += extra
    path = write_bundle(tmp_path / "b", {"members.csv": "\n".join(rows) + "\n"})
    if not refused:
        assert import_bundle(path).errors == []
        return
    errors = import_refused(path)
    # M2's row is refused, so its event (member_events.csv row 2) names no member
    assert prefixes(errors) == ["members.csv:3:", "member_events.csv:2:member_code"]
    assert "nhiều ô hơn số cột" in errors[0]


@pytest.mark.parametrize("text", ["", "\n", ",,,,,,\n", "\ufeff"],
                         ids=["empty", "blank line", "empty cells", "only a BOM"])
def test_a_file_without_a_header_is_refused_on_line_1(db, tmp_path, text):
    errors = import_refused(write_bundle(tmp_path / "b", {"villages.csv": text}))
    # the village's cell, then the cell's member and post, name what is not there
    assert prefixes(errors) == ["organizations.csv:5:village_code", "villages.csv:1:",
                                "members.csv:2:org_code", "positions.csv:2:org_code"]
    assert _errors_at(errors, "villages.csv:1:") == ["tệp không có dòng tiêu đề (tên các cột)"]


def test_a_file_whose_first_line_is_data_is_refused_on_its_header(db, tmp_path):
    """The header was left out: its first data row is read as the header, and its cells are
    not columns of the file."""
    rows = BASE["villages.csv"].splitlines()[1:]
    errors = import_refused(write_bundle(tmp_path / "b", {"villages.csv": "\n".join(rows)}))
    header = [line for line in prefixes(errors) if line.startswith("villages.csv")]
    assert header == ["villages.csv:1:V1", "villages.csv:1:Thôn Đồng Mạ", "villages.csv:1:village",
                      "villages.csv:1:P.D.X", "villages.csv:1:code", "villages.csv:1:name",
                      "villages.csv:1:kind", "villages.csv:1:commune_code"]


VIETNAMESE_ROW = "M3,Lê Văn Đông,male,1990-01-01,2015-01-01,,P.D.X.C1\n"


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def cp1258(text: str) -> bytes:
    """`text` as Vietnamese Windows saves it: letters with a tone mark are a base letter (â, ê,
    ơ, … have their own bytes) followed by the tone mark's byte."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tones = "".join(mark for mark in parts if mark in TONE_MARKS)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def _with_members_file(tmp_path: Path, container: str, data: bytes) -> Path:
    if container == "zip":
        return _zip(tmp_path / "b.zip", [*((n, t) for n, t in BASE.items()
                                           if n != "members.csv"), ("members.csv", data)])
    path = write_bundle(tmp_path / "b")
    (path / "members.csv").write_bytes(data)
    return path


@pytest.mark.parametrize("container", ["directory", "zip"])
def test_a_file_saved_as_windows_1258_is_refused_naming_its_first_line_that_is_not_utf8(
        db, tmp_path, container):
    """Line 1 (the header) is plain ASCII, the same in every encoding; line 2 holds the first
    Vietnamese letter. The file is not read at all: the rows naming its members fail too."""
    data = cp1258(BASE["members.csv"])
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    errors = import_refused(_with_members_file(tmp_path, container, data))
    assert prefixes(errors) == ["members.csv:2:", "member_events.csv:2:member_code",
                                "positions.csv:2:member_code"]
    assert "không phải văn bản UTF-8 (từ dòng 2); hãy lưu lại với mã hóa UTF-8" in errors[0]


@pytest.mark.parametrize("encoding", ["cp1258", "latin-1"])
def test_one_row_that_is_not_utf8_is_refused_naming_its_line(db, tmp_path, encoding):
    """A UTF-8 file with one row pasted from a file of another encoding (line 4)."""
    data = BASE["members.csv"].encode() + (
        cp1258(VIETNAMESE_ROW) if encoding == "cp1258"
        else VIETNAMESE_ROW.replace("Lê Văn Đông", "José Müller").encode("latin-1"))
    errors = import_refused(_with_members_file(tmp_path, "directory", data))
    assert prefixes(errors)[0] == "members.csv:4:"
    assert "(từ dòng 4)" in errors[0]


def test_the_same_row_in_utf8_imports(db, tmp_path):
    """The control: the Vietnamese row above, in UTF-8, is accepted."""
    path = _with_members_file(tmp_path, "zip", BASE["members.csv"].encode()
                              + VIETNAMESE_ROW.encode())
    assert import_bundle(path).errors == []
    assert Member.objects.get(member_code="M3").full_name == "Lê Văn Đông"


def test_a_line_past_the_first_chunk_that_is_not_utf8_is_named_by_its_line(db, tmp_path):
    """The decoder reads a chunk at a time: the line is counted across chunks."""
    filler = "".join(f"F{n},Người {n},male,1990-01-01,2015-01-01,,P.D.X.C1\n"
                     for n in range(3000))  # well over one 8 KB chunk
    data = (BASE["members.csv"] + filler).encode() + cp1258(VIETNAMESE_ROW)
    path = write_bundle(tmp_path / "b")
    (path / "members.csv").write_bytes(data)
    errors = import_refused(path)
    assert prefixes(errors)[0] == "members.csv:3004:"


# An organization used before it was founded ------------------------------------------------------

def _on(day: date) -> str:
    return day.isoformat()


FOUNDING_EDGE = [(DAY_BEFORE, True), (CELL_FOUNDED, False), (date(1995, 1, 2), False)]


@pytest.mark.parametrize(("day", "refused"), FOUNDING_EDGE)
def test_a_member_admitted_into_a_cell_before_it_was_founded(db, tmp_path, day, refused):
    row = f"M3,Lê Văn Cường,male,1970-01-01,{_on(day)},,P.D.X.C1\n"
    path = write_bundle(tmp_path / "b", append={"members.csv": row})
    if not refused:
        assert import_bundle(path).errors == []
        assert Member.objects.get(member_code="M3").admitted_on == day
        return
    errors = import_refused(path)
    assert prefixes(errors) == ["members.csv:4:org_code"]
    assert "không tồn tại" in errors[0] and "31/12/1994" in errors[0]


@pytest.mark.parametrize(("day", "refused"), FOUNDING_EDGE)
def test_a_member_arriving_in_a_cell_before_it_was_founded(db, tmp_path, day, refused):
    """Admitted elsewhere in 1990, arriving (org_since) around the cell's founding day."""
    members = (MEMBERS_HEADER + ",org_since\n"
               + "".join(line + ",\n" for line in BASE["members.csv"].splitlines()[1:])
               + f"M3,Lê Văn Cường,male,1970-01-01,1990-01-01,,P.D.X.C1,{_on(day)}\n")
    path = write_bundle(tmp_path / "b", {"members.csv": members})
    if not refused:
        assert import_bundle(path).errors == []
        assert Member.objects.get(member_code="M3").org_since == day
        return
    assert prefixes(import_refused(path)) == ["members.csv:4:org_code"]


@pytest.mark.parametrize(("day", "refused"), FOUNDING_EDGE)
def test_a_transfer_into_a_cell_before_it_was_founded(db, tmp_path, day, refused):
    """M0, admitted into the commune's first cell in 1990, moves to C1 around its founding."""
    orgs = BASE["organizations.csv"] + "P.D.X.C0,Chi bộ cũ,cell,,P.D.X,1990-01-01,\n"
    path = write_bundle(tmp_path / "b", {"organizations.csv": orgs}, {
        "members.csv": "M0,Lê Văn Cường,male,1960-01-01,1990-01-01,1991-01-01,P.D.X.C0\n",
        "member_events.csv": f"M0,transfer,{_on(day)},P.D.X.C1\n"})
    if not refused:
        assert import_bundle(path).errors == []
        assert MemberEvent.objects.get(member__member_code="M0").effective_on == day
        return
    assert prefixes(import_refused(path)) == ["member_events.csv:3:org_code"]


@pytest.mark.parametrize(("day", "refused"), FOUNDING_EDGE)
def test_a_post_in_an_organization_before_it_was_founded(db, tmp_path, day, refused):
    path = write_bundle(tmp_path / "b", append={
        "positions.csv": f"M1,committee_member,P.D.X.C1,,{_on(day)},\n"})
    if not refused:
        assert import_bundle(path).errors == []
        assert Position.objects.filter(start_on=day).count() == 1
        return
    assert prefixes(import_refused(path)) == ["positions.csv:3:start_on"]


MEETINGS_HEADER = ("code,org_code,kind,date,start_time,combined_thematic,is_model,topic,place,"
                   "online_link,agenda,status,duration_minutes,agenda_prepared,"
                   "committee_prepared,draft_resolution,minutes_complete,minutes,conclusion\n")


@pytest.mark.parametrize(("day", "refused"), FOUNDING_EDGE)
def test_a_meeting_of_a_cell_before_it_was_founded(db, tmp_path, day, refused):
    """A meeting scheduled (not closed: no member is needed) around the cell's founding."""
    meetings = MEETINGS_HEADER + (f"X1,P.D.X.C1,regular,{_on(day)},,,,Họp,Nhà văn hóa,,,"
                                  "scheduled,,,,,,,\n")
    path = write_bundle(tmp_path / "b", {"meetings.csv": meetings})
    if not refused:
        assert import_bundle(path).errors == []
        assert Meeting.objects.get(code="X1").date == day
        return
    errors = import_refused(path)
    assert prefixes(errors) == ["meetings.csv:2:org_code"]
    assert "1994-12-31" in errors[0]


@pytest.mark.parametrize(("day", "refused"), [(date(1989, 12, 31), True),
                                              (date(1990, 1, 1), False)])
def test_a_child_founded_before_its_parent(db, tmp_path, day, refused):
    """The parent (P.D, 1990-01-01) must be established on or before the child."""
    path = write_bundle(tmp_path / "b", append={
        "organizations.csv": f"P.D.Y,Đảng bộ xã,grassroots_committee,commune,P.D,{_on(day)},\n"})
    if not refused:
        assert import_bundle(path).errors == []
        return
    assert prefixes(import_refused(path)) == ["organizations.csv:7:parent_code"]


def test_equal_values_of_other_types_stay_what_their_column_reads():
    """Codes, choices and dates are kept one object per value across the bundle; a number and
    a truth value that compare equal (1 == True) stay apart."""
    shared: dict = {}
    first, second = Row("candidates.csv", 2), Row("candidates.csv", 3)
    first.values, second.values = {"youth": True, "votes": 1}, {"youth": 1, "votes": True}
    first.pack({"youth": 0, "votes": 1}, shared, (0, 1))
    second.pack({"youth": 0, "votes": 1}, shared, (0, 1))
    assert [type(v) for v in (*first.values, *second.values)] == [bool, int, int, bool]
