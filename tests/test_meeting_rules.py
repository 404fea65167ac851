"""What the meeting rules make visible: `chibo check` findings and the meeting metrics, with
the tree as it was on each meeting's day."""

import io
import json

import pytest
from django.core.management import call_command

from chibo.accounts.policy import SYSTEM
from chibo.core.compliance import CHECKS, Period, run_checks
from chibo.meetings import metrics, services
from chibo.meetings.choices import GuestRole
from chibo.organizations import services as org_services
from tests.conftest import D
from tests.test_meetings import close, everyone, schedule

TODAY = D(2026, 5, 15)


def hold(world, people, day, **extra):
    attendance = extra.pop("attendance", None) or everyone(people)
    return close(schedule(world, day=day, **{k: v for k, v in extra.items()
                                             if k in ("kind", "combined_thematic", "is_model")}),
                 people, attendance=attendance,
                 **{k: v for k, v in extra.items() if k == "duration_minutes"})


def keys(findings):
    return sorted((f.check, f.subject, f.period) for f in findings)


@pytest.fixture
def year(world, people):
    """D1.X1.C1 meets every month from January to April 2026, with a thematic meeting in Q1
    (combined with February's regular one); Lan is absent without reason in Jan, Feb, Apr."""
    held = {}
    for month in (1, 2, 3, 4):
        status = ("unexcused", "") if month in (1, 2, 4) else ("present", "")
        held[month] = hold(world, people, D(2026, month, 8), combined_thematic=month == 2,
                           duration_minutes=130, attendance=everyone(people, lan=status))
    return held


def test_cells_without_a_regular_meeting_in_a_finished_month(world, people, year):
    findings = run_checks(world.orgs["D1.X1"], Period(2026, None, TODAY), ["meetings.no_regular"])
    # C1 met every month; C2 has members and never met; C3 has no members (not expected).
    assert keys(findings) == [("meetings.no_regular", "D1.X1.C2", f"{m:02d}/2026")
                              for m in (1, 2, 3, 4)]
    may = run_checks(world.orgs["D1.X1"], Period(2026, 5, TODAY), ["meetings.no_regular"])
    assert may == []  # May is not over yet


def test_cells_without_a_thematic_meeting_in_a_quarter(world, people, year):
    findings = run_checks(world.orgs["D1"], Period(2026, None, D(2026, 12, 1)),
                          ["meetings.no_thematic"])
    assert ("meetings.no_thematic", "D1.X1.C2", "Q1/2026") in keys(findings)
    assert ("meetings.no_thematic", "D1.X1.C1", "Q1/2026") not in keys(findings)
    assert ("meetings.no_thematic", "D1.X1.C1", "Q2/2026") in keys(findings)
    assert not [f for f in findings if f.period == "Q4/2026"]  # not finished on 1/12


def test_meetings_below_quality_and_the_removal_rule(world, people, year):
    findings = run_checks(world.orgs["TQ"], Period(2026, None, TODAY),
                          ["meetings.below_quality", "members.unexcused_absences"])
    below = [f for f in findings if f.check == "meetings.below_quality"]
    assert sorted(f.subject for f in below) == [year[m].code for m in (1, 2, 4)]
    assert "không có lý do" in below[0].detail
    removal = [f for f in findings if f.check == "members.unexcused_absences"]
    assert [f.subject for f in removal] == ["M001 Nông Thị Lan"]
    assert "3 tháng" in removal[0].detail and "Điều 8" in removal[0].source
    other = run_checks(world.orgs["D2"], Period(2026, None, TODAY), ["members.unexcused_absences"])
    assert other == []


def test_chibo_check_exits_1_with_findings_and_prints_json(world, people, year):
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("compliance_check", "--org", "D1.X1.C1", "--year", "2026", "--today",
                     "2026-05-15", "--format", "json", stdout=out)
    assert exit_.value.code == 1
    data = json.loads(out.getvalue())
    assert data["count"] == len(data["findings"]) > 0
    assert {f["check"] for f in data["findings"]} >= {"meetings.below_quality",
                                                      "members.unexcused_absences"}
    table = io.StringIO()
    call_command("compliance_check", "--org", "D1.X1.C1", "--year", "2026", "--month", "3",
                 "--today", "2026-05-15", "--checks", "meetings.no_regular", stdout=table)
    assert "không có vấn đề" in table.getvalue()
    assert set(CHECKS) >= {"meetings.no_regular", "meetings.no_thematic",
                           "meetings.below_quality", "members.unexcused_absences"}


def test_metrics_count_meetings_by_kind_attendance_and_visits(world, people, year):
    services.add_guest(year[3], actor=SYSTEM, role=GuestRole.HIGHER_LEVEL,
                       full_name="Hà Văn Sơn", title="Phó Bí thư Đảng ủy xã",
                       org=world.orgs["D1.X1"])
    services.add_guest(year[3], actor=SYSTEM, role=GuestRole.INVITED_SECRETARY,
                       full_name="Lê Văn Bình", org=world.orgs["D1.X1.C2"])
    org, a, b = world.orgs["D1"], D(2026, 1, 1), D(2026, 4, 30)
    value = {key: metrics.compute(key, org, a, b).value for key in metrics.KEYS}
    assert value["meetings.held"] == 4 and value["meetings.held.regular"] == 4
    assert value["meetings.held.thematic"] == 1 and value["meetings.held.extraordinary"] == 0
    assert value["meetings.below_quality"] == 3
    # 17 of 20 members counted attended (85 %): four meetings of five members, Lan unexcused
    # three times
    assert value["meetings.attendance.present"] == 17
    assert value["meetings.attendance.expected"] == 20
    assert value["meetings.guest_visits"] == 1
    assert value["meetings.cells"] == 2 and value["meetings.cells_every_month"] == 1
    records = metrics.compute("meetings.cells_every_month", org, a, b).records
    assert [c.code for c in records] == ["D1.X1.C1"]
    nothing = metrics.compute("meetings.held", world.orgs["D2"], a, b)
    assert nothing.value == 0 and not nothing.records.exists()


def test_visits_follow_the_guests_who_came(world, people):
    """A meeting stores its visits for the statistics: an official invited but marked absent at
    the closing is none, one who came after the closing is one, an invited secretary is none."""
    meeting = schedule(world, day=D(2026, 3, 10))
    invited = services.add_guest(meeting, actor=SYSTEM, role=GuestRole.HIGHER_LEVEL,
                                 full_name="Hà Văn Sơn", org=world.orgs["D1.X1"])
    assert meeting.visits == 1
    meeting = close(meeting, people, absent_guest_ids=[invited.pk])
    org, a, b = world.orgs["D1"], D(2026, 3, 1), D(2026, 3, 31)

    def visits() -> tuple[int, int]:
        result = metrics.compute("meetings.guest_visits", org, a, b)
        return result.value, result.records.count()

    assert meeting.visits == 0 and visits() == (0, 0)
    services.add_guest(meeting, actor=SYSTEM, role=GuestRole.HIGHER_LEVEL,
                       full_name="Lý Thị Mai", org=world.orgs["D1"])
    services.add_guest(meeting, actor=SYSTEM, role=GuestRole.INVITED_SECRETARY,
                       full_name="Lê Văn Bình", org=world.orgs["D1.X1.C2"])
    meeting.refresh_from_db()
    assert meeting.visits == 1 and visits() == (1, 1)


def test_a_meeting_counts_where_its_cell_was_on_the_meeting_day(world, people, year):
    org_services.move_organization(world.orgs["D1.X1.C1"], actor=SYSTEM,
                                   new_parent=world.orgs["D1.X2"], effective_on=D(2026, 3, 1))
    a, b = D(2026, 1, 1), D(2026, 4, 30)
    assert metrics.compute("meetings.held", world.orgs["D1.X1"], a, b).value == 2  # Jan, Feb
    assert metrics.compute("meetings.held", world.orgs["D1.X2"], a, b).value == 2  # Mar, Apr
    assert metrics.compute("meetings.held", world.orgs["D1"], a, b).value == 4
