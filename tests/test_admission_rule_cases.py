"""The admission rules (chibo/admission/rules.py, RULES.md §1) judged without a database: each
rule on both sides of its bound, with its words and its day. The cases the mutants of
bench/mutation.py (unit "admission") asked for.

The rules read a stand-in calendar whose n-th working day after A is A + n days, so that a
deadline can be written down; the real count of working days is tested in
tests/test_admission.py. The subtree search that reads the facts (chibo.admission.findings)
runs on the named world."""

from datetime import date as D
from datetime import timedelta

import pytest

from chibo.accounts.policy import SYSTEM
from chibo.admission import services
from chibo.admission.findings import find
from chibo.admission.models import Candidate
from chibo.admission.rules import (
    AGE,
    BACKGROUND,
    CEREMONY_LATE,
    CERTIFICATE,
    DECISION_LATE,
    KEYS,
    OFFICIAL_DATE,
    SPONSORS,
    VOTE,
    Facts,
    Sponsor,
    breaches,
    ceremony_deadline,
    certificate_expires,
    decision_deadline,
    official_day,
    vote_passes,
)
from chibo.findings.services import Decision
from chibo.organizations.calendar import working_calendar

RESOLUTION = D(2025, 1, 2)
GOOD = (Sponsor("M1", True, True), Sponsor("M2", True, True))


class DaysCalendar:
    """Every day is a working day; counts the questions it is asked."""

    def __init__(self):
        self.asked = []

    def nth_working_day_after(self, start, n):
        self.asked.append((start, n))
        return start + timedelta(days=n)


def facts(**changes) -> Facts:
    """A candidate who breaks no rule, but for `changes`."""
    clean = {"birth_date": D(1998, 4, 2), "awareness_course_on": D(2024, 3, 1),
             "background_checked_on": D(2024, 12, 1), "sponsors": GOOD,
             "cell_resolution_on": RESOLUTION, "cell_votes_for": 4, "cell_votes_total": 5,
             "decision_on": D(2025, 2, 1), "ceremony_on": D(2025, 2, 20),
             "recognized_on": D(2026, 2, 20)}
    return Facts(**{**clean, **changes})


def judged(key, today=None, **changes) -> list[tuple]:
    """The breaches of rule `key` as (key, day, words)."""
    return [(b.key, b.day, b.detail)
            for b in breaches(facts(**changes), DaysCalendar(), today, (key,))]


def test_a_clean_candidate_breaks_nothing_and_a_file_without_a_resolution_is_not_judged():
    assert breaches(facts(), DaysCalendar(), D(2026, 6, 1)) == []
    everything_wrong = facts(cell_resolution_on=None, birth_date=D(2015, 1, 1),
                             awareness_course_on=None, background_checked_on=None, sponsors=())
    assert breaches(everything_wrong, DaysCalendar(), D(2026, 6, 1)) == []


def test_every_rule_is_judged_by_default_and_the_breaches_come_in_key_order():
    found = breaches(facts(birth_date=D(2015, 1, 1), awareness_course_on=None,
                           background_checked_on=None, sponsors=(), cell_votes_for=1,
                           decision_on=D(2025, 6, 1), ceremony_on=D(2025, 8, 1),
                           recognized_on=D(2026, 8, 2)), DaysCalendar(), None)
    assert [b.key for b in found] == sorted(KEYS)
    assert {b.day for b in found} == {RESOLUTION}


@pytest.mark.parametrize(("birth_date", "exception_no", "words"), [
    (D(2007, 1, 10), "", None),  # 18 years to the month: the day of the month does not count
    (D(2007, 2, 1), "", "khi 17 tuổi 11 tháng"),
    (D(2007, 2, 1), "12-CV/TU", "khi 17 tuổi 11 tháng"),  # the exception is for over 60 only
    (D(1965, 1, 28), "", None),  # 60 years to the month
    (D(1964, 12, 1), "", "khi 60 tuổi 1 tháng"),
    (D(1964, 12, 1), "12-CV/TU", None),
])
def test_the_age_from_18_to_60_counted_by_month(birth_date, exception_no, words):
    found = judged(AGE, birth_date=birth_date, age_exception_no=exception_no)
    expected = [] if words is None else [
        (AGE, RESOLUTION, f"Chi bộ xét kết nạp ngày 02/01/2025 {words} (tính theo tháng).")]
    assert found == expected


def test_the_certificate_expires_on_its_5th_anniversary():
    assert certificate_expires(D(2020, 3, 1)) == D(2025, 3, 1)
    assert certificate_expires(D(2020, 2, 29)) == D(2025, 2, 28)
    course = D(2020, 3, 1)
    assert judged(CERTIFICATE, awareness_course_on=course, decision_on=D(2025, 2, 28)) == []
    assert judged(CERTIFICATE, awareness_course_on=course, decision_on=D(2025, 3, 1)) == [
        (CERTIFICATE, RESOLUTION, "Quyết định kết nạp ngày 01/03/2025 khi giấy chứng nhận ngày "
                                  "01/03/2020 đã hết hạn (01/03/2025).")]
    # No decision yet: an old certificate breaks nothing so far.
    assert judged(CERTIFICATE, awareness_course_on=D(2010, 1, 1), decision_on=None) == []
    assert judged(CERTIFICATE, awareness_course_on=None) == [
        (CERTIFICATE, RESOLUTION, "Không có giấy chứng nhận học lớp nhận thức về Đảng.")]


def test_the_background_is_checked_by_the_resolution_day():
    assert judged(BACKGROUND, background_checked_on=RESOLUTION) == []
    assert judged(BACKGROUND, background_checked_on=D(2025, 1, 3)) == [
        (BACKGROUND, RESOLUTION,
         "Lý lịch thẩm tra xong ngày 03/01/2025, sau khi chi bộ xét ngày 02/01/2025.")]
    assert judged(BACKGROUND, background_checked_on=None) == [
        (BACKGROUND, RESOLUTION, "Lý lịch chưa được thẩm tra xong.")]


@pytest.mark.parametrize(("sponsors", "youth", "problems"), [
    (GOOD, False, None),
    (GOOD[:1], True, None),  # the youth union stands for one member
    (GOOD[:1], False, "1 người giới thiệu"),
    ((), True, "1 người giới thiệu"),
    ((), False, "0 người giới thiệu"),
    ((Sponsor("M1", False, True), GOOD[1]), False, "M1 chưa là đảng viên chính thức"),
    ((GOOD[0], Sponsor("M2", True, False)), False, "M2 thuộc đảng bộ cơ sở khác"),
    ((Sponsor("M1", False, False),), False,
     "1 người giới thiệu; M1 chưa là đảng viên chính thức; M1 thuộc đảng bộ cơ sở khác"),
])
def test_two_official_sponsors_of_the_same_grassroots_organization(sponsors, youth, problems):
    found = judged(SPONSORS, sponsors=sponsors, youth_union_sponsor=youth)
    expected = [] if problems is None else [
        (SPONSORS, RESOLUTION, f"Người giới thiệu khi chi bộ xét ngày 02/01/2025: {problems}.")]
    assert found == expected


@pytest.mark.parametrize(("votes_for", "votes_total", "passes"), [
    (4, 6, True), (3, 6, False), (2, 3, True), (1, 2, False), (5, 5, True), (0, 1, False),
])
def test_two_thirds_exactly_pass(votes_for, votes_total, passes):
    assert vote_passes(votes_for, votes_total) is passes
    expected = [] if passes else [(VOTE, RESOLUTION, f"Nghị quyết chi bộ ngày 02/01/2025: "
                                                     f"{votes_for}/{votes_total} đảng viên chính "
                                                     f"thức tán thành.")]
    assert judged(VOTE, cell_votes_for=votes_for, cell_votes_total=votes_total) == expected


@pytest.mark.parametrize("missing", ["cell_votes_for", "cell_votes_total"])
def test_a_vote_not_recorded_breaks_nothing(missing):
    assert judged(VOTE, **{"cell_votes_for": 0, "cell_votes_total": 5, missing: None}) == []


def test_the_deadlines_count_60_and_30_working_days_and_each_is_asked_once():
    calendar = DaysCalendar()
    assert decision_deadline(calendar, RESOLUTION) == D(2025, 3, 3)
    assert ceremony_deadline(calendar, RESOLUTION) == D(2025, 2, 1)
    assert decision_deadline(calendar, RESOLUTION) == D(2025, 3, 3)
    assert ceremony_deadline(calendar, D(2025, 1, 3)) == D(2025, 2, 2)
    assert calendar.asked == [(RESOLUTION, 60), (RESOLUTION, 30), (D(2025, 1, 3), 30)]


def test_the_decision_within_60_working_days_of_the_resolution():
    assert judged(DECISION_LATE, decision_on=D(2025, 3, 3), ceremony_on=None) == []
    assert judged(DECISION_LATE, decision_on=D(2025, 3, 4), ceremony_on=None) == [
        (DECISION_LATE, RESOLUTION, "Quyết định kết nạp ngày 04/03/2025, quá hạn 03/03/2025 "
                                    "(60 ngày làm việc từ nghị quyết chi bộ ngày 02/01/2025).")]
    assert judged(DECISION_LATE, today=D(2026, 1, 1), decision_on=None, ceremony_on=None) == []


DECIDED = D(2025, 2, 1)  # the ceremony's deadline: 03/03/2025
LATE_WORDS = "quá hạn 03/03/2025 (30 ngày làm việc từ quyết định ngày 01/02/2025)."


@pytest.mark.parametrize(("ceremony_on", "extension_no", "today", "detail"), [
    (D(2025, 3, 3), "", D(2026, 1, 1), None),  # held in time: later days do not matter
    (D(2025, 3, 4), "", None, "Lễ kết nạp ngày 04/03/2025"),
    (D(2025, 3, 4), "5-CV/HU", None, None),  # late with the upper committee's consent
    (None, "", None, None),  # not held, judged on the recorded steps only
    (None, "", D(2025, 3, 3), None),
    (None, "", D(2025, 3, 4), "Chưa tổ chức lễ kết nạp"),
    (None, "5-CV/HU", D(2026, 1, 1), None),
])
def test_the_ceremony_within_30_working_days_of_the_decision(ceremony_on, extension_no, today,
                                                             detail):
    found = judged(CEREMONY_LATE, today=today, decision_on=DECIDED, ceremony_on=ceremony_on,
                   ceremony_extension_no=extension_no, recognized_on=None)
    assert found == ([] if detail is None else
                     [(CEREMONY_LATE, RESOLUTION, f"{detail}, {LATE_WORDS}")])


def test_no_ceremony_is_late_before_the_decision():
    assert judged(CEREMONY_LATE, today=D(2030, 1, 1), decision_on=None, ceremony_on=None) == []


def test_the_official_day_is_12_months_after_the_ceremony():
    assert official_day(D(2024, 2, 29)) == D(2025, 2, 28)
    assert official_day(D(2025, 2, 20)) == D(2026, 2, 20)
    assert judged(OFFICIAL_DATE, recognized_on=D(2026, 2, 20)) == []
    for wrong in (D(2026, 2, 19), D(2026, 2, 21)):
        assert judged(OFFICIAL_DATE, recognized_on=wrong) == [
            (OFFICIAL_DATE, RESOLUTION, f"Công nhận chính thức ngày {wrong:%d/%m/%Y}; đủ 12 "
                                        f"tháng dự bị từ lễ kết nạp ngày 20/02/2025 là ngày "
                                        f"20/02/2026.")]
    assert judged(OFFICIAL_DATE, recognized_on=None) == []
    assert judged(OFFICIAL_DATE, ceremony_on=None, recognized_on=D(2026, 2, 21)) == []


# The subtree search (chibo.admission.findings), on the named world ---------------------------

ALLOWED = Decision("15-QĐ/HU", D(2025, 6, 1), "D1")


def resolved_short_of_votes(world, people, code: str, cell: str, day=RESOLUTION,
                            sponsors=("binh", "cuong")) -> Candidate:
    """A candidate of `cell` whose cell resolution on `day` had 3 of 6 votes (a finding that
    arises that day), recorded with the decision that allowed it (and any other finding)."""
    candidate = services.list_candidate(services.NewCandidate(
        code=code, cell=world.orgs[cell], listed_on=D(2024, 1, 10), full_name="Hà Thị Mai",
        gender="female", birth_date=D(1998, 4, 2)), actor=SYSTEM)
    services.record_certificate(candidate, D(2024, 3, 1), actor=SYSTEM)
    first, second = (people[name] for name in sponsors)
    services.set_sponsors(candidate, first, second, actor=SYSTEM)
    services.record_background_check(candidate, D(2024, 4, 1), actor=SYSTEM)
    return services.record_cell_resolution(candidate, day, 3, 6, actor=SYSTEM,
                                           exception=ALLOWED)


def found(org, today, keys=(VOTE,)) -> list[tuple]:
    return [(f.key, f.record, f.org_code, f.day) for f in find(org, today, keys)]


def test_a_finding_is_listed_from_the_day_it_arises_in_its_cell_only(world, people):
    resolved_short_of_votes(world, people, "K1", "D1.X1.C1")
    resolved_short_of_votes(world, people, "K2", "D1.X1.C2")
    o = world.orgs
    assert found(o["D1.X1.C1"], RESOLUTION) == [(VOTE, "K1", "D1.X1.C1", RESOLUTION)]
    assert found(o["D1.X1.C1"], D(2025, 1, 1)) == []
    assert found(o["D1.X1.C2"], RESOLUTION) == [(VOTE, "K2", "D1.X1.C2", RESOLUTION)]
    assert [row[1] for row in found(o["D1"], RESOLUTION)] == ["K1", "K2"]
    assert found(o["D2"], RESOLUTION) == []
    # K1's sponsors are of another cell (D1.X1.C2) of the same commune: they may sponsor.
    assert found(o["D1"], RESOLUTION, (SPONSORS,)) == []


def test_a_ceremony_not_held_is_late_from_the_day_after_its_deadline(world, people):
    candidate = resolved_short_of_votes(world, people, "K1", "D1.X1.C2")
    candidate = services.record_committee_resolution(candidate, D(2025, 1, 9), actor=SYSTEM)
    decided = services.decide_admission(candidate, D(2025, 2, 3), decision_no="12-QĐ/ĐU",
                                        decided_by=world.orgs["D1.X1"], member_code="M100",
                                        actor=SYSTEM)
    deadline = ceremony_deadline(working_calendar(), decided.decision_on)
    cell = world.orgs["D1.X1.C2"]
    assert found(cell, deadline, (CEREMONY_LATE,)) == []
    assert found(cell, deadline + timedelta(days=1), (CEREMONY_LATE,)) == [
        (CEREMONY_LATE, "K1", "D1.X1.C2", RESOLUTION)]


def test_a_sponsor_not_yet_a_member_on_the_resolution_day_is_neither_official_nor_near(world,
                                                                                      people):
    """An, admitted in September 2025, sponsors a resolution of January 2025: no standing
    that day at all."""
    resolved_short_of_votes(world, people, "K1", "D1.X1.C1", sponsors=("lan", "an"))
    [finding] = find(world.orgs["D1.X1.C1"], RESOLUTION, (SPONSORS,))
    assert finding.detail == ("Người giới thiệu khi chi bộ xét ngày 02/01/2025: M004 chưa là "
                              "đảng viên chính thức; M004 thuộc đảng bộ cơ sở khác.")
