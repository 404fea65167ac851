"""The steps of a candidate's file (chibo.admission.services), each rule on both sides of its
boundary (RULES.md §1; spec BUNDLE-v2.md), and bad input refused with nothing written.

The story: Hà Thị Mai, of An Phú commune's Đồng Mạ cell (D1.X1.C1), is listed in January 2024,
learns in the awareness course, is sponsored by Lan and Thắng (official members of the cell),
her background is checked, and the cell resolves to propose her."""

from datetime import date, timedelta

import pytest

from chibo.accounts.policy import SYSTEM
from chibo.admission import rules, services
from chibo.admission.choices import Outcome
from chibo.admission.models import Candidate
from chibo.audit.models import AuditRecord
from chibo.core.exceptions import RuleViolation
from chibo.findings.models import RecordedException
from chibo.findings.queries import record_findings
from chibo.findings.services import Decision
from chibo.members.models import Member
from chibo.organizations.calendar import working_calendar
from tests.conftest import D

ALLOWED = Decision("15-QĐ/HU", D(2025, 6, 1), "D1")


def listed(world, code="K1", birth_date=D(1998, 4, 2), cell="D1.X1.C1",
           listed_on=D(2024, 1, 10), **extra) -> Candidate:
    return services.list_candidate(services.NewCandidate(
        code=code, cell=world.orgs[cell], listed_on=listed_on, full_name="Hà Thị Mai",
        gender="female", birth_date=birth_date, profile={"ethnicity": "Tày"}, **extra),
        actor=SYSTEM)


def prepared(world, people, *, certificate_on=D(2024, 3, 1), sponsors=("lan", "thang"),
             **person) -> Candidate:
    candidate = listed(world, **person)
    services.record_certificate(candidate, certificate_on, actor=SYSTEM)
    first, second = (people[name] if name else None for name in sponsors)
    services.set_sponsors(candidate, first, second, actor=SYSTEM)
    return services.record_background_check(candidate, D(2024, 4, 1), actor=SYSTEM)


def resolved(world, people, on=D(2025, 1, 2), votes=(4, 5), **kwargs) -> Candidate:
    candidate = services.record_cell_resolution(prepared(world, people, **kwargs), on, *votes,
                                                actor=SYSTEM)
    return services.record_committee_resolution(candidate, on + timedelta(days=7),
                                                 actor=SYSTEM)


def decide(world, candidate, on, code="M100", **kwargs) -> Candidate:
    return services.decide_admission(candidate, on, decision_no="12-QĐ/ĐU",
                                     decided_by=world.orgs["D1.X1"], member_code=code,
                                     actor=SYSTEM, **kwargs)


def refused(call, field: str, code: str = "rule") -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        call()
    assert caught.value.field == field
    assert caught.value.code == code
    return caught.value


# The whole path -------------------------------------------------------------------------------

def test_a_candidate_goes_from_the_list_to_the_ceremony(world, people):
    candidate = resolved(world, people)
    candidate = decide(world, candidate, D(2025, 2, 20))
    member = Member.objects.get(member_code="M100")
    assert (member.full_name, member.admitted_on, member.cell, member.status) == (
        "Hà Thị Mai", D(2025, 2, 20), world.orgs["D1.X1.C1"], "probationary")
    assert member.ethnicity == "Tày" and member.birth_date == D(1998, 4, 2)
    candidate = services.record_ceremony(candidate, D(2025, 3, 3), actor=SYSTEM)
    candidate.refresh_from_db()
    assert (candidate.outcome, candidate.member, candidate.ceremony_on) == (
        Outcome.ADMITTED, member, D(2025, 3, 3))
    actions = list(AuditRecord.objects.filter(action__startswith="candidate.").order_by(
        "pk").values_list("action", flat=True))
    assert actions == ["candidate.list", "candidate.certificate", "candidate.sponsors",
                       "candidate.background", "candidate.cell_resolution",
                       "candidate.committee_resolution", "candidate.decide",
                       "candidate.ceremony"]
    assert "Hà Thị Mai" in str(AuditRecord.objects.filter(action="member.admit").latest("pk"))
    assert record_findings(world.orgs["TQ"], D(2026, 1, 1), rules.KEYS) == []


def test_a_withdrawn_candidate_takes_no_further_step(world, people):
    candidate = services.withdraw(prepared(world, people), D(2024, 6, 1), actor=SYSTEM)
    assert (candidate.outcome, candidate.outcome_on) == (Outcome.WITHDRAWN, D(2024, 6, 1))
    refused(lambda: services.record_cell_resolution(candidate, D(2024, 7, 1), 4, 5,
                                                    actor=SYSTEM), "cell_resolution_on")
    candidate.refresh_from_db()
    assert candidate.cell_resolution_on is None


def test_a_rejected_candidate_is_dated(world, people):
    candidate = services.reject(resolved(world, people), D(2025, 2, 1), actor=SYSTEM)
    assert (candidate.outcome, candidate.outcome_on) == (Outcome.REJECTED, D(2025, 2, 1))


# Working days: the decision within 60, the ceremony within 30 -------------------------------

def nth_weekday_after(start: date, n: int) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        n -= day.weekday() < 5
    return day


def test_the_decision_deadline_counts_working_days_past_tet(world, people):
    """From 2 January 2025 the 60th working day lies past the Tết week (27 Jan – 31 Jan 2025
    off), so past the 60th weekday."""
    deadline = rules.decision_deadline(working_calendar(), D(2025, 1, 2))
    assert working_calendar().working_days_between(D(2025, 1, 2), deadline) == 60
    assert deadline > nth_weekday_after(D(2025, 1, 2), 60)
    assert not working_calendar().is_working_day(D(2025, 1, 29))  # Tết


@pytest.mark.parametrize("nth", [59, 60])
def test_a_decision_on_or_before_the_60th_working_day_is_in_time(world, people, nth):
    day = working_calendar().nth_working_day_after(D(2025, 1, 2), nth)
    candidate = decide(world, resolved(world, people), day)
    assert candidate.decision_on == day and candidate.member.admitted_on == day


def test_a_decision_on_the_61st_working_day_is_refused_without_an_exception(world, people):
    day = working_calendar().nth_working_day_after(D(2025, 1, 2), 61)
    candidate = resolved(world, people)
    error = refused(lambda: decide(world, candidate, day), "decision_on", "finding")
    assert str(rules.WORDS[rules.DECISION_LATE]) in error.messages[0]
    candidate.refresh_from_db()
    assert candidate.decision_on is None and not Member.objects.filter(member_code="M100")
    decide(world, candidate, day, exception=ALLOWED)
    excepted = record_findings(world.orgs["D1.X1"], D(2026, 1, 1), [rules.DECISION_LATE])
    assert [(f.finding.record, f.excepted) for f in excepted] == [("K1", True)]
    assert RecordedException.objects.get().decision_no == "15-QĐ/HU"


@pytest.mark.parametrize(("nth", "extension", "late"), [
    (30, "", False), (31, "", True), (31, "5-CV/HU", False)])
def test_the_ceremony_within_30_working_days_of_the_decision(world, people, nth, extension,
                                                              late):
    candidate = decide(world, resolved(world, people), D(2025, 2, 20))
    day = working_calendar().nth_working_day_after(D(2025, 2, 20), nth)
    ceremony = lambda: services.record_ceremony(candidate, day, extension_no=extension,  # noqa: E731
                                                actor=SYSTEM)
    if late:
        refused(ceremony, "ceremony_on", "finding")
        candidate.refresh_from_db()
        assert candidate.ceremony_on is None
    else:
        assert ceremony().ceremony_on == day


# The vote, the certificate, the sponsors, the age ------------------------------------------

@pytest.mark.parametrize(("votes", "passes"), [((4, 6), True), ((3, 6), False),
                                               ((7, 10), True), ((6, 10), False)])
def test_two_thirds_of_the_official_members_exactly_pass(world, people, votes, passes):
    candidate = prepared(world, people)
    resolve = lambda: services.record_cell_resolution(candidate, D(2025, 1, 2), *votes,  # noqa: E731
                                                      actor=SYSTEM)
    if passes:
        assert resolve().cell_votes_for == votes[0]
    else:
        refused(resolve, "cell_resolution_on", "finding")
        assert rules.vote_passes(*votes) is False


@pytest.mark.parametrize(("decision_on", "valid"), [
    (D(2025, 3, 9), True), (D(2025, 3, 10), False), (D(2025, 3, 11), False)])
def test_the_certificate_is_valid_until_its_5th_anniversary(world, people, decision_on, valid):
    candidate = resolved(world, people, on=D(2025, 2, 10), certificate_on=D(2020, 3, 10))
    if valid:
        assert decide(world, candidate, decision_on).decision_on == decision_on
    else:
        error = refused(lambda: decide(world, candidate, decision_on), "decision_on", "finding")
        assert "10/03/2025" in error.messages[0]


def test_a_missing_certificate_is_a_finding_at_the_resolution(world, people):
    candidate = listed(world)
    services.set_sponsors(candidate, people["lan"], people["thang"], actor=SYSTEM)
    services.record_background_check(candidate, D(2024, 4, 1), actor=SYSTEM)
    refused(lambda: services.record_cell_resolution(candidate, D(2025, 1, 2), 4, 5,
                                                    actor=SYSTEM), "cell_resolution_on",
            "finding")


@pytest.mark.parametrize(("sponsors", "youth", "problem"), [
    (("lan", "thang"), False, None),
    (("lan", None), True, None),  # the Youth Union stands for one
    (("lan", None), False, "1 người giới thiệu"),
    (("lan", "yen"), False, "M008 thuộc đảng bộ cơ sở khác"),  # D2.X1: another grassroots
    (("lan", "an"), False, "M004 chưa là đảng viên chính thức"),  # probationary since 2025-09
])
def test_two_official_sponsors_of_the_same_grassroots_organization(world, people, sponsors,
                                                                    youth, problem):
    candidate = prepared(world, people, sponsors=(None, None))
    first, second = (people[name] if name else None for name in sponsors)
    services.set_sponsors(candidate, first, second, youth, actor=SYSTEM)
    resolve = lambda: services.record_cell_resolution(candidate, D(2025, 10, 1), 4, 5,  # noqa: E731
                                                      actor=SYSTEM)
    if problem is None:
        assert resolve().cell_resolution_on == D(2025, 10, 1)
    else:
        assert problem in refused(resolve, "cell_resolution_on", "finding").messages[0]


@pytest.mark.parametrize(("birth_date", "exception_no", "finding"), [
    (D(2007, 1, 31), "", False),  # 216 months: 18 years counted by month
    (D(2007, 2, 1), "", True),  # 215
    (D(1965, 1, 1), "", False),  # 720 months: 60 years
    (D(1964, 12, 31), "", True),  # 721
    (D(1964, 12, 31), "88-CV/TU", False),  # above 60 with the provincial committee's consent
])
def test_the_age_counted_by_month_at_the_cell_resolution(world, people, birth_date,
                                                         exception_no, finding):
    candidate = prepared(world, people, birth_date=birth_date)
    resolve = lambda: services.record_cell_resolution(  # noqa: E731
        candidate, D(2025, 1, 2), 4, 5, age_exception_no=exception_no, actor=SYSTEM)
    if finding:
        refused(resolve, "cell_resolution_on", "finding")
    else:
        assert resolve().age_exception_no == exception_no


def test_a_finding_with_its_exception_is_listed_as_excepted(world, people):
    candidate = prepared(world, people)
    services.record_cell_resolution(candidate, D(2025, 1, 2), 3, 6, actor=SYSTEM,
                                    exception=ALLOWED)
    [listed_finding] = record_findings(world.orgs["D1.X1.C1"], D(2026, 1, 1), [rules.VOTE])
    assert listed_finding.excepted and listed_finding.finding.record == "K1"
    # a later step of the same file is not blocked by the finding it already has
    services.record_committee_resolution(candidate, D(2025, 1, 9), actor=SYSTEM)


# Errors: refused, naming the field, nothing written ------------------------------------------

def test_a_candidate_is_listed_in_a_cell_only(world):
    refused(lambda: listed(world, cell="D1.X1"), "cell")
    assert not Candidate.objects.exists()


def test_a_code_is_listed_once(world):
    listed(world)
    refused(lambda: listed(world), "code", "duplicate")
    assert Candidate.objects.count() == 1


def test_the_committee_cannot_resolve_before_the_cell(world, people):
    candidate = services.record_cell_resolution(prepared(world, people), D(2025, 1, 2), 4, 5,
                                                actor=SYSTEM)
    refused(lambda: services.record_committee_resolution(candidate, D(2025, 1, 1),
                                                         actor=SYSTEM),
            "committee_resolution_on")
    candidate.refresh_from_db()
    assert candidate.committee_resolution_on is None


def test_more_agreeing_than_voting_is_an_error(world, people):
    refused(lambda: services.record_cell_resolution(prepared(world, people), D(2025, 1, 2), 6,
                                                    5, actor=SYSTEM), "cell_votes_for")


def test_a_step_after_today_is_an_error(world, people):
    refused(lambda: services.record_cell_resolution(prepared(world, people),
                                                    date.today() + timedelta(days=1), 4, 5,
                                                    actor=SYSTEM), "cell_resolution_on")


@pytest.mark.parametrize("deciding", ["D1.X1.C1", "D2", "D1.X2"])
def test_the_decision_is_made_by_a_committee_above_the_cell(world, people, deciding):
    candidate = resolved(world, people)
    refused(lambda: services.decide_admission(
        candidate, D(2025, 2, 20), decision_no="1", decided_by=world.orgs[deciding],
        member_code="M100", actor=SYSTEM), "decided_by")
    assert not Member.objects.filter(member_code="M100").exists()


def test_a_decision_with_a_member_code_in_use_writes_nothing(world, people):
    candidate = resolved(world, people)
    refused(lambda: decide(world, candidate, D(2025, 2, 20), code="M001"), "member_code",
            "duplicate")
    candidate.refresh_from_db()
    assert (candidate.outcome, candidate.decision_on) == (Outcome.PENDING, None)


def test_who_may_not_manage_admission_is_refused(world, people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.list_candidate(services.NewCandidate(
            code="K9", cell=world.orgs["D1.X1.C1"], listed_on=D(2024, 1, 10),
            full_name="Hà Thị Mai", gender="female", birth_date=D(1998, 4, 2)),
            actor=world.users["viewer"])
    assert not Candidate.objects.exists()


# Readmission: the same path from the former member's file ------------------------------------

def test_a_former_member_is_readmitted_through_the_same_path(world, people):
    from chibo.members import services as members

    hoa = people["hoa"]
    members.record_event(hoa, actor=SYSTEM, event="leave", effective_on=D(2021, 1, 4))
    candidate = listed(world, code="K7", former=hoa, listed_on=D(2024, 3, 1))
    assert (candidate.full_name, candidate.birth_date) == (hoa.full_name, hoa.birth_date)
    services.record_certificate(candidate, D(2024, 3, 5), actor=SYSTEM)
    services.set_sponsors(candidate, people["lan"], people["thang"], actor=SYSTEM)
    services.record_background_check(candidate, D(2024, 4, 1), actor=SYSTEM)
    services.record_cell_resolution(candidate, D(2025, 1, 2), 4, 5, actor=SYSTEM)
    services.record_committee_resolution(candidate, D(2025, 1, 9), actor=SYSTEM)
    candidate = decide(world, candidate, D(2025, 2, 20), former=hoa)
    hoa.refresh_from_db()
    assert candidate.member == hoa and hoa.status == "probationary"
    assert hoa.events.filter(event="readmit", effective_on=D(2025, 2, 20)).exists()


def test_a_readmission_within_36_months_is_refused_without_an_exception(world, people):
    from chibo.members import services as members

    hoa = people["hoa"]
    members.record_event(hoa, actor=SYSTEM, event="leave", effective_on=D(2023, 1, 4))
    candidate = resolved(world, people, code="K7", former=hoa, listed_on=D(2024, 3, 1))
    error = refused(lambda: decide(world, candidate, D(2025, 2, 20), former=hoa),
                    "decision_on", "finding")
    assert "36 tháng" in error.messages[0]
    candidate.refresh_from_db()
    assert candidate.decision_on is None


def test_the_age_of_an_admission_a_candidate_carries_is_judged_once(world, people):
    """admission.age judges it (here excepted); members.admission_age leaves it out (spec
    BUNDLE-v2.md, exceptions.csv), where it judged the member file alone before."""
    from chibo.members.findings import ADMISSION_AGE

    candidate = prepared(world, people, birth_date=D(2007, 6, 1))
    services.record_cell_resolution(candidate, D(2025, 1, 2), 4, 5, actor=SYSTEM,
                                    exception=ALLOWED)
    services.record_committee_resolution(candidate, D(2025, 1, 9), actor=SYSTEM)
    decide(world, candidate, D(2025, 2, 20))
    found = record_findings(world.orgs["TQ"], D(2026, 1, 1), [rules.AGE, ADMISSION_AGE])
    assert [(f.finding.key, f.finding.record, f.excepted) for f in found] == [
        (rules.AGE, "K1", True)]
