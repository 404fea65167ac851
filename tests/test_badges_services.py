"""The badges services (chibo.badges.services): a proposal for an award day and the provincial
committee's award, each audited and atomic; the findings (party age, the day, the delay after a
discipline) refused with the rule's words without an exception and recorded with one.

The story: Đặng Văn Dương (M003, Đồng Mạ cell D1.X1.C1, admitted 1/6/1975) reaches 50 years of
party age on 1/6/2025. The cell's secretary proposes him for 2/9/2025; the province's organizer
(`province`) decides. The commune's clerk proposes upward but decides nothing; Yên Lâm's clerk
(`other_commune`) is outside; the province's inspector holds neither capability."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from chibo.accounts.policy import SYSTEM
from chibo.audit.models import AuditRecord
from chibo.badges import queries, rules, services
from chibo.badges.models import Badge, Proposal
from chibo.core.exceptions import RuleViolation
from chibo.findings.models import RecordedException
from chibo.findings.services import Decision
from chibo.inspection import services as inspection

DAY = date(2025, 9, 2)


def _propose(world, member, years=50, *, actor="secretary", **extra):
    return services.propose(services.NewProposal(
        member=member, years=years, award_day=extra.pop("award_day", DAY),
        proposed_on=extra.pop("proposed_on", date(2025, 8, 1)), **extra),
        actor=world.users[actor] if actor else SYSTEM)


def award(world, member, years=50, *, actor="province", exception=None, **extra):
    return services.award(services.NewBadge(
        member=member, years=years, awarded_on=extra.pop("awarded_on", DAY), **extra),
        actor=world.users[actor], exception=exception)


def _audits(action: str) -> int:
    return AuditRecord.objects.filter(action=action).count()


def test_the_secretary_proposes_and_the_province_awards(world, people):
    proposal = _propose(world, people["duong"])
    assert (proposal.cell.code, proposal.proposed_by.code, proposal.status) == (
        "D1.X1.C1", "D1.X1.C1", "proposed")
    badge = award(world, people["duong"], decision_no="123-QĐ/TU")
    assert (badge.years, badge.awarded_on, badge.decided_by.code) == (50, DAY, "TQ")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.badge_id) == ("awarded", badge.pk)
    assert _audits("badge.propose") == _audits("badge.award") == 1
    assert [b.years for b in queries.member_badges(world.users["province"],
                                                    people["duong"])] == [50]
    assert [[b.member.member_code for b in badges] for _y, badges in queries.ceremony(
        world.users["commune"], world.orgs["D1.X1"], DAY)] == [["M003"]]


def test_the_commune_proposes_upward(world, people):
    proposal = _propose(world, people["duong"], actor="commune",
                        proposed_by=world.orgs["D1.X1"])
    assert proposal.proposed_by.code == "D1.X1"


@pytest.mark.parametrize("user", ["other_commune", "inspector", "viewer", "member"])
def test_who_may_not_propose(world, people, user):
    with pytest.raises(PermissionDenied):
        _propose(world, people["duong"], actor=user)
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("user", ["commune", "secretary", "inspector", "other_commune"])
def test_only_the_provincial_officers_award(world, people, user):
    with pytest.raises(PermissionDenied):
        award(world, people["duong"], actor=user)
    assert not Badge.objects.exists()


@pytest.mark.parametrize(("extra", "field"), [
    ({"years": 35}, "years"), ({"early_reason": "rich"}, "early_reason"),
    ({"early_reason": "posthumous"}, "early_reason"),
    ({"awarded_on": date(1970, 2, 3)}, "awarded_on"),
])
def test_a_bad_award_is_refused_and_nothing_written(world, people, extra, field):
    with pytest.raises(RuleViolation) as error:
        award(world, people["duong"], **extra)
    assert error.value.field == field
    assert not Badge.objects.exists() and _audits("badge.award") == 0


def test_a_badge_twice_and_a_proposal_twice_are_refused(world, people):
    _propose(world, people["duong"])
    with pytest.raises(RuleViolation) as error:
        _propose(world, people["duong"])
    assert error.value.code == "duplicate"
    award(world, people["duong"])
    with pytest.raises(RuleViolation) as error:
        award(world, people["duong"], awarded_on=date(2025, 11, 7))
    assert error.value.code == "duplicate"


def test_another_day_is_refused_unless_excepted(world, people):
    with pytest.raises(RuleViolation) as error:
        award(world, people["duong"], awarded_on=date(2025, 6, 6))
    assert (error.value.code, error.value.field) == ("finding", "awarded_on")
    assert "3/2, 19/5, 2/9, 7/11" in error.value.messages[0]
    assert not Badge.objects.exists() and not RecordedException.objects.exists()
    badge = award(world, people["duong"], awarded_on=date(2025, 6, 6), exception=Decision(
        "45-QĐ/TU", date(2025, 6, 1), "TQ", "Ban Thường vụ Tỉnh ủy cho phép"))
    assert RecordedException.objects.get().record == "M003|50" == badge.record_key


def test_a_party_age_short_of_the_milestone_is_refused(world, people):
    # Dương reaches 50 years on 1/6/2025: the 19/5 before is too early without a reason.
    with pytest.raises(RuleViolation) as error:
        award(world, people["duong"], awarded_on=date(2025, 5, 19))
    assert (error.value.code, error.value.field) == ("finding", "years")
    assert award(world, people["duong"], awarded_on=date(2025, 5, 19),
                 early_reason="ill").early_reason == "ill"


def test_the_delay_after_a_reprimand(world, people):
    inspection.decide_discipline(inspection.NewDiscipline(
        code="", form="reprimand", violation_on=date(2025, 3, 1), decided_on=date(2025, 5, 2),
        decided_by=world.orgs["D1.X1.C1"], by_body="committee", member=people["duong"]),
        actor=SYSTEM)
    with pytest.raises(RuleViolation) as error:
        award(world, people["duong"])  # 2/9/2025: within 6 months of 2/5/2025
    assert str(rules.WORDS[rules.DISCIPLINE_DELAY]) in error.value.messages[0]
    assert award(world, people["duong"], awarded_on=date(2025, 11, 7)).years == 50
