"""The discipline and inspection rules (chibo.inspection.rules) at their boundaries: before, at
and after each day that changes the answer."""

from datetime import date, timedelta

import pytest

from chibo.core.workdays import WorkingCalendar
from chibo.inspection import rules
from chibo.inspection.choices import AppealOutcome, Form

D = date


# --- rule sets by date ------------------------------------------------------------------------

def test_rule_set_is_chosen_by_the_day():
    assert rules.rule_set(D(2022, 7, 5)).since == date.min
    assert rules.rule_set(D(2022, 7, 6)).since == D(2022, 7, 6)
    assert "264" not in rules.rule_set(D(2025, 2, 13)).source
    assert "264" in rules.rule_set(D(2025, 2, 14)).source


# --- forms a subject may receive -------------------------------------------------------------

def test_a_probationary_member_only_reprimand_or_warning():
    day = D(2025, 6, 1)
    assert rules.forms_allowed(False, True, True, day) == (Form.REPRIMAND, Form.WARNING)
    assert rules.probationary_form(Form.REPRIMAND, True, day) is None
    assert rules.probationary_form(Form.WARNING, True, day) is None
    assert rules.probationary_form(Form.DISMISSAL, True, day)
    assert rules.probationary_form(Form.EXPULSION, True, day)
    assert rules.probationary_form(Form.EXPULSION, False, day) is None


def test_an_official_member_and_dismissal_needs_a_post():
    day = D(2025, 6, 1)
    assert rules.forms_allowed(False, False, True, day) == (
        Form.REPRIMAND, Form.WARNING, Form.DISMISSAL, Form.EXPULSION)
    assert rules.forms_allowed(False, False, False, day) == (
        Form.REPRIMAND, Form.WARNING, Form.EXPULSION)
    assert rules.dismissal_post(Form.DISMISSAL, False, D(2025, 6, 10))
    assert "09/06/2025" in rules.dismissal_post(Form.DISMISSAL, False, D(2025, 6, 10))
    assert rules.dismissal_post(Form.DISMISSAL, True, D(2025, 6, 10)) is None
    assert rules.dismissal_post(Form.WARNING, False, D(2025, 6, 10)) is None


def test_an_organization_reprimand_warning_or_dissolution():
    assert rules.forms_allowed(True, False, False, D(2025, 1, 1)) == (
        Form.REPRIMAND, Form.WARNING, Form.DISSOLUTION)
    assert rules.form_fits_subject(Form.DISSOLUTION, True) is None
    assert rules.form_fits_subject(Form.EXPULSION, True)
    assert rules.form_fits_subject(Form.DISMISSAL, True)
    assert rules.form_fits_subject(Form.DISSOLUTION, False)
    assert rules.form_fits_subject(Form.EXPULSION, False) is None


# --- limitation, to the day --------------------------------------------------------------------

@pytest.mark.parametrize(("form", "years"), [(Form.REPRIMAND, 5), (Form.WARNING, 10),
                                             (Form.DISMISSAL, 10)])
def test_limitation_before_at_after_the_anniversary(form, years):
    violation = D(2014, 3, 15)
    anniversary = D(2014 + years, 3, 15)
    assert rules.limitation_ends(form, violation) == anniversary
    assert rules.limitation(form, violation, anniversary - timedelta(days=1)) is None
    assert rules.limitation(form, violation, anniversary)
    assert rules.limitation(form, violation, anniversary + timedelta(days=1))


def test_a_warning_is_within_limitation_after_five_years():
    assert rules.limitation(Form.WARNING, D(2014, 3, 15), D(2019, 3, 15)) is None


@pytest.mark.parametrize("form", [Form.EXPULSION, Form.DISSOLUTION])
def test_no_limitation_for_expulsion_and_dissolution(form):
    assert rules.limitation_ends(form, D(1990, 1, 1)) is None
    assert rules.limitation(form, D(1990, 1, 1), D(2025, 1, 1)) is None


def test_limitation_from_29_february_ends_on_28_february():
    assert rules.limitation_ends(Form.REPRIMAND, D(2020, 2, 29)) == D(2025, 2, 28)
    assert rules.limitation(Form.REPRIMAND, D(2020, 2, 29), D(2025, 2, 27)) is None
    assert rules.limitation(Form.REPRIMAND, D(2020, 2, 29), D(2025, 2, 28))


def test_the_example_limitation_case():
    # province-99-v2 KL007: a reprimand decided 6 years after the violation.
    assert rules.limitation(Form.REPRIMAND, D(2017, 4, 23), D(2023, 6, 2))


# --- authority -------------------------------------------------------------------------------

def test_a_cell_reprimands_or_warns_its_own_members():
    day = D(2025, 1, 1)
    assert rules.authority(Form.REPRIMAND, True, True, day) is None
    assert rules.authority(Form.WARNING, True, True, day) is None
    assert rules.authority(Form.DISMISSAL, True, True, day)
    assert rules.authority(Form.EXPULSION, True, True, day)
    assert rules.authority(Form.REPRIMAND, True, False, day)
    words = rules.authority(Form.EXPULSION, True, False, day)
    assert "khai trừ" in words and "không phải đảng viên của chi bộ" in words


def test_a_committee_above_a_cell_is_not_judged_by_the_cell_rule():
    assert rules.authority(Form.EXPULSION, False, False, D(2025, 1, 1)) is None


# --- appeal window in working days -------------------------------------------------------------

def test_appeal_within_30_working_days():
    calendar = WorkingCalendar()
    received = D(2025, 3, 3)  # a Monday; 6 weeks and a day: Hùng Kings' day, 7/4, is off
    deadline = rules.appeal_deadline(calendar, received)
    assert deadline == D(2025, 4, 15)
    assert calendar.working_days_between(received, deadline) == 30
    assert rules.appeal_late(calendar, received, deadline - timedelta(days=1)) is None
    assert rules.appeal_late(calendar, received, deadline) is None
    assert "15/04/2025" in rules.appeal_late(calendar, received, deadline + timedelta(days=1))


def test_holidays_and_a_corrected_calendar_move_the_appeal_deadline():
    # 30/4 and 1/5 (and the swapped 2/5/2025) are days off: the window reaches further.
    assert rules.appeal_deadline(WorkingCalendar(), D(2025, 4, 14)) > D(2025, 5, 26)
    corrected = WorkingCalendar({D(2025, 3, 4): False})  # a province's own day off
    assert rules.appeal_deadline(corrected, D(2025, 3, 3)) == D(2025, 4, 16)
    assert rules.appeal_late(corrected, D(2025, 3, 3), D(2025, 4, 16)) is None


def test_an_appeal_without_its_receipt_day_is_judged_from_the_decision():
    calendar = WorkingCalendar()
    decided = D(2025, 3, 3)  # the 30th working day after it: 15/04/2025
    assert rules.appeal_in_time(calendar, decided, None, D(2025, 4, 15)) is None
    words = rules.appeal_in_time(calendar, decided, None, D(2025, 4, 16))
    assert "ghi ngày nhận quyết định" in words
    # received a week later: the same day is in time, the window runs from the receipt
    assert rules.appeal_in_time(calendar, decided, D(2025, 3, 10), D(2025, 4, 16)) is None
    assert rules.appeal_in_time(calendar, decided, D(2025, 3, 10), D(2025, 4, 22)) is None
    assert "quá thời hạn" in rules.appeal_in_time(calendar, decided, D(2025, 3, 10),
                                                   D(2025, 4, 23))


def test_a_receipt_day_lies_between_the_decision_and_the_appeal():
    calendar = WorkingCalendar()
    assert "trước ngày quyết định" in rules.appeal_in_time(calendar, D(2025, 3, 3),
                                                            D(2025, 3, 2), D(2025, 3, 5))
    assert "trước ngày nhận quyết định" in rules.appeal_in_time(calendar, D(2025, 3, 3),
                                                                 D(2025, 3, 6), D(2025, 3, 5))
    assert rules.appeal_in_time(calendar, D(2025, 3, 3), D(2025, 3, 3), D(2025, 3, 3)) is None


# --- date order and consistency ------------------------------------------------------------------

def test_discipline_dates_in_order():
    assert rules.discipline_dates(D(2025, 1, 1), D(2025, 1, 1), D(2025, 1, 1)) is None
    assert rules.discipline_dates(D(2025, 1, 2), D(2025, 1, 1), None)
    assert rules.discipline_dates(D(2025, 1, 1), D(2025, 1, 2), D(2025, 1, 1))
    assert rules.discipline_dates(D(2025, 1, 1), D(2025, 1, 2), None, D(2025, 1, 1))
    assert rules.discipline_dates(D(2025, 1, 1), D(2025, 1, 2), None, D(2025, 1, 2)) is None
    assert rules.discipline_dates(D(2025, 1, 1), D(2025, 1, 2), None, D(2025, 1, 5),
                                  D(2025, 1, 4))


def test_inspection_and_conclusion_dates():
    assert rules.inspection_dates(D(2025, 1, 2), None) is None
    assert rules.inspection_dates(D(2025, 1, 2), D(2025, 1, 2)) is None
    assert rules.inspection_dates(D(2025, 1, 2), D(2025, 1, 1))
    assert rules.conclusion_dates(D(2025, 1, 2), "", None) is None
    assert rules.conclusion_dates(D(2025, 1, 2), "violation", None)
    assert rules.conclusion_dates(D(2025, 1, 2), "", D(2025, 1, 3))
    assert rules.conclusion_dates(D(2025, 1, 2), "violation", D(2025, 1, 1))
    assert rules.conclusion_dates(D(2025, 1, 2), "violation", D(2025, 1, 2)) is None
    assert rules.conclusion_dates(D(2025, 1, 2), "bogus", D(2025, 1, 2))


def test_body_fits_the_organization():
    for kind in ("cell", "grassroots_cell", "partial_committee"):
        assert rules.body_fits(kind, "committee") is None
        assert rules.body_fits(kind, "standing_committee")
        assert rules.body_fits(kind, "inspection_commission")
    assert rules.body_fits("grassroots_committee", "inspection_commission") is None


def test_appeal_consistency():
    ok = rules.appeal_consistent
    assert ok(None, "", None, "", Form.WARNING, False) is None
    assert ok(None, AppealOutcome.UPHELD, D(2025, 1, 5), "", Form.WARNING, False)
    assert ok(D(2025, 1, 2), "", None, "", Form.WARNING, False) is None  # pending
    assert ok(D(2025, 1, 2), AppealOutcome.UPHELD, None, "", Form.WARNING, False)
    assert ok(D(2025, 1, 2), AppealOutcome.CHANGED, D(2025, 1, 5), "", Form.WARNING, False)
    assert ok(D(2025, 1, 2), AppealOutcome.UPHELD, D(2025, 1, 5), Form.REPRIMAND,
              Form.WARNING, False)
    assert ok(D(2025, 1, 2), AppealOutcome.CHANGED, D(2025, 1, 5), Form.WARNING,
              Form.WARNING, False)
    assert ok(D(2025, 1, 2), AppealOutcome.CHANGED, D(2025, 1, 5), Form.DISSOLUTION,
              Form.WARNING, False)
    assert ok(D(2025, 1, 2), AppealOutcome.CHANGED, D(2025, 1, 5), Form.EXPULSION,
              Form.WARNING, False) is None


def test_standing_form_and_the_ending_day():
    assert rules.standing_form(Form.WARNING, "", "") == Form.WARNING
    assert rules.standing_form(Form.WARNING, AppealOutcome.UPHELD, "") == Form.WARNING
    assert rules.standing_form(Form.WARNING, AppealOutcome.CHANGED, Form.EXPULSION) == \
        Form.EXPULSION
    assert rules.standing_form(Form.EXPULSION, AppealOutcome.ANNULLED, "") == ""
    end = rules.ending_event_day
    assert end(Form.EXPULSION, None, D(2025, 1, 1), "", "", None) == D(2025, 1, 1)
    assert end(Form.EXPULSION, D(2025, 1, 9), D(2025, 1, 1), "", "", None) == D(2025, 1, 9)
    assert end(Form.EXPULSION, None, D(2025, 1, 1), AppealOutcome.ANNULLED, "",
               D(2025, 2, 1)) is None
    assert end(Form.WARNING, None, D(2025, 1, 1), AppealOutcome.CHANGED, Form.EXPULSION,
               D(2025, 2, 1)) == D(2025, 2, 1)
    assert end(Form.DISSOLUTION, None, D(2025, 1, 1), "", "", None) == D(2025, 1, 1)
    assert end(Form.WARNING, None, D(2025, 1, 1), "", "", None) is None


# --- the findings together ---------------------------------------------------------------------

def test_breaches_of_one_decision():
    facts = rules.Facts(form=Form.DISMISSAL, subject_is_org=False, violation_on=D(2010, 1, 1),
                        decided_on=D(2021, 1, 1), probationary=True, decider_is_cell=True,
                        own_member=True, holds_post=False)
    assert [b.key for b in rules.breaches(facts)] == [
        rules.AUTHORITY, rules.DISMISSAL_POST, rules.LIMITATION, rules.PROBATIONARY_FORM]
    assert {b.day for b in rules.breaches(facts)} == {D(2021, 1, 1)}
    clean = rules.Facts(form=Form.REPRIMAND, subject_is_org=False, violation_on=D(2020, 1, 1),
                        decided_on=D(2021, 1, 1))
    assert rules.breaches(clean) == []


def test_an_organization_is_judged_by_limitation_and_authority_only():
    facts = rules.Facts(form=Form.WARNING, subject_is_org=True, violation_on=D(2010, 1, 1),
                        decided_on=D(2020, 1, 1), probationary=True, holds_post=False)
    assert [b.key for b in rules.breaches(facts)] == [rules.LIMITATION]
