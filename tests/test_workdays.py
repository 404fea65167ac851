"""The working calendar the rules' deadlines are counted in (BUNDLE-v2.md, "Working days"):
Vietnam's, its swapped weekend days, a province's corrections; its page, API and command."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chibo.accounts.policy import SYSTEM
from chibo.accounts.services import grant_role
from chibo.audit.models import AuditRecord
from chibo.core.exceptions import PermissionDenied, RuleViolation
from chibo.core.workdays import WorkingCalendar
from chibo.organizations import calendar
from chibo.organizations.models import CalendarDay

D = date
NATIONAL = WorkingCalendar()


# The national calendar -------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "working"), [
    (D(2026, 2, 13), True),   # the Friday before Tết
    (D(2026, 2, 16), False),  # giao thừa, a Monday
    (D(2026, 2, 20), False),  # mùng bốn, a Friday
    (D(2026, 2, 23), True),   # back to work
    (D(2026, 2, 21), False),  # a Saturday
    (D(2025, 4, 26), True),   # a Saturday worked for Friday 2 May 2025
    (D(2025, 5, 2), False),
    (D(2026, 4, 27), False),  # Giỗ Tổ fell on a Sunday: the Monday off in its place
])
def test_a_day_is_worked_as_vietnam_s_calendar_says(day, working):
    assert NATIONAL.is_working_day(day) is working


def test_a_tet_week_inside_a_deadline_pushes_it_back_by_its_working_days():
    # 5 working days from Friday 13/02/2026: Tết takes Monday to Friday of the next week
    assert NATIONAL.nth_working_day_after(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert NATIONAL.nth_working_day_after(D(2026, 2, 13), 5) == D(2026, 2, 27)
    # the same 5 days from a week without holidays end a week after
    assert NATIONAL.nth_working_day_after(D(2026, 3, 6), 5) == D(2026, 3, 13)


def test_within_n_working_days_is_on_or_before_the_n_th_working_day_after():
    start = D(2026, 3, 2)  # a Monday, no holidays for weeks
    last = NATIONAL.nth_working_day_after(start, 60)
    assert NATIONAL.working_days_between(start, last) == 60
    before = NATIONAL.nth_working_day_after(start, 59)
    after = NATIONAL.nth_working_day_after(start, 61)
    assert before < last < after
    assert NATIONAL.within(start, 60, before) and NATIONAL.within(start, 60, last)
    assert not NATIONAL.within(start, 60, after)
    # a weekend day after the 60th is already late: the deadline is a day, not a count
    assert not NATIONAL.within(start, 60, D.fromordinal(last.toordinal() + 1))


def test_a_start_on_a_day_off_counts_from_the_next_working_day():
    assert NATIONAL.nth_working_day_after(D(2026, 2, 14), 1) == D(2026, 2, 23)  # a Saturday


def test_working_days_between_counts_after_the_start_up_to_the_end_and_signs_the_past():
    assert NATIONAL.working_days_between(D(2026, 3, 6), D(2026, 3, 6)) == 0
    assert NATIONAL.working_days_between(D(2026, 3, 6), D(2026, 3, 9)) == 1  # Fri -> Mon
    assert NATIONAL.working_days_between(D(2026, 3, 9), D(2026, 3, 6)) == -1
    assert NATIONAL.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 249


def test_a_deadline_crosses_years():
    assert NATIONAL.nth_working_day_after(D(2025, 12, 30), 2) == D(2026, 1, 2)  # 1/1 off
    assert NATIONAL.nth_working_day_after(D(2026, 1, 2), 2000) > D(2033, 1, 1)


def test_n_below_one_is_refused():
    with pytest.raises(ValueError):
        NATIONAL.nth_working_day_after(D(2026, 3, 2), 0)


def test_a_year_s_unusual_days_are_its_weekdays_off_and_weekend_days_worked():
    days = {d.day: d for d in NATIONAL.exceptions(2025)}
    assert not days[D(2025, 1, 29)].working and "Tết" in days[D(2025, 1, 29)].name
    assert days[D(2025, 4, 26)].working
    assert days[D(2025, 4, 26)].name == "Làm bù cho ngày 02/05/2025"
    assert D(2025, 2, 1) not in days  # mùng bốn fell on a Saturday: nothing unusual
    assert D(2025, 3, 3) not in days


def test_a_correction_overrides_the_national_calendar_both_ways():
    off = WorkingCalendar({D(2026, 3, 10): False}, {D(2026, 3, 10): "Lễ hội tỉnh"})
    assert off.nth_working_day_after(D(2026, 3, 6), 5) == D(2026, 3, 16)  # one day later
    worked = WorkingCalendar({D(2026, 3, 7): True})
    assert worked.nth_working_day_after(D(2026, 3, 6), 5) == D(2026, 3, 12)  # one day earlier
    day = off.describe(D(2026, 3, 10))
    assert (day.working, day.name, day.corrected) == (False, "Lễ hội tỉnh", True)


# The province's corrections --------------------------------------------------------------------

def test_who_manages_the_whole_tree_corrects_the_calendar_and_it_is_audited(world):
    province = world.users["province"]
    correction = calendar.correct_day(D(2026, 3, 10), False, "QĐ 12/UBND", actor=province)
    assert calendar.working_calendar().nth_working_day_after(D(2026, 3, 6), 5) == D(2026, 3, 16)
    calendar.correct_day(D(2026, 3, 10), True, "QĐ 13/UBND: hủy", actor=province)
    assert CalendarDay.objects.get().note == "QĐ 13/UBND: hủy"
    calendar.remove_correction(D(2026, 3, 10), actor=province)
    assert not CalendarDay.objects.exists()
    actions = list(AuditRecord.objects.filter(object_type="organizations.calendarday")
                   .order_by("seq").values_list("action", "object_id", "actor_name"))
    assert actions == [("calendar.correct", str(correction.pk), "province")] * 2 + [
        ("calendar.restore", str(correction.pk), "province")]


@pytest.mark.parametrize("username", ["commune", "inspector", "secretary", "district"])
def test_an_officer_of_part_of_the_tree_cannot_correct_it(world, username):
    if username == "district":  # manages the district's organizations, not the province's
        grant_role(world.users["nobody"], actor=SYSTEM, role="organizer",
                   organization=world.orgs["D1"])
        username = "nobody"
    with pytest.raises(PermissionDenied):
        calendar.correct_day(D(2026, 3, 10), False, "x", actor=world.users[username])
    assert not CalendarDay.objects.exists()


def test_a_correction_needs_its_reason_and_removing_none_is_refused(world):
    with pytest.raises(RuleViolation):
        calendar.correct_day(D(2026, 3, 10), False, "  ", actor=world.users["province"])
    with pytest.raises(RuleViolation):
        calendar.remove_correction(D(2026, 3, 10), actor=world.users["province"])
    assert not CalendarDay.objects.exists()


# The page -------------------------------------------------------------------------------------

def test_the_page_shows_the_year_and_reckons_a_deadline_for_any_officer(world):
    page = world.client("secretary").get(
        "/calendar/?year=2026&start=13/02/2026&days=5")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mùng bốn Tết Nguyên Đán" in text and "249 ngày làm việc" in text
    assert "27/02/2026" in text  # the reckoned deadline
    assert 'name="note"' not in text  # no correcting form for a secretary


def test_the_page_is_behind_sign_in(world):
    page = world.client(None).get("/calendar/")
    assert page.status_code == 302 and page.url.startswith("/accounts/login/")


def test_the_province_officer_corrects_a_day_on_the_page(world):
    client = world.client("province")
    assert 'name="note"' in client.get("/calendar/").content.decode()
    page = client.post("/calendar/", {"day": "10/03/2026", "working": "0",
                                      "note": "Lễ hội tỉnh"})
    assert page.status_code == 302 and page.url == "/calendar/?year=2026"
    assert list(CalendarDay.objects.values_list("day", "working")) == [(D(2026, 3, 10), False)]
    assert "Lễ hội tỉnh" in client.get(page.url).content.decode()
    removed = client.post("/calendar/2026-03-10/remove/")
    assert removed.status_code == 302 and not CalendarDay.objects.exists()


def test_a_correction_without_a_reason_is_shown_on_the_form_and_nothing_written(world):
    page = world.client("province").post("/calendar/", {"day": "10/03/2026", "working": "0",
                                                        "note": ""})
    assert page.status_code == 200 and not CalendarDay.objects.exists()


def test_an_officer_who_may_not_correct_gets_403_and_nothing_is_written(world):
    client = world.client("commune")
    assert client.post("/calendar/", {"day": "10/03/2026", "working": "0",
                                      "note": "x"}).status_code == 403
    calendar.correct_day(D(2026, 3, 10), False, "x", actor=SYSTEM)
    assert client.post("/calendar/2026-03-10/remove/").status_code == 403
    assert CalendarDay.objects.count() == 1
    assert world.client("province").post("/calendar/2026-13-10/remove/").status_code == 404


# The API and the command -----------------------------------------------------------------------

def test_the_api_gives_a_year_and_a_deadline(world):
    client = world.client("secretary")
    year = client.get("/api/v1/calendar/2025").json()
    assert year["working_days"] == 250
    assert {"day": "2025-04-26", "working": True, "name": "Làm bù cho ngày 02/05/2025",
            "corrected": False} in year["days"]
    due = client.get("/api/v1/calendar/deadline?start=2026-02-13&days=5").json()
    assert (due["due"], due["days"]) == ("2026-02-27", 5)
    assert client.get("/api/v1/calendar/deadline?start=2026-02-13&days=0").status_code == 400
    assert client.get("/api/v1/calendar/1800").status_code == 404  # no such year
    assert world.client(None).get("/api/v1/calendar/2025").status_code == 401


def _cli(*args) -> str:
    out = io.StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_the_command_shows_reckons_and_corrects(world):
    assert "Năm 2026 có 249 ngày làm việc." in _cli("show", "--year", "2026")
    assert "Hạn cuối: 27/02/2026" in _cli("deadline", "13/02/2026", "5")
    assert "Lễ hội tỉnh" in _cli("set", "10/03/2026", "--off", "--note", "Lễ hội tỉnh")
    assert "Năm 2026 có 248 ngày làm việc." in _cli("show", "--year", "2026")
    _cli("unset", "2026-03-10")
    assert not CalendarDay.objects.exists()
    with pytest.raises(CommandError) as refused:
        _cli("unset", "2026-03-10")
    assert refused.value.returncode == 2
