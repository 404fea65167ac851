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


def _post(client, body):
    return client.post("/org/D1.X1/ratings/decide/", {
        "year": "2025", "decided_on": "20/12/2025", "level": "good", **body})


def test_the_committee_decides_on_its_page_and_the_quota_refuses_first(world, people):
    from chibo.findings.models import RecordedException
    from chibo.ratings.models import Rating

    client = world.client("commune")
    html = page(client, "/org/D1.X1/ratings/decide/?year=2025")
    assert 'id="rating-quota"' in html and "Còn được quyết định 0 hoàn thành xuất sắc" in html
    response = _post(client, {"member_code": "M001", "level": "excellent"})
    assert response.status_code == 200 and not Rating.objects.exists()
    assert "20%" in response.content.decode() and "exception-fields" in response.content.decode()
    response = _post(client, {"member_code": "M001", "level": "excellent",
                              "exception_no": "9-QĐ/ĐU", "exception_on": "20/12/2025"})
    assert response.status_code == 302 and response["Location"].endswith("?year=2025")
    assert Rating.objects.get().level == "excellent"
    assert RecordedException.objects.get().finding == "ratings.quota"


@pytest.mark.parametrize("body", [
    {"member_code": "M009"},  # unknown
    {"member_code": "M001", "org_code": "D1.X1.C1"},  # two subjects
    {"member_code": "M001", "score": "101"},
    {"member_code": "M001", "decided_on": "31/12/2024"},  # before the year
    {"org_code": "D1.X1"},  # the committee does not rate itself
    {"member_code": "M008"},  # outside the commune (D2)
])
def test_a_bad_decision_on_the_page_writes_nothing(world, people, body):
    from chibo.ratings.models import Rating

    response = _post(world.client("commune"), body)
    assert response.status_code == 200
    assert not Rating.objects.exists()
