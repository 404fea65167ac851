"""meetings.csv, attendance.csv and meeting_guests.csv in the bundle: import with the meeting
rules, FILE:ROW:COLUMN errors with nothing written, and the round trip."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from chibo.interchange.exporter import export_bundle
from chibo.interchange.importer import import_bundle
from chibo.meetings.models import Attendance, Meeting, MeetingGuest
from tests.test_bundle import EXPORTED_AT, import_refused, prefixes, write_bundle

# A day to come, within the plausible dates (chibo.core.validation.FUTURE_YEARS), and the code of
# the meeting scheduled for it.
LATER = date.today() + timedelta(days=400)
LATER_CODE = f"P.D.X.C2-{LATER:%Y%m%d}-R"
MEETINGS_HEADER = ("code,org_code,kind,date,start_time,combined_thematic,is_model,topic,place,"
                   "online_link,agenda,status,duration_minutes,agenda_prepared,"
                   "committee_prepared,draft_resolution,minutes_complete,minutes,conclusion\n")
# C1 has M1 (and M3, exempt from 2019); C2 has M2.
MEETINGS = {
    "members.csv": """member_code,full_name,gender,birth_date,admitted_on,official_on,org_code
M1,Nguyễn Văn An,male,1980-01-01,2010-01-01,2011-01-01,P.D.X.C1
M2,Trần Thị Bình,female,1985-05-05,2012-01-01,,P.D.X.C2
M3,Lê Văn Cường,male,1940-01-01,1996-01-01,1997-01-01,P.D.X.C1
""",
    "member_events.csv": """member_code,event,effective_on,org_code
M2,official,2013-02-01,
M3,exempt,2019-01-01,
""",
    "meetings.csv": MEETINGS_HEADER + "".join(line + "\n" for line in (
        "P.D.X.C1-20240110-R,P.D.X.C1,regular,2024-01-10,19:30,false,false,Sinh hoạt tháng 1,"
        "Nhà văn hóa,,,closed,95,true,true,true,true,Biên bản,Thống nhất",
        "P.D.X.C1-20240215-T,P.D.X.C1,thematic,15/02/2024,,false,true,Học tập Bác,,"
        "https://meet.example.vn/x,,closed,60,true,true,false,true,,",
        "P.D.X.C2-20240110-R,P.D.X.C2,regular,2024-01-10,,true,false,Sinh hoạt tháng 1,Trường,,,"
        "closed,130,true,true,true,true,,",
        f"{LATER_CODE},P.D.X.C2,regular,{LATER},,false,false,Sau này,Trường,,,"
        "scheduled,,,,,,,",
    )),
    "attendance.csv": f"""meeting_code,member_code,status,reason,spoke
P.D.X.C1-20240110-R,M1,present,,true
P.D.X.C1-20240110-R,M3,exempt,,false
P.D.X.C1-20240215-T,M1,excused,Ốm,false
P.D.X.C2-20240110-R,M2,online,,true
{LATER_CODE},M2,excused,Đi công tác,false
""",
    "meeting_guests.csv": """meeting_code,full_name,role,title,org_code,member_code,attended
P.D.X.C1-20240215-T,Hà Văn Sơn,higher_level,Bí thư Đảng ủy xã,P.D.X,,true
P.D.X.C1-20240215-T,Trần Thị Bình,invited_secretary,,P.D.X.C2,M2,false
""",
}


def bundle(tmp_path: Path, replace=None, append=None) -> Path:
    return write_bundle(tmp_path / "b", {**MEETINGS, **(replace or {})}, append)


def test_meetings_attendance_and_guests_import(db, tmp_path):
    result = import_bundle(bundle(tmp_path))
    assert result.errors == []
    # The exempt M3, left out of the thematic meeting, is filled in: 5 rows + 1.
    assert result.counts["meetings.csv"] == 4 and result.counts["attendance.csv"] == 6
    assert result.counts["meeting_guests.csv"] == 2
    january = Meeting.objects.get(code="P.D.X.C1-20240110-R")
    assert (january.counted, january.attended, january.quality_passed) == (1, 1, True)
    thematic = Meeting.objects.get(code="P.D.X.C1-20240215-T")
    assert thematic.counted == 1 and thematic.attended == 0
    assert set(thematic.quality_failures) == {"attendance", "duration", "preparation"}
    assert thematic.is_model and thematic.online_link
    assert Meeting.objects.get(code=LATER_CODE).status == "scheduled"
    assert MeetingGuest.objects.filter(attended=True).count() == 1
    # The official's visit is stored with its meeting, for the statistics; the secretary is none
    assert dict(Meeting.objects.filter(visits__gt=0).values_list("code", "visits")) == {
        "P.D.X.C1-20240215-T": 1}


def test_exempt_members_left_out_are_filled_in(db, tmp_path):
    rows = MEETINGS["attendance.csv"].replace("P.D.X.C1-20240110-R,M3,exempt,,false\n", "")
    assert import_bundle(bundle(tmp_path, {"attendance.csv": rows})).errors == []
    assert Attendance.objects.get(member__member_code="M3",
                                  meeting__code="P.D.X.C1-20240110-R").status == "exempt"


@pytest.mark.parametrize("ending", ["", ".zip", ".xlsx"])
def test_round_trip_with_meetings_gives_identical_files(transactional_db, tmp_path, ending):
    assert import_bundle(bundle(tmp_path)).errors == []
    first = tmp_path / f"first{ending}"
    export_bundle(first, exported_at=EXPORTED_AT)
    call_command("flush", interactive=False, verbosity=0)
    assert import_bundle(first).errors == []
    second = tmp_path / f"second{ending}"
    export_bundle(second, exported_at=EXPORTED_AT)
    if first.is_dir():
        for name in ("meetings.csv", "attendance.csv", "meeting_guests.csv"):
            assert (first / name).read_bytes() == (second / name).read_bytes(), name
        assert "19:30" in (first / "meetings.csv").read_text()
    else:
        assert first.read_bytes() == second.read_bytes()


DEFECTS = {
    "attendance of someone not in the cell that day": (
        {}, {"attendance.csv": "P.D.X.C1-20240110-R,M2,present,,false\n"},
        ["attendance.csv:7:member_code"]),
    "attendance given twice, an unknown member, an excuse without reason": (
        {}, {"attendance.csv": "P.D.X.C1-20240110-R,M1,present,,false\n"
                               "P.D.X.C1-20240110-R,M9,present,,false\n"
                               "P.D.X.C2-20240110-R,M2,excused,,false\n"},
        ["attendance.csv:7:member_code", "attendance.csv:8:member_code",
         "attendance.csv:9:member_code"]),
    "a closed meeting missing a member's attendance": (
        {"attendance.csv": "meeting_code,member_code,status,reason,spoke\n"
                           "P.D.X.C1-20240110-R,M1,present,,true\n"
                           "P.D.X.C1-20240215-T,M1,excused,Ốm,false\n"
                           f"{LATER_CODE},M2,excused,Đi công tác,false\n"}, {},
        ["meetings.csv:4:code"]),
    "a meeting of a committee, a closed one without duration, a future closed one": (
        {}, {"meetings.csv": "X1,P.D.X,regular,2024-03-01,,,,Họp,Xã,,,scheduled,,,,,,,\n"
                             "X2,P.D.X.C1,regular,2024-03-01,,,,Họp,Xã,,,closed,,,,,,,\n"
                             f"X3,P.D.X.C1,regular,{LATER},,,,Họp,Xã,,,closed,90,,,,,,\n"},
        ["meetings.csv:6:org_code", "meetings.csv:7:duration_minutes",
         "meetings.csv:8:status"]),
    "bad cells: time, number, kind, and a duplicated code": (
        {}, {"meetings.csv": "X1,P.D.X.C1,regular,2024-03-01,25:00,,,Họp,Xã,,,scheduled,,,,,,,\n"
                             "X2,P.D.X.C1,monthly,2024-03-01,,,,Họp,Xã,,,closed,chín mươi,,,,,,\n"
                             "P.D.X.C1-20240110-R,P.D.X.C1,regular,2024-03-01,,,,Họp,Xã,,,"
                             "scheduled,,,,,,,\n"},
        ["meetings.csv:6:start_time", "meetings.csv:7:kind", "meetings.csv:7:duration_minutes",
         "meetings.csv:8:code"]),
    "attendance for a meeting not in the bundle; a non-excused row on a scheduled one": (
        {}, {"attendance.csv": "NOPE,M1,present,,false\n"
                               f"{LATER_CODE},M2,present,,false\n"},
        ["attendance.csv:7:meeting_code", "attendance.csv:8:member_code"]),
    "an online link that is not a web address": (
        {}, {"meetings.csv": "X1,P.D.X.C1,regular,2024-03-01,,,,Họp,,javascript:alert(1),,"
                             "scheduled,,,,,,,\n"
                             "X2,P.D.X.C1,regular,2024-03-02,,,,Họp,Xã,ftp://x.vn/a,,"
                             "scheduled,,,,,,,\n"},
        ["meetings.csv:6:online_link", "meetings.csv:7:online_link"]),
    "an invited secretary of the same cell; a guest of an unknown organization": (
        {}, {"meeting_guests.csv": "P.D.X.C1-20240110-R,Ai đó,invited_secretary,,P.D.X.C1,,\n"
                                   "P.D.X.C1-20240110-R,Ai đó,higher_level,,ZZZ,,\n"},
        ["meeting_guests.csv:4:org_code", "meeting_guests.csv:5:org_code"]),
}


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_meeting_defects_are_reported_and_nothing_is_written(db, tmp_path, defect):
    replace, append, expected = DEFECTS[defect]
    errors = import_refused(bundle(tmp_path, replace, append))
    assert prefixes(errors) == expected, errors


def test_reimporting_meetings_is_an_error_on_their_codes(db, tmp_path):
    assert import_bundle(bundle(tmp_path)).errors == []
    only_meetings = tmp_path / "again"
    only_meetings.mkdir()
    (only_meetings / "meetings.csv").write_text(MEETINGS["meetings.csv"], encoding="utf-8")
    errors = import_refused(only_meetings)
    assert prefixes(errors)[:1] == ["meetings.csv:2:code"]


def test_an_imported_streak_counts_the_meetings_already_stored(db, tmp_path):
    """February (stored, M1 excused) + March, April, May (imported, M1 excused): four in a row,
    so May fails the excused-streak criterion (RULES.md §5)."""
    assert import_bundle(bundle(tmp_path)).errors == []
    later = tmp_path / "later"
    later.mkdir()
    months = ("03", "04", "05")
    (later / "meetings.csv").write_text(MEETINGS_HEADER + "".join(
        f"P.D.X.C1-2024{m}10-R,P.D.X.C1,regular,2024-{m}-10,,false,false,Họp,Nhà văn hóa,,,"
        "closed,95,true,true,true,true,,\n" for m in months), encoding="utf-8")
    rows = "".join(f"P.D.X.C1-2024{m}10-R,M1,excused,Ốm,false\n" for m in months)
    (later / "attendance.csv").write_text("meeting_code,member_code,status,reason,spoke\n" + rows,
                                          encoding="utf-8")
    assert import_bundle(later).errors == []
    streaks = {code: "excused_streak" in failures for code, failures in Meeting.objects.filter(
        organization__code="P.D.X.C1", status="closed").values_list("code", "quality_failures")}
    assert streaks == {"P.D.X.C1-20240110-R": False, "P.D.X.C1-20240215-T": False,
                       "P.D.X.C1-20240310-R": False, "P.D.X.C1-20240410-R": False,
                       "P.D.X.C1-20240510-R": True}
