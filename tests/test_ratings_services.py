"""The ratings services (chibo.ratings.services): the campaign, the cell's proposal, the
decision of a member's and an organization's rating, each audited and atomic; the findings
refused without an exception and recorded with one; the live quota (queries.quota_status).

The story: An Phú commune (D1.X1) reviews 2025. Its clerk (`commune`) opens the campaign and
decides; the secretary of Đồng Mạ cell (`secretary`) proposes for the cell's members; the
province's inspector sees the commune but holds no `rating.manage`; Yên Lâm's clerk
(`other_commune`) is outside."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from chibo.accounts.policy import SYSTEM
from chibo.audit.models import AuditRecord
from chibo.core.exceptions import RuleViolation
from chibo.findings.models import RecordedException
from chibo.findings.services import Decision
from chibo.inspection import services as inspection
from chibo.members import services as members
from chibo.ratings import queries, rules, services
from chibo.ratings.models import Proposal, Rating, ReviewCampaign

YEAR = 2025
DAY = date(2025, 12, 20)


@pytest.fixture
def commune(world):
    return world.orgs["D1.X1"]


@pytest.fixture
def campaign(world, people, commune):
    return services.open_campaign(services.NewCampaign(
        org=commune, year=YEAR, opened_on=date(2025, 11, 1), deadline=date(2025, 12, 10)),
        actor=world.users["commune"])


def _rate(world, member=None, level="good", *, org=None, actor="commune", **extra):
    return services.decide_rating(services.NewRating(
        year=extra.pop("year", YEAR), level=level, decided_on=extra.pop("decided_on", DAY),
        member=member, org=org, **extra), actor=world.users[actor])


def _audits(action: str) -> int:
    return AuditRecord.objects.filter(action=action).count()


# --- the campaign ------------------------------------------------------------------------------

def test_the_commune_opens_its_campaign_once(world, campaign, commune):
    assert campaign.org == commune and not campaign.is_closed
    assert _audits("rating.campaign_open") == 1
    with pytest.raises(RuleViolation) as error:
        services.open_campaign(services.NewCampaign(
            org=commune, year=YEAR, opened_on=date(2025, 11, 2), deadline=date(2025, 12, 10)),
            actor=world.users["commune"])
    assert error.value.field == "year"
    assert ReviewCampaign.objects.count() == 1


@pytest.mark.parametrize(("org", "opened_on", "deadline", "field"), [
    ("D1.X1.C1", date(2025, 11, 1), date(2025, 12, 1), "org"),  # a cell does not open one
    ("D1.X1", date(2024, 12, 1), date(2025, 12, 1), "opened_on"),  # before the year
    ("D1.X1", date(2025, 11, 1), date(2025, 10, 1), "deadline"),
])
def test_a_bad_campaign_is_refused_and_nothing_written(world, people, org, opened_on, deadline,
                                                       field):
    with pytest.raises(RuleViolation) as error:
        services.open_campaign(services.NewCampaign(
            org=world.orgs[org], year=YEAR, opened_on=opened_on, deadline=deadline),
            actor=world.users["commune"])
    assert error.value.field == field
    assert not ReviewCampaign.objects.exists() and _audits("rating.campaign_open") == 0


@pytest.mark.parametrize("user", ["secretary", "inspector", "other_commune", "viewer"])
def test_only_the_committee_officers_open_a_campaign(world, people, commune, user):
    with pytest.raises(PermissionDenied):
        services.open_campaign(services.NewCampaign(
            org=commune, year=YEAR, opened_on=date(2025, 11, 1), deadline=date(2025, 12, 1)),
            actor=world.users[user])
    assert not ReviewCampaign.objects.exists()


def test_a_closed_campaign_takes_no_proposal(world, people, campaign):
    services.close_campaign(campaign, closed_on=date(2025, 12, 30), actor=world.users["commune"])
    with pytest.raises(RuleViolation):
        services.close_campaign(campaign, closed_on=date(2025, 12, 31),
                                actor=world.users["commune"])
    with pytest.raises(RuleViolation) as error:
        services.propose(services.NewProposal(campaign, people["lan"], "good", DAY),
                         actor=world.users["secretary"])
    assert error.value.field == "campaign"


# --- the cell's proposal -----------------------------------------------------------------------

def test_the_secretary_proposes_for_the_cell(world, people, campaign):
    proposal = services.propose(services.NewProposal(
        campaign, people["lan"], "excellent", date(2025, 12, 5), note="Gương mẫu"),
        actor=world.users["secretary"])
    assert (proposal.level, proposal.cell.code) == ("excellent", "D1.X1.C1")
    from chibo.core.concurrency import version_of

    again = services.propose(services.NewProposal(
        campaign, people["lan"], "not_complete", date(2025, 12, 6), manifestations=["a4", "B9"]),
        actor=world.users["secretary"], version=version_of(proposal))
    assert again.pk == proposal.pk and again.manifestations == ["A4", "B9"]
    assert _audits("rating.propose") == 2


@pytest.mark.parametrize(("level", "codes", "field"), [
    ("good", ["A4"], "level"),  # a manifestation concluded forces "not complete"
    ("not_complete", ["A4", "D1"], "manifestations"),
    ("best", [], "level"),
])
def test_a_bad_proposal_is_refused_and_nothing_written(world, people, campaign, level, codes,
                                                       field):
    with pytest.raises(RuleViolation) as error:
        services.propose(services.NewProposal(campaign, people["lan"], level, DAY,
                                              manifestations=codes),
                         actor=world.users["secretary"])
    assert error.value.field == field
    assert not Proposal.objects.exists() and _audits("rating.propose") == 0


def test_the_secretary_proposes_for_no_other_cell(world, people, campaign):
    with pytest.raises(PermissionDenied):
        services.propose(services.NewProposal(campaign, people["binh"], "good", DAY),
                         actor=world.users["secretary"])
    assert not Proposal.objects.exists()


# --- the decision ------------------------------------------------------------------------------

def test_the_commune_decides_a_members_rating(world, people, commune):
    rating = _rate(world, people["lan"], "good", score="85.5")
    assert (rating.decided_by, rating.score) == (commune, Decimal("85.5"))
    assert _audits("rating.decide") == 1
    with pytest.raises(RuleViolation) as error:
        _rate(world, people["lan"], "complete")
    assert error.value.field == "year"
    assert Rating.objects.count() == 1


@pytest.mark.parametrize(("extra", "field"), [
    ({"score": "120"}, "score"),
    ({"score": "abc"}, "score"),
    ({"decided_on": date(2024, 12, 31)}, "decided_on"),
    ({"level": "best"}, "level"),
    ({"year": 2099}, "year"),
])
def test_a_bad_decision_is_refused_and_nothing_written(world, people, extra, field):
    with pytest.raises(RuleViolation) as error:
        _rate(world, people["lan"], **{"level": "good", **extra})
    assert error.value.field == field
    assert not Rating.objects.exists() and _audits("rating.decide") == 0


@pytest.mark.parametrize("user", ["secretary", "inspector", "other_commune"])
def test_only_the_deciding_committees_officers_decide(world, people, user):
    with pytest.raises(PermissionDenied):
        _rate(world, people["lan"], actor=user)
    assert not Rating.objects.exists()


def test_a_score_outside_its_band_is_refused_unless_excepted(world, people):
    with pytest.raises(RuleViolation) as error:
        _rate(world, people["lan"], "good", score="90")
    assert error.value.code == "finding" and error.value.field == "score"
    assert not Rating.objects.exists()
    rating = services.decide_rating(services.NewRating(
        year=YEAR, level="good", decided_on=DAY, member=people["lan"], score="90"),
        actor=world.users["commune"], exception=Decision("12-QĐ/ĐU", DAY, "D1.X1"))
    exception = RecordedException.objects.get()
    assert (exception.finding, exception.record) == (rules.SCORE, rating.record_key)


def test_the_quota_is_refused_before_it_is_broken(world, people, commune):
    """Excellent ≤ 20 % of good: with five good, one excellent; the second is refused."""
    assert [s.more_allowed for s in queries.quota_status(commune, YEAR)] == [0, 0]
    with pytest.raises(RuleViolation) as error:
        _rate(world, people["lan"], "excellent")
    assert (error.value.code, error.value.field) == ("finding", "level")
    assert not Rating.objects.exists()
    for name in ("thang", "duong", "an", "hoa", "binh"):
        _rate(world, people[name], "good")
    members_quota = queries.quota_status(commune, YEAR)[0]
    assert (members_quota.excellent, members_quota.good, members_quota.more_allowed) == (0, 5, 1)
    _rate(world, people["lan"], "excellent")  # exactly 20 %
    with pytest.raises(RuleViolation):
        _rate(world, people["cuong"], "excellent")
    assert queries.quota_status(commune, YEAR)[0].exceeded is False


def test_a_pending_proposal_shows_in_the_quota(world, people, commune, campaign):
    services.propose(services.NewProposal(campaign, people["lan"], "excellent", DAY),
                     actor=world.users["secretary"])
    status = queries.quota_status(commune, YEAR)[0]
    assert (status.proposed_excellent, status.exceeded_with_proposals) == (1, True)


def test_a_reprimand_in_the_year_caps_the_rating(world, people):
    inspection.decide_discipline(inspection.NewDiscipline(
        code="", form="reprimand", violation_on=date(2025, 3, 1), decided_on=date(2025, 6, 1),
        decided_by=world.orgs["D1.X1.C1"], by_body="committee", member=people["thang"]),
        actor=SYSTEM)
    with pytest.raises(RuleViolation) as error:
        _rate(world, people["thang"], "complete")  # 2025: 124/366 — "not complete" only
    assert error.value.field == "level"
    assert _rate(world, people["thang"], "not_complete").level == "not_complete"


def test_an_exempt_member_is_not_rated_without_an_exception(world, people):
    members.record_event(people["duong"], actor=SYSTEM, event="exempt",
                         effective_on=date(2025, 3, 1))
    with pytest.raises(RuleViolation) as error:
        _rate(world, people["duong"], "complete")
    assert error.value.field == "member"
    assert not Rating.objects.exists()


def test_a_manifestation_the_cell_concluded_forces_not_complete(world, people, campaign):
    services.propose(services.NewProposal(campaign, people["lan"], "not_complete", DAY,
                                          manifestations=["B6"]),
                     actor=world.users["secretary"])
    with pytest.raises(RuleViolation) as error:
        _rate(world, people["lan"], "complete")
    assert error.value.field == "level"
    assert _rate(world, people["lan"], "not_complete")


def test_an_organization_is_rated_by_the_level_above(world, people, commune):
    rating = services.rate_organization(services.NewRating(
        year=YEAR, level="good", decided_on=DAY, org=world.orgs["D1.X1.C1"]),
        actor=world.users["commune"])
    assert rating.decided_by == commune
    with pytest.raises(PermissionDenied):  # the commune is rated by the district
        services.rate_organization(services.NewRating(
            year=YEAR, level="good", decided_on=DAY, org=commune),
            actor=world.users["commune"])
    with pytest.raises(RuleViolation) as error:  # nobody rates itself
        services.rate_organization(services.NewRating(
            year=YEAR, level="good", decided_on=DAY, org=commune, decided_by=commune),
            actor=world.users["commune"])
    assert error.value.field == "decided_by"


def test_a_subject_not_active_in_the_year_is_not_rated(world, people):
    with pytest.raises(RuleViolation) as error:
        _rate(world, people["an"], "good", year=2024, decided_on=date(2024, 12, 20))
    assert error.value.field == "member"


def test_a_committee_above_the_grassroots_counts_the_members_it_decided_itself(world, people):
    district = world.orgs["D1"]
    _rate(world, people["lan"], "good")  # by the commune, by default
    services.decide_rating(services.NewRating(
        year=YEAR, level="good", decided_on=DAY, member=people["thang"], decided_by=district),
        actor=SYSTEM)
    members_quota, orgs_quota = queries.quota_status(district, YEAR)
    assert (members_quota.good, orgs_quota.good) == (1, 0)
    assert queries.quota_status(world.orgs["D1.X1"], YEAR)[0].good == 1
