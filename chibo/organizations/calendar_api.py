"""API of the working calendar: a year's unusual days and the last day of a deadline, as the
pages show them (read only: corrections are made on the calendar page or by `chibo calendar`)."""

from datetime import date

from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from chibo.core.validation import api_date
from chibo.organizations.calendar import working_calendar

router = Router(tags=["calendar"])


class DayOut(Schema):
    day: date
    working: bool
    name: str = Field(description="the holiday, the swap or the province's reason")
    corrected: bool = Field(description="a correction recorded by the province")


class YearOut(Schema):
    year: int
    working_days: int
    days: list[DayOut] = Field(description="weekdays off and weekend days worked, in order")


class DeadlineIn(Schema):
    start: api_date()
    days: int = Field(ge=1, le=1000, description="N of \"within N working days\"")


class DeadlineOut(Schema):
    start: date
    days: int
    due: date = Field(description="the N-th working day after `start`: the last day allowed")
    working_days_left: int = Field(description="from today to `due` (negative: overdue)")


# /deadline first: the year's path would take the word otherwise
@router.get("/deadline", response=DeadlineOut, summary="The last day of a deadline")
def calendar_deadline(request, query: Query[DeadlineIn]):
    working = working_calendar()
    due = working.nth_working_day_after(query.start, query.days)
    return {"start": query.start, "days": query.days, "due": due,
            "working_days_left": working.working_days_between(timezone.localdate(), due)}


@router.get("/{year}", response=YearOut, summary="A year's working calendar")
def calendar_year(request, year: int = Path(..., ge=1950, le=2100)):
    working = working_calendar()
    return {"year": year, "days": working.exceptions(year),
            "working_days": working.working_days_between(date(year - 1, 12, 31),
                                                         date(year, 12, 31))}
