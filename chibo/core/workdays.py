"""Working days, as the rules count their deadlines (BUNDLE-v2.md, "Working days"): Monday to
Friday less Vietnam's public holidays and Tết, plus the weekend days the government makes working
in exchange for a day off; and a province's own corrections, day by day (`overrides`).

The `holidays` package carries Vietnam's calendar, swapped days included (26/04/2025, a
Saturday, worked for Friday 02/05/2025). What it cannot know — a holiday announced late, a
province's own day off — a province records as data (chibo.organizations.calendar).

"Within N working days of A" means on or before the N-th working day after A. Deadlines are read
for thousands of records at a time (every candidate of a province), so each year's working days
are listed once and a deadline is a lookup, not a walk through the days.
"""

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import holidays
from django.utils.translation import gettext as _

# A deadline is at most a few hundred working days away: the years listed around it.
_YEARS_AHEAD = 3


@dataclass(frozen=True)
class Day:
    """One day of the calendar as a person reads it."""

    day: date
    working: bool
    name: str  # the holiday's name, the swap's reason, or the province's note; "" otherwise
    corrected: bool  # the province's own correction


@dataclass
class WorkingCalendar:
    """Vietnam's working days with a province's corrections (day -> working or not)."""

    overrides: Mapping[date, bool] = field(default_factory=dict)
    notes: Mapping[date, str] = field(default_factory=dict)
    _years: dict[int, list[int]] = field(default_factory=dict, repr=False)
    _spans: dict[tuple[int, int], list[int]] = field(default_factory=dict, repr=False)

    @cached_property
    def _national(self) -> holidays.HolidayBase:
        return holidays.country_holidays("VN", language="vi")

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return self._national.is_working_day(day)

    def describe(self, day: date) -> Day:
        working = self.is_working_day(day)
        corrected = day in self.overrides
        if corrected:
            name = self.notes.get(day, "")
        elif day in self._national:
            name = self._national.get(day)
        elif working and day.weekday() >= 5:
            name = self._swapped_for(day)
        else:
            name = ""
        return Day(day, working, name, corrected)

    def _swapped_for(self, day: date) -> str:
        """A weekend day worked: the day off it was exchanged for, as the national calendar
        names it ("Ngày nghỉ (thay cho ngày 22/08/2026)")."""
        written = day.strftime("%d/%m/%Y")
        for other in sorted(self._national.get_named(written, lookup="contains") or ()):
            return _("Làm bù cho ngày %(day)s") % {"day": other.strftime("%d/%m/%Y")}
        return str(_("Làm bù"))

    def exceptions(self, year: int) -> list[Day]:
        """The days of `year` that are not what their weekday says: weekdays off and weekend
        days worked, national or corrected, in order."""
        days = []
        current = date(year, 1, 1)
        while current.year == year:
            if self.is_working_day(current) == (current.weekday() >= 5) or \
                    current in self.overrides:
                days.append(self.describe(current))
            current += timedelta(days=1)
        return days

    def _working(self, year: int) -> list[int]:
        """The ordinals of `year`'s working days, in order (listed once per year)."""
        if year not in self._years:
            first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
            self._years[year] = [n for n in range(first, last + 1)
                                 if self.is_working_day(date.fromordinal(n))]
        return self._years[year]

    def _span(self, first: int, last: int) -> list[int]:
        """The working days of the years `first` to `last`, in order, listed once per span
        (a province's thousands of deadlines fall in a few spans)."""
        if (first, last) not in self._spans:
            self._spans[first, last] = [n for year in range(first, last + 1)
                                        for n in self._working(year)]
        return self._spans[first, last]

    def nth_working_day_after(self, start: date, n: int) -> date:
        """The n-th working day after `start` (n ≥ 1): the last day of "within n working days
        of `start`"."""
        if n < 1:
            raise ValueError("n must be at least 1")
        years = _YEARS_AHEAD
        while True:
            days = self._span(start.year, start.year + years)
            index = bisect_right(days, start.toordinal()) + n - 1
            if index < len(days):
                return date.fromordinal(days[index])
            years *= 2

    def working_days_between(self, start: date, end: date) -> int:
        """The working days after `start` up to and including `end` (negative when `end` is
        before `start`): on the deadline's own day, `working_days_between(start, deadline)`
        is n."""
        if end < start:
            return -self.working_days_between(end, start)
        days = self._span(start.year, end.year)
        return bisect_right(days, end.toordinal()) - bisect_right(days, start.toordinal())

    def within(self, start: date, n: int, day: date) -> bool:
        """Whether `day` falls within n working days of `start`."""
        return day <= self.nth_working_day_after(start, n)
