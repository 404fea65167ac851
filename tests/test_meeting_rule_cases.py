"""The meeting rules (RULES.md §5, chibo/meetings/rules.py and the judging functions of
chibo/meetings/services.py) pinned on both sides of each boundary, with the words and the
field of each refusal: the cases the mutants of bench/mutation.py (unit "meetings") showed
untested. The rules are pure functions of a meeting's facts, so most cases need no database."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from chibo.core.compliance import Finding, Period, run_checks
from chibo.core.exceptions import RuleViolation
from chibo.meetings import metrics
from chibo.meetings.checks import quarters
from chibo.meetings.choices import AttendanceStatus as S
from chibo.meetings.choices import MeetingKind
from chibo.meetings.models import Meeting
from chibo.meetings.rules import FREQUENCY_SOURCE, QUALITY_RULES, REMOVAL_SOURCE, quality_rule_on
from chibo.meetings.services import (
    AttendanceEntry,
    _check_publish,
    _check_schedule,
    _check_tasks,
    _set_streak,
    assess_quality,
    excused_streak_flags,
    publish_deadline,
)
from tests.test_meetings import close, everyone, schedule

D = date
OLD_RULE, NEW_RULE = QUALITY_RULES  # 12-HD/BTCTW (2018) and 42-HD/BTCTW (28/10/2025)


def refusal(check, *args) -> tuple[str | None, str]:
    """(field, message) of the RuleViolation that `check(*args)` raises."""
    with pytest.raises(RuleViolation) as refused:
        check(*args)
    return refused.value.field, refused.value.messages[0]


# Which version of the rule judges a meeting -------------------------------------------------

@pytest.mark.parametrize(("day", "rule"), [
    (D(2017, 1, 1), OLD_RULE),  # before any version: the oldest
    (D(2018, 7, 6), OLD_RULE),
    (D(2025, 10, 27), OLD_RULE),
    (D(2025, 10, 28), NEW_RULE),  # the new guidance applies from its own day
])
def test_the_rule_in_force_on_a_day(day, rule):
    assert quality_rule_on(day) is rule


# assess_quality ------------------------------------------------------------------------------

def good_meeting(**facts) -> SimpleNamespace:
    """A meeting that passes every criterion but those its `facts` change."""
    return SimpleNamespace(**{
        "date": D(2025, 6, 10), "combined_thematic": False, "duration_minutes": 120,
        "agenda_prepared": True, "committee_prepared": True, "draft_resolution": True,
        "minutes_complete": True, **facts})


def present(n: int, speakers: int) -> list[tuple[str, bool]]:
    return [(S.PRESENT, i < speakers) for i in range(n)]


def test_a_good_meeting_fails_nothing():
    assert assess_quality(good_meeting(), present(10, 10), streak=False) == []


@pytest.mark.parametrize(("attended", "fails"), [(17, True), (18, False)])
def test_attendance_must_be_above_85_percent(attended, fails):
    statuses = present(attended, attended) + [(S.EXCUSED, False)] * (20 - attended)
    failures = assess_quality(good_meeting(), statuses, streak=False)
    assert failures == (["attendance"] if fails else [])  # 17 of 20 is exactly 85 %


@pytest.mark.parametrize(("day", "combined", "minutes", "fails"), [
    (D(2025, 6, 10), False, 89, True), (D(2025, 6, 10), False, 90, False),
    (D(2025, 6, 10), True, 90, False),  # before 28/10/2025 a combined meeting needs 90 too
    (D(2025, 10, 28), True, 119, True), (D(2025, 10, 28), True, 120, False),
    (D(2025, 10, 28), False, 90, False),
    (D(2025, 10, 28), False, None, True),  # no duration recorded
])
def test_duration_at_its_bounds(day, combined, minutes, fails):
    meeting = good_meeting(date=day, combined_thematic=combined, duration_minutes=minutes)
    failures = assess_quality(meeting, present(10, 10), streak=False)
    assert failures == (["duration"] if fails else [])


@pytest.mark.parametrize(("attended", "speakers", "fails"), [
    (10, 2, True), (10, 3, False),  # 30 % of 10 is 3
    (37, 11, True), (37, 12, False),  # 30 % of 37 is 11.1: 12 must speak
    (3, 1, True), (3, 2, False),  # at least 2 speak, even when 30 % is fewer
    (1, 1, False),  # when everyone present spoke, there were enough speakers
])
def test_speakers_at_their_bounds(attended, speakers, fails):
    failures = assess_quality(good_meeting(), present(attended, speakers), streak=False)
    assert failures == (["speakers"] if fails else [])


def test_every_criterion_is_named_in_order():
    meeting = good_meeting(duration_minutes=30, agenda_prepared=False, minutes_complete=False)
    statuses = [(S.PRESENT, False), (S.UNEXCUSED, False), (S.EXEMPT, False)]
    assert assess_quality(meeting, statuses, streak=True) == [
        "attendance", "unexcused", "excused_streak", "duration", "preparation", "speakers",
        "minutes"]


# Excused absences in a row ---------------------------------------------------------------------

def test_an_excused_run_is_flagged_at_its_fourth_meeting_in_the_year():
    closed = [(month, D(2025, month, 5), {7}) for month in (1, 2, 3, 4)]
    assert excused_streak_flags(closed) == {4}


def test_an_excused_run_starts_again_with_the_year():
    closed = [(1, D(2024, 10, 5), {7}), (2, D(2024, 11, 5), {7}), (3, D(2024, 12, 5), {7}),
              (4, D(2025, 1, 5), {7})]
    assert excused_streak_flags(closed) == set()


def test_setting_the_streak_reports_whether_the_failures_changed():
    meeting = SimpleNamespace(quality_failures=["minutes"], quality_passed=False)
    assert _set_streak(meeting, False) is False
    assert _set_streak(meeting, True) is True
    assert meeting.quality_failures == ["excused_streak", "minutes"]  # the criteria's order
    meeting = SimpleNamespace(quality_failures=["excused_streak"], quality_passed=False)
    assert _set_streak(meeting, False) is True
    assert (meeting.quality_failures, meeting.quality_passed) == ([], True)


# Documents reach members a day before ----------------------------------------------------------

def test_documents_are_published_at_the_latest_the_day_before():
    meeting = SimpleNamespace(date=D(2026, 3, 10))
    assert publish_deadline(meeting) == D(2026, 3, 9)
    _check_publish(meeting, datetime(2026, 3, 9, 12, tzinfo=UTC))
    assert refusal(_check_publish, meeting, datetime(2026, 3, 10, 12, tzinfo=UTC)) == (
        "publish", "Tài liệu phải công bố cho đảng viên ít nhất một ngày trước buổi sinh hoạt "
                   "(chậm nhất ngày 09/03/2026).")


# Tasks given at a closing -------------------------------------------------------------------

def test_tasks_are_given_to_the_cells_members_with_words_and_a_day_not_before_the_meeting():
    meeting = SimpleNamespace(date=D(2026, 3, 10))
    lan = SimpleNamespace(pk=1, member_code="M001", full_name="Nông Thị Lan")

    def task(description="Vận động thu quỹ", due_on=date(2026, 3, 10), member=lan):
        return SimpleNamespace(member=member, description=description, due_on=due_on)

    _check_tasks(meeting, [task()], {1})
    assert refusal(_check_tasks, meeting, [task()], {2}) == (
        "tasks", "Chỉ giao nhiệm vụ cho đảng viên của chi bộ; M001 không phải.")
    assert refusal(_check_tasks, meeting, [task(description="  ")], {1}) == (
        "tasks", "Cần ghi nội dung nhiệm vụ giao cho Nông Thị Lan.")
    assert refusal(_check_tasks, meeting, [task(due_on=D(2026, 3, 9))], {1}) == (
        "tasks", "Thời hạn nhiệm vụ không thể trước ngày sinh hoạt.")


# Scheduling ---------------------------------------------------------------------------------

def planned(org, **facts) -> SimpleNamespace:
    return SimpleNamespace(**{
        "organization": org, "date": D(2026, 3, 10), "kind": MeetingKind.REGULAR,
        "combined_thematic": False, "topic": "Sinh hoạt tháng 3", "place": "Nhà văn hoá",
        "online_link": "", **facts})


@pytest.mark.django_db
def test_a_schedule_is_refused_with_the_rules_words_and_field(world):
    cell = world.orgs["D1.X1.C1"]  # Chi bộ thôn Đồng Mạ, founded 01/01/1990
    _check_schedule(planned(cell))
    _check_schedule(planned(cell, place=" ", online_link="https://meet.example.vn/a"))
    _check_schedule(planned(cell, combined_thematic=True))
    cases = [
        (planned(world.orgs["D1.X1"]), "organization",
         "Chỉ chi bộ mới tổ chức sinh hoạt chi bộ; Đảng bộ xã An Phú không phải chi bộ."),
        (planned(cell, date=D(1989, 12, 31)), "date",
         "Chi bộ Chi bộ thôn Đồng Mạ không tồn tại vào ngày 31/12/1989."),
        (planned(cell, kind="weekly"), "kind", "Loại sinh hoạt không hợp lệ."),
        (planned(cell, kind=MeetingKind.THEMATIC, combined_thematic=True), "combined_thematic",
         "Chỉ buổi sinh hoạt thường kỳ mới kết hợp sinh hoạt chuyên đề."),
        (planned(cell, topic="  "), "topic", "Cần ghi chủ đề buổi sinh hoạt."),
        (planned(cell, place=" ", online_link=" "), "place",
         "Cần ghi địa điểm hoặc đường dẫn họp trực tuyến."),
        (planned(cell, online_link="javascript:alert(1)"), "online_link",
         "Đường dẫn họp trực tuyến phải là địa chỉ web bắt đầu bằng http:// hoặc https://."),
    ]
    for meeting, field, message in cases:
        assert refusal(_check_schedule, meeting) == (field, message)


# The compliance checks (chibo/meetings/checks.py): each finding read whole ---------------------

def findings_of(org, period, key):
    return run_checks(org, period, [key])


@pytest.mark.django_db
def test_a_month_is_judged_once_it_is_over_not_on_its_last_day(world, people):
    c2 = Finding("meetings.no_regular", "D1.X1.C2", "Chi bộ thôn Nà Khà", "04/2026", "D1.X1.C2",
                 "Không sinh hoạt thường kỳ trong tháng 04/2026", FREQUENCY_SOURCE)
    c1 = Finding("meetings.no_regular", "D1.X1.C1", "Chi bộ thôn Đồng Mạ", "04/2026", "D1.X1.C1",
                 "Không sinh hoạt thường kỳ trong tháng 04/2026", FREQUENCY_SOURCE)
    commune = world.orgs["D1.X1"]
    assert findings_of(commune, Period(2026, 4, D(2026, 4, 30)), "meetings.no_regular") == []
    assert findings_of(commune, Period(2026, 4, D(2026, 5, 1)), "meetings.no_regular") == [c1, c2]
    # Only a closed meeting in the month counts: one scheduled, one closed in May do not.
    schedule(world, day=D(2026, 4, 20))
    close(schedule(world, day=D(2026, 5, 4)), people)
    assert findings_of(commune, Period(2026, 4, D(2026, 5, 5)), "meetings.no_regular") == [c1, c2]


def test_the_quarters_wholly_inside_a_stretch():
    assert quarters(D(2026, 1, 1), D(2026, 6, 30)) == [
        (1, D(2026, 1, 1), D(2026, 3, 31)), (2, D(2026, 4, 1), D(2026, 6, 30))]
    assert quarters(D(2026, 1, 2), D(2026, 6, 29)) == []


@pytest.mark.django_db
def test_a_thematic_finding_for_the_quarter_of_the_month_asked(world, people):
    cell = world.orgs["D1.X1.C2"]

    def quarters_found(period):
        return [f.period for f in findings_of(cell, period, "meetings.no_thematic")]

    assert findings_of(cell, Period(2026, None, D(2026, 5, 15)), "meetings.no_thematic") == [
        Finding("meetings.no_thematic", "D1.X1.C2", "Chi bộ thôn Nà Khà", "Q1/2026", "D1.X1.C2",
                "Không sinh hoạt chuyên đề trong quý Q1/2026", FREQUENCY_SOURCE)]
    late = D(2026, 12, 1)
    assert quarters_found(Period(2026, 1, late)) == ["Q1/2026"]
    assert quarters_found(Period(2026, 3, late)) == ["Q1/2026"]
    assert quarters_found(Period(2026, 4, late)) == ["Q2/2026"]


@pytest.fixture
def lan_absent(world, people):
    """Lan absent without reason on 1 January, twice in February (a regular and an
    extraordinary meeting) and on 8 March 2026: three months, four absences."""
    held = []
    for day, kind in [(D(2026, 1, 1), "regular"), (D(2026, 2, 8), "regular"),
                      (D(2026, 2, 20), "extraordinary"), (D(2026, 3, 8), "regular")]:
        held.append(close(schedule(world, day=day, kind=kind), people, duration_minutes=130,
                          attendance=everyone(people, lan=("unexcused", ""))))
    return held


@pytest.mark.django_db
def test_the_removal_rule_counts_months_from_the_first_of_january(world, lan_absent):
    assert findings_of(world.orgs["TQ"], Period(2026, None, D(2026, 5, 15)),
                       "members.unexcused_absences") == [
        Finding("members.unexcused_absences", "D1.X1.C1", "Chi bộ thôn Đồng Mạ", "2026",
                "M001 Nông Thị Lan", "Vắng sinh hoạt không có lý do trong 3 tháng của năm 2026: "
                "xem xét xóa tên", REMOVAL_SOURCE)]


@pytest.mark.django_db
def test_a_meeting_below_quality_reads_its_day_criteria_and_rule(world, lan_absent):
    found = findings_of(world.orgs["D1.X1.C1"], Period(2026, 1, D(2026, 5, 15)),
                        "meetings.below_quality")
    assert [tuple(vars(f).values()) for f in found] == [(
        "meetings.below_quality", "D1.X1.C1", "Chi bộ thôn Đồng Mạ", "01/01/2026",
        lan_absent[0].code, "Tỷ lệ đảng viên dự sinh hoạt không vượt quá 85 %; "
        "Có đảng viên vắng mặt không có lý do", "42-HD/BTCTW (28/10/2025)")]
    # A criterion no longer known (an older bundle) reads as its code.
    Meeting.objects.filter(pk=lan_absent[0].pk).update(quality_failures=["retired"])
    found = findings_of(world.orgs["D1.X1.C1"], Period(2026, 1, D(2026, 5, 15)),
                        "meetings.below_quality")
    assert [f.detail for f in found] == ["retired"]


@pytest.mark.django_db
def test_the_removal_rule_reads_the_members_with_their_cells_in_one_query(
        world, lan_absent, django_assert_num_queries):
    from chibo.meetings.checks import removal_rule

    # Three whatever the number of members (none per member): no cell is read one by one.
    with django_assert_num_queries(3):
        found = removal_rule(world.orgs["TQ"], Period(2026, None, D(2026, 5, 15)))
    assert [f.org_name for f in found] == ["Chi bộ thôn Đồng Mạ"]


@pytest.mark.django_db
def test_an_attendance_list_is_refused_with_the_rules_words(world, people):
    from chibo.meetings.services import AttendanceEntry, _check_attendance

    meeting = schedule(world, day=D(2026, 3, 10))
    full = everyone(people)
    lan, yen = people["lan"], people["yen"]
    cases = [
        (full + [AttendanceEntry(yen, S.PRESENT)],
         "M008 không phải đảng viên của chi bộ vào ngày 10/03/2026; không thể ghi điểm danh."),
        (full + [AttendanceEntry(lan, S.PRESENT)], "Nông Thị Lan được ghi điểm danh hai lần."),
        ([AttendanceEntry(lan, "asleep"), *full[1:]],
         "Tình trạng dự sinh hoạt của Nông Thị Lan không hợp lệ."),
        ([AttendanceEntry(lan, S.EXEMPT), *full[1:]],
         "Nông Thị Lan không thuộc diện miễn sinh hoạt."),
        ([AttendanceEntry(lan, S.EXCUSED, " "), *full[1:]], "Cần ghi lý do vắng của Nông Thị Lan."),
        (full[2:], "Chưa ghi điểm danh cho: Nông Thị Lan, Ma Văn Thắng."),
    ]
    for entries, message in cases:
        assert refusal(_check_attendance, meeting, entries) == ("attendance", message)
    excused = [AttendanceEntry(lan, S.EXCUSED, "Ốm"), *full[1:]]
    assert [e.status for e in _check_attendance(meeting, excused)] == [
        S.EXCUSED, S.PRESENT, S.PRESENT, S.PRESENT, S.PRESENT]


@pytest.mark.parametrize("key", metrics.KEYS)
def test_a_metric_answers_under_its_own_key(world, key):
    result = metrics.compute(key, world.orgs["D2"], date(2026, 1, 1), date(2026, 4, 30))
    assert (result.key, result.value) == (key, 0)


def test_the_meetings_held_come_by_day_then_by_code(world, people):
    """Two meetings of one day, the thematic one held first, and one of another cell whose
    code sorts last: the list follows the days, then the codes."""
    for kind in (MeetingKind.THEMATIC, MeetingKind.REGULAR):
        close(schedule(world, kind=kind, day=date(2026, 3, 10)), people)
    c2 = schedule(world, cell="D1.X1.C2", day=date(2026, 2, 20))
    close(c2, people, attendance=[AttendanceEntry(people[name], S.PRESENT, "", True)
                                  for name in ("binh", "cuong")])
    held = metrics.held_meetings(world.orgs["D1"], date(2026, 1, 1), date(2026, 3, 31))
    assert [m.code for m in held] == ["D1.X1.C2-20260220-R", "D1.X1.C1-20260310-R",
                                      "D1.X1.C1-20260310-T"]


def test_an_exempt_member_is_recorded_exempt_whether_left_out_or_listed(world, people):
    """Hoa is exempt from February: left out of the list, or listed as present, she is recorded
    exempt, with no reason and no word; the others must all be listed."""
    from chibo.accounts.policy import SYSTEM
    from chibo.meetings.services import _check_attendance
    from chibo.members import services as member_services

    hoa = people["hoa"]
    member_services.record_event(hoa, actor=SYSTEM, event="exempt", effective_on=D(2026, 2, 1))
    meeting = schedule(world, day=D(2026, 3, 10))
    listed = everyone(people)
    others = [entry for entry in listed if entry.member != hoa]
    for entries in (others, listed):
        recorded = {e.member.member_code: (e.status, e.reason, e.spoke)
                    for e in _check_attendance(meeting, entries)}
        assert recorded == {"M001": (S.PRESENT, "", True), "M002": (S.PRESENT, "", True),
                            "M003": (S.PRESENT, "", True), "M004": (S.PRESENT, "", True),
                            "M005": (S.EXEMPT, "", False)}
    with pytest.raises(RuleViolation) as refused:
        _check_attendance(meeting, others[1:])
    assert refused.value.messages == ["Chưa ghi điểm danh cho: Nông Thị Lan."]


# Meeting metrics (docs/metrics-meetings.md): the cases the mutants of the unit
# "meeting-metrics" showed untested. Numbers by hand from the definitions: full months, cells
# expected to meet (kind, established on or before the first day of the first full month, active
# members on the last day of the last full month, placed as on that day), a regular meeting held
# in every full month. In the `people` world D1.X1.C1 (five members) and D1.X1.C2 (two) are the
# cells with members; D1.X1.C3 has none.

def jan_to(last_month: int, year: int = 2026) -> list[tuple[date, date]]:
    import calendar

    return [(D(year, m, 1), D(year, m, calendar.monthrange(year, m)[1]))
            for m in range(1, last_month + 1)]


@pytest.mark.parametrize(("date_from", "date_to", "months"), [
    (D(2026, 1, 1), D(2026, 3, 31), jan_to(3)),
    (D(2026, 1, 2), D(2026, 3, 31), jan_to(3)[1:]),  # from the 2nd: January is not whole
    (D(2026, 1, 1), D(2026, 3, 30), jan_to(2)),  # to the day before March's last
    (D(2025, 11, 1), D(2026, 2, 28),  # across the new year: December, then January
     [(D(2025, 11, 1), D(2025, 11, 30)), (D(2025, 12, 1), D(2025, 12, 31)), *jan_to(2)]),
    (D(2025, 12, 1), D(2027, 1, 31),
     [(D(2025, 12, 1), D(2025, 12, 31)), *jan_to(12), (D(2027, 1, 1), D(2027, 1, 31))]),
    (D(2026, 1, 2), D(2026, 1, 31), []),
])
def test_the_full_months_of_a_period(date_from, date_to, months):
    assert metrics.full_months(date_from, date_to) == months


def test_records_of_an_unknown_key_name_the_key():
    with pytest.raises(KeyError) as unknown:
        metrics.records(None, D(2026, 1, 1), D(2026, 3, 31), "meetings.held.weekly")
    assert unknown.value.args == ("meetings.held.weekly",)


C2_PRESENT = ("binh", "cuong")


def held(world, people, day, cell="D1.X1.C1", kind=MeetingKind.REGULAR, **extra):
    """A closed meeting of `cell` (D1.X1.C1 or D1.X1.C2), everyone present."""
    meeting = schedule(world, cell=cell, day=day, kind=kind, **extra)
    attendance = everyone(people) if cell == "D1.X1.C1" else [
        AttendanceEntry(people[name], S.PRESENT, "", True) for name in C2_PRESENT]
    return close(meeting, people, attendance=attendance)


def every_month(world, code, date_from, date_to) -> tuple[int, int, list[str]]:
    """(meetings.cells, meetings.cells_every_month, the codes of the latter's records)."""
    org = world.org(code)
    cells = metrics.compute("meetings.cells", org, date_from, date_to).value
    result = metrics.compute("meetings.cells_every_month", org, date_from, date_to)
    return cells, result.value, [c.code for c in result.records]


def test_a_month_with_only_a_thematic_meeting_is_not_met_nor_made_up_by_two_in_another(
        world, people):
    """January: two regular meetings; February: a thematic one only; March: a regular one. Two
    of the three months were met: not every month, however many meetings in all."""
    for day in (D(2026, 1, 8), D(2026, 1, 20), D(2026, 3, 8)):
        held(world, people, day)
    held(world, people, D(2026, 2, 8), kind=MeetingKind.THEMATIC)
    q1 = D(2026, 1, 1), D(2026, 3, 31)
    assert every_month(world, "D1.X1", *q1) == (2, 0, [])
    assert every_month(world, "D1.X1", D(2026, 3, 1), D(2026, 3, 31)) == (2, 1, ["D1.X1.C1"])
    held(world, people, D(2026, 2, 20))  # a regular meeting in February too
    assert every_month(world, "D1.X1", *q1) == (2, 1, ["D1.X1.C1"])
    assert every_month(world, "D1", *q1) == (2, 1, ["D1.X1.C1"])


def test_a_regular_meeting_outside_the_full_months_makes_up_for_none(world, people):
    """Regular meetings on 20 January, 8 February, 8 March and 5 May; none in April."""
    for day in (D(2026, 1, 20), D(2026, 2, 8), D(2026, 3, 8), D(2026, 5, 5)):
        held(world, people, day)
    # From 15 January: February to April are full, April was not met (20 January is not in
    # a full month); to 10 May: February to April again, 5 May is not in a full month.
    assert every_month(world, "D1.X1", D(2026, 1, 15), D(2026, 4, 30)) == (2, 0, [])
    assert every_month(world, "D1.X1", D(2026, 2, 1), D(2026, 5, 10)) == (2, 0, [])
    assert every_month(world, "D1.X1", D(2026, 1, 15), D(2026, 3, 31)) == (2, 1, ["D1.X1.C1"])
    assert every_month(world, "D1.X1", D(2026, 2, 1), D(2026, 3, 31)) == (2, 1, ["D1.X1.C1"])


def test_a_cell_is_expected_to_meet_when_established_by_the_first_full_months_first_day(
        world, people):
    """Two cells with a member each: one established on 1 January 2026 (the first day of the
    first full month: expected), one on 2 January (not expected over January to March, expected
    over February to March)."""
    from tests.conftest import admit, make_org

    commune = world.orgs["D1.X1"]
    for code, founded, member in [("D1.X1.C4", D(2026, 1, 1), "M101"),
                                  ("D1.X1.C5", D(2026, 1, 2), "M102")]:
        cell = make_org(code, f"Chi bộ {code}", "cell", commune, established_on=founded)
        admit(member, f"Đảng viên {member}", cell, admitted_on=founded)

    def cells(date_from, date_to):
        result = metrics.compute("meetings.cells", commune, date_from, date_to)
        return result.value, [c.code for c in result.records]

    assert cells(D(2026, 1, 1), D(2026, 3, 31)) == (3, ["D1.X1.C1", "D1.X1.C2", "D1.X1.C4"])
    assert cells(D(2026, 1, 2), D(2026, 3, 31)) == (
        4, ["D1.X1.C1", "D1.X1.C2", "D1.X1.C4", "D1.X1.C5"])


def move(world, code, to, day):
    from chibo.accounts.policy import SYSTEM
    from chibo.organizations import services as org_services

    org_services.move_organization(world.org(code), actor=SYSTEM, new_parent=world.org(to),
                                   effective_on=day)


@pytest.mark.parametrize(("moved_on", "in_x1", "in_x2"), [
    (D(2026, 3, 31), 1, 1),  # in D1.X2 on 31 March, the last day of the last full month
    (D(2026, 4, 1), 2, 0),  # still in D1.X1 on 31 March
    (D(2026, 4, 10), 2, 0),  # moved within the period, after its full months
])
def test_a_cell_is_expected_where_it_lay_on_the_last_day_of_the_full_months(
        world, people, moved_on, in_x1, in_x2):
    move(world, "D1.X1.C1", "D1.X2", moved_on)
    a, b = D(2026, 1, 1), D(2026, 4, 15)  # full months: January to March
    assert [metrics.compute("meetings.cells", world.orgs[code], a, b).value
            for code in ("D1.X1", "D1.X2", "D1")] == [in_x1, in_x2, 2]
    assert metrics.counts([world.orgs["D1"].pk], [world.orgs["D1"].pk], a, b,
                          ["meetings.cells"])[world.orgs["D1"].pk] == {"meetings.cells": 2}


def test_a_cell_moved_on_the_first_of_a_month_adds_up_its_months_on_both_sides(world, people):
    """D1.X1.C1 moves to D1.X2 on 1 March and meets every month, January to April: it met
    every month, where it lay on 30 April (D1.X2), two months on each side of the move."""
    for month in (1, 2, 3, 4):
        held(world, people, D(2026, month, 8))
    move(world, "D1.X1.C1", "D1.X2", D(2026, 3, 1))
    a, b = D(2026, 1, 1), D(2026, 4, 30)
    assert every_month(world, "D1.X2", a, b) == (1, 1, ["D1.X1.C1"])
    assert every_month(world, "D1.X1", a, b) == (1, 0, [])  # D1.X1.C2, which never met
    assert every_month(world, "D1", a, b) == (2, 1, ["D1.X1.C1"])
    # Through May, a full month without a meeting: not every month.
    assert every_month(world, "D1.X2", a, D(2026, 5, 31)) == (1, 0, [])


def test_a_cell_that_moved_in_the_middle_of_two_months_met_in_each_of_them(world, people):
    """D1.X1.C1 moves to D1.X2 on 15 February and back on 15 March (two split months), and
    holds a regular meeting on 8 January, 8 February (before the first move), 20 March (after
    the second) and 8 April: four months met out of four."""
    for day in (D(2026, 1, 8), D(2026, 2, 8), D(2026, 3, 20), D(2026, 4, 8)):
        held(world, people, day)
    move(world, "D1.X1.C1", "D1.X2", D(2026, 2, 15))
    move(world, "D1.X1.C1", "D1.X1", D(2026, 3, 15))
    a, b = D(2026, 1, 1), D(2026, 4, 30)
    assert every_month(world, "D1.X1", a, b) == (2, 1, ["D1.X1.C1"])
    assert every_month(world, "D1.X2", a, b) == (0, 0, [])
    assert metrics.compute("meetings.held", world.orgs["D1.X2"], a, b).value == 0
    # Over February and March alone: both split months met.
    assert every_month(world, "D1.X1", D(2026, 2, 1), D(2026, 3, 31)) == (2, 1, ["D1.X1.C1"])


def test_the_meetings_of_two_cells_count_each_for_its_own_cell(world, people):
    """One meeting of D1.X1.C1 and two of D1.X1.C2 in March, asked per cell at once."""
    held(world, people, D(2026, 3, 10))
    held(world, people, D(2026, 3, 12), cell="D1.X1.C2")
    held(world, people, D(2026, 3, 20), cell="D1.X1.C2")
    c1, c2 = world.orgs["D1.X1.C1"].pk, world.orgs["D1.X1.C2"].pk
    values = metrics.counts([world.orgs["D1.X1"].pk], [c1, c2], D(2026, 3, 1), D(2026, 3, 31),
                            ["meetings.held", "meetings.attendance.expected"])
    assert values == {c1: {"meetings.held": 1, "meetings.attendance.expected": 5},
                      c2: {"meetings.held": 2, "meetings.attendance.expected": 4}}


def test_the_meetings_held_on_one_day_come_by_code(world, people):
    """One day: a regular meeting of D1.X1.C2 scheduled first, then a regular and an
    extraordinary one of D1.X1.C1: by code, D1.X1.C1's two (B before R), then D1.X1.C2's."""
    c2 = held(world, people, D(2026, 3, 10), cell="D1.X1.C2")
    regular = held(world, people, D(2026, 3, 10))
    extraordinary = held(world, people, D(2026, 3, 10), kind=MeetingKind.EXTRAORDINARY)
    listed = metrics.held_meetings(world.orgs["D1"], D(2026, 3, 1), D(2026, 3, 31))
    assert [m.code for m in listed] == [extraordinary.code, regular.code, c2.code] == [
        "D1.X1.C1-20260310-B", "D1.X1.C1-20260310-R", "D1.X1.C2-20260310-R"]
