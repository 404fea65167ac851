"""The working calendar's contract fixtures: one calendar for the whole tree, read by everyone
signed in, corrected by who manages every root organization (the province's organizer and the
administrator); tests/test_workdays.py checks the rules and the calendar itself."""

from datetime import date

from chibo.accounts.policy import SYSTEM
from chibo.organizations import calendar
from chibo.organizations.models import CalendarDay
from tests.contract.registry import EVERYONE, DomainFixtures, Route, own, register

CORRECTED = date(2026, 3, 10)
CORRECTORS = ("admin", "province")


def build(world, people) -> None:
    calendar.correct_day(CORRECTED, False, "Lễ hội tỉnh", actor=SYSTEM)


def corrections(built) -> list:
    return list(CalendarDay.objects.order_by("day").values_list("day", "working", "note"))


register(DomainFixtures(
    key="calendar", build=build, pages=("calendar",), api=("calendar",),
    routes=(
        Route("calendar:year", "/calendar/?year=2026", **own(EVERYONE), shows="Lễ hội tỉnh"),
        Route("calendar:year", "/calendar/", method="POST",
              body={"day": "11/03/2026", "working": "0", "note": "Ngày nghỉ riêng"},
              **own(CORRECTORS), success=302, state=corrections),
        Route("calendar:remove", "/calendar/2026-03-10/remove/", method="POST",
              **own(CORRECTORS), success=302, state=corrections),
        Route("api:calendar_year", "/api/v1/calendar/2026", **own(EVERYONE),
              shows="Lễ hội tỉnh"),
        Route("api:calendar_deadline", "/api/v1/calendar/deadline?start=2026-02-13&days=5",
              **own(EVERYONE), shows="2026-02-27"),
    ),
))
