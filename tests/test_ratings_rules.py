"""The rating rules (chibo.ratings.rules) at their boundaries, under each rule set: the quota
at exactly 20 %, a discipline in the year, a year under each set, the score bands (90, 89.99,
70, 50), an exempt member, a manifestation concluded by the cell."""

from datetime import date
from decimal import Decimal

import pytest

from chibo.ratings import rules
from chibo.ratings.choices import Level


@pytest.mark.parametrize(("year", "source"), [
    (2019, "132-QĐ/TW"), (2022, "132-QĐ/TW"), (2023, "124-QĐ/TW"), (2024, "124-QĐ/TW"),
    (2025, "366-QĐ/TW"), (2026, "366-QĐ/TW"),
])
def test_a_year_is_judged_by_the_set_in_force_on_its_review_day(year, source):
    assert rules.rule_set(year).source.startswith(source)


def test_the_sets_follow_each_other_by_their_dates():
    days = [rule_set.since for rule_set in rules.RULE_SETS]
    assert days == sorted(days)
    assert rules.rule_set(2023).since == date(2023, 10, 4)


def test_points_exist_from_the_review_of_2025():
    assert rules.scoring(2024) is None
    assert rules.scoring(2025) is not None


@pytest.mark.parametrize(("excellent", "good", "exceeded"), [
    (2, 10, False),  # exactly 20 %
    (3, 10, True),
    (1, 5, False),
    (1, 4, True),
    (0, 0, False),
    (1, 0, True),
])
@pytest.mark.parametrize("year", [2021, 2023, 2025])
def test_the_quota_is_one_excellent_for_five_good(excellent, good, exceeded, year):
    assert rules.quota_exceeded(excellent, good, year) is exceeded
    assert (rules.quota_problem(excellent, good, year, "members") is not None) is exceeded


def test_the_quota_says_how_many_more_excellent_fit():
    assert rules.quota_allows(1, 10, 2025) == 1
    assert rules.quota_allows(2, 10, 2025) == 0
    assert rules.quota_allows(3, 10, 2025) == 0


@pytest.mark.parametrize(("year", "level", "breach"), [
    (2022, Level.GOOD, True), (2022, Level.COMPLETE, False), (2022, Level.NOT_COMPLETE, False),
    (2023, Level.COMPLETE, True), (2023, Level.NOT_COMPLETE, False),
    (2025, Level.COMPLETE, True), (2025, Level.NOT_COMPLETE, False),
])
def test_a_reprimand_in_the_year_caps_the_level(year, level, breach):
    facts = rules.Facts(year=year, level=level, subject_disciplined=True)
    assert bool(rules.breaches(facts, [rules.DISCIPLINED])) is breach
    clean = rules.Facts(year=year, level=Level.EXCELLENT)
    assert rules.breaches(clean, [rules.DISCIPLINED]) == []


@pytest.mark.parametrize(("children", "disciplined", "breach"), [
    (5, 1, False),  # exactly 20 %
    (5, 2, True),
    (10, 2, False),
    (10, 3, True),
    (0, 0, False),
])
def test_an_organization_with_over_a_fifth_of_its_children_disciplined(children, disciplined,
                                                                        breach):
    facts = rules.Facts(year=2024, level=Level.GOOD, is_org=True, children=children,
                        children_disciplined=disciplined)
    assert bool(rules.breaches(facts, [rules.DISCIPLINED])) is breach


@pytest.mark.parametrize(("score", "level"), [
    (Decimal("100"), Level.EXCELLENT), (Decimal("90"), Level.EXCELLENT),
    (Decimal("89.99"), Level.GOOD), (Decimal("70"), Level.GOOD),
    (Decimal("69.99"), Level.COMPLETE), (Decimal("50"), Level.COMPLETE),
    (Decimal("49.99"), Level.NOT_COMPLETE), (Decimal("0"), Level.NOT_COMPLETE),
])
def test_the_score_bands(score, level):
    assert rules.level_of_score(score) == level
    assert rules.score_problem(level, score) is None
    other = Level.GOOD if level != Level.GOOD else Level.EXCELLENT
    assert rules.score_problem(other, score) is not None


def test_a_score_is_judged_in_every_year_and_none_is_never_a_finding():
    for year in (2020, 2023, 2025):
        facts = rules.Facts(year=year, level=Level.EXCELLENT, score=Decimal("89.99"))
        assert [b.key for b in rules.breaches(facts)] == [rules.SCORE]
    assert rules.breaches(rules.Facts(year=2025, level=Level.GOOD)) == []


def test_an_exempt_member_rated_is_a_finding_an_organization_never():
    assert [b.key for b in rules.breaches(rules.Facts(year=2024, level=Level.GOOD,
                                                      exempt=True))] == [rules.EXEMPT]
    assert rules.breaches(rules.Facts(year=2024, level=Level.GOOD, is_org=True,
                                      exempt=True)) == []


def test_a_finding_arises_on_the_decision_else_on_the_review_day():
    facts = rules.Facts(year=2024, level=Level.GOOD, exempt=True)
    assert rules.breaches(facts)[0].day == date(2024, 12, 31)
    decided = rules.Facts(year=2024, level=Level.GOOD, exempt=True,
                          decided_on=date(2025, 1, 10))
    assert rules.breaches(decided)[0].day == date(2025, 1, 10)


def test_a_manifestation_concluded_by_the_cell_forces_not_complete():
    assert rules.proposal_problem(Level.COMPLETE, ["A4"]) is not None
    assert rules.proposal_problem(Level.NOT_COMPLETE, ["A4"]) is None
    assert rules.proposal_problem(Level.EXCELLENT, []) is None
    assert rules.unknown_manifestations(["A4", "Z9", "C10"]) == ["C10", "Z9"]
