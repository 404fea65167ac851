"""The badge rules of RULES.md §7 (chibo.badges.rules) at their boundaries: the party age on the
award day against the milestone and the early reason (calendar anniversaries of the first
admission, in chibo.members' years of 365.2425 days, less the days outside the party), the
four award days, the delay after a
reprimand, a warning, a dismissal (the last day within, the first day after)."""

from datetime import date, timedelta

import pytest

from chibo.badges import rules
from chibo.badges.rules import Facts
from chibo.members import queries


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


def test_a_year_of_party_age_is_the_due_lists_year():
    # 45 years are 16,436 days (45 × 365.2425, rounded up), as chibo.members' due list counts.
    needed = queries.years_in_days(45).days
    assert needed == 16436
    assert rules.party_age_problem(Facts(45, date(2016, 11, 7), "", date(1971, 11, 8),
                                         needed)) is None
    assert rules.party_age_problem(Facts(45, date(2016, 11, 7), "", date(1971, 11, 8),
                                         needed - 1))


def test_the_days_outside_the_party_push_the_milestone_back():
    late = date(2025, 5, 19) + timedelta(days=100)
    assert rules.party_age_problem(facts(30, late - timedelta(days=1), outside_days=100))
    assert rules.party_age_problem(facts(30, late, outside_days=100)) is None


@pytest.mark.parametrize(("years", "reason", "months"), [
    (30, "", 0), (30, "ill", 12), (65, "ill", 12), (70, "ill", 24), (90, "ill", 24),
    (30, "posthumous", 12), (70, "posthumous", 12)])
def test_an_early_award_may_come_as_early_as_its_reason_allows(years, reason, months):
    needed = queries.years_in_days(years - months // 12).days
    day, admitted = date(2030, 2, 3), date(1940, 3, 10)
    for age, breaks in ((needed - 1, True), (needed, False), (needed + 1, False)):
        found = rules.party_age_problem(Facts(years, day, reason, admitted, age))
        assert (found is not None) is breaks, (years, reason, age)


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
