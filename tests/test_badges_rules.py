"""The badge rules of RULES.md §7 (chibo.badges.rules) at their boundaries: the party age on the
award day against the milestone and the early reason (calendar anniversaries of the first
admission, pushed back by the days outside the party), the four award days, the delay after a
reprimand, a warning, a dismissal (the last day within, the first day after)."""

from datetime import date, timedelta

import pytest

from chibo.badges import rules
from chibo.badges.rules import Facts


def facts(years, awarded_on, *, reason="", admitted=date(1995, 5, 19), outside_days=0,
          disciplines=()):
    days = (awarded_on - admitted).days - outside_days
    return Facts(years=years, awarded_on=awarded_on, early_reason=reason,
                 first_admitted_on=admitted, party_age_days=max(days, 0),
                 disciplines=tuple(disciplines))


def keys(f: Facts) -> list[str]:
    return [breach.key for breach in rules.breaches(f)]


@pytest.mark.parametrize(("awarded_on", "breaks"), [
    (date(2025, 5, 18), True), (date(2025, 5, 19), False), (date(2025, 5, 20), False)])
def test_thirty_years_are_reached_on_the_anniversary(awarded_on, breaks):
    found = rules.party_age_problem(facts(30, awarded_on))
    assert (found is not None) is breaks


def test_the_anniversary_counts_calendar_years_whatever_the_leap_days():
    # 1993-05-19 to 2023-05-19 holds 7 leap days only: still 30 years.
    assert rules.party_age_problem(facts(30, date(2023, 5, 19), admitted=date(1993, 5, 19))) \
        is None


def test_the_days_outside_the_party_push_the_milestone_back():
    late = date(2025, 5, 19) + timedelta(days=100)
    assert rules.party_age_problem(facts(30, late - timedelta(days=1), outside_days=100))
    assert rules.party_age_problem(facts(30, late, outside_days=100)) is None


@pytest.mark.parametrize(("years", "reason", "months"), [
    (30, "", 0), (30, "ill", 12), (65, "ill", 12), (70, "ill", 24), (90, "ill", 24),
    (30, "posthumous", 12), (70, "posthumous", 12)])
def test_an_early_award_may_come_as_early_as_its_reason_allows(years, reason, months):
    admitted = date(1940, 3, 10)
    due = date(1940 + years, 3, 10)
    earliest = date(due.year - months // 12, 3, 10)
    assert rules.party_age_problem(facts(years, earliest, reason=reason,
                                         admitted=admitted)) is None
    assert rules.party_age_problem(facts(years, earliest - timedelta(days=1), reason=reason,
                                         admitted=admitted))


@pytest.mark.parametrize(("day", "breaks"), [
    (date(2025, 2, 3), False), (date(2025, 5, 19), False), (date(2025, 9, 2), False),
    (date(2025, 11, 7), False), (date(2025, 2, 4), True), (date(2025, 9, 1), True),
    (date(2025, 6, 6), True)])
def test_the_award_days(day, breaks):
    assert (rules.day_problem(facts(30, day)) is not None) is breaks


@pytest.mark.parametrize(("form", "months"), [("reprimand", 6), ("warning", 9),
                                               ("dismissal", 12)])
def test_the_delay_after_a_discipline(form, months):
    decided = date(2025, 1, 10)
    last_within = date(2025 + (months // 12), 1 + months % 12, 10)
    for day, breaks in ((decided - timedelta(days=1), False), (decided, True),
                        (last_within, True), (last_within + timedelta(days=1), False)):
        found = rules.discipline_problem(facts(30, day, admitted=date(1990, 1, 1),
                                               disciplines=[(decided, form)]))
        assert (found is not None) is breaks, (form, day)


def test_an_annulled_or_expulsion_form_delays_nothing():
    assert rules.discipline_problem(facts(30, date(2025, 2, 3), admitted=date(1990, 1, 1),
                                          disciplines=[(date(2025, 1, 10), "expulsion")])) \
        is None


def test_one_badge_can_break_the_three_rules_at_once():
    f = facts(30, date(2025, 5, 18), disciplines=[(date(2025, 1, 10), "warning")])
    assert keys(f) == list(rules.KEYS)
    assert all(breach.day == date(2025, 5, 18) for breach in rules.breaches(f))
