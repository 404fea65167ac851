"""The ratings pages (chibo.ratings.lists, cards): the decision list with the live quota
warning, the campaign with who has and has not submitted a self-review, the member page's
section and the member's own card in the handbook. (The scope of every page for every named
user: tests/contract/domains/ratings.py.)"""

from datetime import date

import pytest

from chibo.accounts.policy import SYSTEM
from chibo.handbook.models import ReviewStatus, SelfReview
from chibo.ratings import services
from tests.test_inspection_pages import page

DAY = date(2025, 12, 20)


def _rate(member, level):
    return services.decide_rating(services.NewRating(
        year=2025, level=level, decided_on=DAY, member=member), actor=SYSTEM)


@pytest.fixture
def campaign(world, people):
    return services.open_campaign(services.NewCampaign(
        org=world.orgs["D1.X1"], year=2025, opened_on=date(2025, 11, 1),
        deadline=date(2025, 12, 10)), actor=SYSTEM)


def test_the_decision_list_shows_the_ratings_and_the_live_quota(world, people, campaign):
    for name in ("thang", "duong", "an", "hoa", "binh"):
        _rate(people[name], "good")
    services.propose(services.NewProposal(campaign, people["lan"], "excellent", DAY),
                     actor=SYSTEM)
    services.propose(services.NewProposal(campaign, people["cuong"], "excellent", DAY),
                     actor=SYSTEM)
    html = page(world.client("commune"), "/org/D1.X1/ratings/?year=2025")
    assert 'id="rating-quota"' in html and "Ma Văn Thắng" in html
    assert "Còn được quyết định 1 hoàn thành xuất sắc" in html
    assert "Nếu quyết định như đề xuất sẽ vượt tỷ lệ 20%" in html
    # who reads the ratings without deciding sees no quota
    assert 'id="rating-quota"' not in page(world.client("inspector"),
                                           "/org/D1.X1/ratings/?year=2025")


def test_the_campaign_shows_who_has_not_submitted(world, people, campaign):
    SelfReview.objects.create(member=people["lan"], year=2025, status=ReviewStatus.SUBMITTED)
    SelfReview.objects.create(member=people["thang"], year=2025, status=ReviewStatus.DRAFT)
    services.propose(services.NewProposal(campaign, people["lan"], "good", DAY), actor=SYSTEM)
    client = world.client("commune")
    html = page(client, "/org/D1.X1/ratings/campaign/?year=2025")
    assert "hạn đề xuất 10/12/2025" in html
    assert "Nông Thị Lan" in html and "Ma Văn Thắng" in html
    missing = page(client, "/org/D1.X1/ratings/campaign/?year=2025&tab=missing")
    assert "Ma Văn Thắng" in missing and "Nông Thị Lan" not in missing
    unproposed = page(client, "/org/D1.X1/ratings/campaign/?year=2025&tab=unproposed")
    assert "Nông Thị Lan" not in unproposed
    secretary = page(world.client("secretary"), "/org/D1.X1.C1/ratings/campaign/?year=2025")
    assert "Ma Văn Thắng" in secretary and "Lê Văn Bình" not in secretary
    assert "hạn đề xuất 10/12/2025" in secretary  # the commune's campaign, seen from the cell


def test_the_member_page_and_the_handbook_show_the_ratings(world, people):
    _rate(people["lan"], "good")
    assert 'id="member-ratings"' in page(world.client("commune"), "/members/M001/")
    html = page(world.client("member"), "/handbook/")
    assert 'id="my-ratings"' in html and "Hoàn thành tốt nhiệm vụ" in html


def test_the_handbook_shows_no_card_before_a_first_rating(world, people):
    _rate(people["thang"], "good")  # someone else's
    assert 'id="my-ratings"' not in page(world.client("member"), "/handbook/")
