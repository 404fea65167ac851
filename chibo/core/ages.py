"""Completed ages as conditions on a birth date, one definition for the statistics' age bands
and the member list's filter (a birthday on the day itself already counts)."""

from datetime import date

from django.db.models import Q


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_q(day: date, low: int | None, high: int | None, prefix: str = "") -> Q:
    """Completed age on `day` in [low, high]: born on or before `day` less `low` years, and after
    `day` less `high + 1` years (born 29 February: the year completes on 1 March)."""
    condition = Q()
    if low is not None:
        condition &= Q(**{f"{prefix}birth_date__lte": years_before(day, low)})
    if high is not None:
        condition &= Q(**{f"{prefix}birth_date__gt": years_before(day, high + 1)})
    return condition
