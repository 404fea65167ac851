"""The dues rules at their boundaries (chibo.dues.rules): a month is charged at the rule in
force on its first day — the day a rule takes effect, the month before and after, for each
category; the configuration shipped (RULES.md §6); a share of the basis rounded half up; what
is unpaid on a day; which years `dues.unpaid` judges."""

from datetime import date
from decimal import Decimal

import pytest

from chibo.dues import rules
from chibo.dues.config import install_defaults, load_rates

D = date
OLD = rules.Rule("342-QĐ/TW", D(2011, 4, 1), {
    "salary": rules.Rate("342-QĐ/TW", D(2011, 4, 1), percent=Decimal(1)),
    "student": rules.Rate("342-QĐ/TW", D(2011, 4, 1), amount=3000)})
NEW = rules.Rule("01-QĐ/TW", D(2026, 3, 1), {
    "salary": rules.Rate("01-QĐ/TW", D(2026, 3, 1), percent=Decimal(1)),
    "pension": rules.Rate("01-QĐ/TW", D(2026, 3, 1), percent=Decimal("0.5")),
    "student": rules.Rate("01-QĐ/TW", D(2026, 3, 1), amount=5000)})
RATES = rules.Rates([NEW, OLD])


@pytest.mark.parametrize("day, rule", [
    (D(2011, 3, 31), None), (D(2011, 4, 1), "342-QĐ/TW"), (D(2026, 2, 28), "342-QĐ/TW"),
    (D(2026, 3, 1), "01-QĐ/TW"), (D(2026, 3, 2), "01-QĐ/TW")])
def test_the_rule_in_force_on_a_day(day, rule):
    found = RATES.rule_on(day)
    assert (found.name if found else None) == rule


@pytest.mark.parametrize("category, basis, month, due", [
    ("student", None, D(2026, 2, 1), 3000), ("student", None, D(2026, 3, 1), 5000),
    ("salary", 6_000_000, D(2026, 2, 1), 60000), ("salary", 6_000_000, D(2026, 3, 1), 60000),
    ("pension", 8_200_000, D(2026, 2, 1), None),  # 342 here sets no rate for it
    ("pension", 8_200_000, D(2026, 3, 1), 41000),
    ("pension", None, D(2026, 3, 1), None),  # a share of a basis not known
    ("other", None, D(2026, 3, 1), None),  # no rate for the category
    ("salary", 6_000_000, D(2011, 3, 1), None),  # before any rule
    ("", 6_000_000, D(2026, 3, 1), None),
])
def test_each_category_at_the_boundary_of_a_new_rule(category, basis, month, due):
    assert RATES.due(category, basis, month) == due


def test_a_rule_taking_effect_during_a_month_charges_the_months_after_it():
    mid = rules.Rates([OLD, rules.Rule("01", D(2026, 2, 3), {
        "student": rules.Rate("01", D(2026, 2, 3), amount=5000)})])
    assert mid.due("student", None, D(2026, 2, 1)) == 3000
    assert mid.rule_on(D(2026, 2, 3)).name == "01"  # in force that day …
    assert mid.due("student", None, D(2026, 3, 1)) == 5000  # … charging from March


def test_a_share_of_the_basis_is_rounded_half_up():
    rate = rules.Rate("x", D(2026, 1, 1), percent=Decimal("0.5"))
    assert rate.due(8_200_101) == 41001  # 41,000.505
    assert rate.due(8_200_100) == 41001  # 41,000.5
    assert rate.due(8_200_099) == 41000


def test_a_payment_that_is_not_the_rate_is_found_and_one_that_is_not_known_is_not():
    assert rules.amount_problem(RATES, category="student", basis=None, month=D(2026, 3, 1),
                                amount=5000) is None
    assert "5.000" in rules.amount_problem(RATES, category="student", basis=None,
                                           month=D(2026, 3, 1), amount=4000)
    assert rules.amount_problem(RATES, category="other", basis=None, month=D(2026, 3, 1),
                                amount=1) is None


def test_the_configuration_shipped(db):
    install_defaults()  # a transactional test before may have emptied the tables
    rates = load_rates()
    assert [rule.name for rule in rates.rules] == ["342-QĐ/TW", "01-QĐ/TW"]
    # 01-QĐ/TW of 3/2/2026 charges from March 2026.
    assert rates.due("student", None, D(2026, 2, 1)) is None
    assert rates.due("student", None, D(2026, 3, 1)) == 5000
    assert rates.due("pension", 8_200_000, D(2026, 3, 1)) == 41000
    assert rates.due("benefit", 5_000_000, D(2026, 3, 1)) == 50000
    assert rates.due("benefit", 5_000_000, D(2026, 2, 1)) is None
    assert rates.due("salary", 7_000_000, D(2011, 4, 1)) == 70000
    assert rates.due("salary", 7_000_000, D(2011, 3, 1)) is None


def test_a_month_is_unpaid_once_it_has_ended_and_until_it_is_paid():
    owed = [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]
    paid = {D(2026, 2, 1): D(2026, 4, 10)}
    assert rules.unpaid(owed, paid, D(2026, 3, 31)) == [D(2026, 1, 1), D(2026, 2, 1)]
    assert rules.unpaid(owed, paid, D(2026, 4, 1)) == owed
    assert rules.unpaid(owed, paid, D(2026, 4, 10)) == [D(2026, 1, 1), D(2026, 3, 1)]


@pytest.mark.parametrize("today, horizon, kept_from, years", [
    (D(2026, 12, 4), D(2026, 6, 1), None, (1900, 2025)),
    (D(2027, 12, 31), D(2026, 6, 1), None, (1900, 2025)),
    (D(2027, 1, 1), D(2026, 12, 1), D(2025, 1, 1), (2025, 2026)),
    (D(2026, 12, 31), D(2026, 12, 1), D(2025, 3, 1), (2025, 2025)),
])
def test_the_years_the_unpaid_finding_judges(today, horizon, kept_from, years):
    found = rules.judged_years(today, horizon, kept_from)
    assert (found[0], found[-1]) == years
    assert rules.judged_years(today, None, kept_from) == range(0)
