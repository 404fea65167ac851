"""The ratings pages (chibo.ratings.lists, cards): the decision list with the live quota
warning, the campaign with who has and has not submitted a self-review, the member page's
section and the member's own card in the handbook. (The scope of every page for every named
user: tests/contract/domains/ratings.py.)"""

import re
from datetime import date

import pytest

from chibo.accounts.policy import SYSTEM
from chibo.findings.services import Decision
from chibo.handbook.models import ReviewStatus, SelfReview
from chibo.ratings import services
from chibo.ratings.models import Proposal, ReviewCampaign
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


# The campaign's steps on their pages ---------------------------------------------------------

def test_the_commune_opens_and_closes_its_campaign(world, people):
    client = world.client("commune")
    campaign_page = page(client, "/org/D1.X1/ratings/campaign/?year=2025")
    assert "/org/D1.X1/ratings/campaign/open/" in campaign_page
    response = client.post("/org/D1.X1/ratings/campaign/open/", {
        "year": "2025", "opened_on": "01/11/2025", "deadline": "10/12/2025"})
    assert response.status_code == 302
    campaign = ReviewCampaign.objects.get(org__code="D1.X1", year=2025)
    assert (campaign.opened_on, campaign.deadline) == (date(2025, 11, 1), date(2025, 12, 10))
    assert "/org/D1.X1/ratings/campaign/2025/close/" in page(
        client, "/org/D1.X1/ratings/campaign/?year=2025")
    form = page(client, "/org/D1.X1/ratings/campaign/2025/close/")
    version = re.search(r'name="record_version" value="([^"]+)"', form).group(1)
    response = client.post("/org/D1.X1/ratings/campaign/2025/close/", {
        "closed_on": "30/12/2025", "record_version": version})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.closed_on == date(2025, 12, 30)
    assert "/campaign/2025/close/" not in page(client, "/org/D1.X1/ratings/campaign/?year=2025")


@pytest.mark.parametrize(("body", "field_error"), [
    ({"year": "2025", "opened_on": "01/11/2025", "deadline": "31/10/2025"},
     "Hạn đề xuất 31/10/2025 trước ngày mở 01/11/2025"),
    ({"year": "2025", "opened_on": "31/12/2024", "deadline": "10/12/2025"},
     "trước năm đánh giá 2025"),
    ({"year": "2025", "opened_on": "", "deadline": "10/12/2025"}, "id_opened_on"),
])
def test_a_campaign_the_rules_refuse_is_not_opened(world, body, field_error):
    response = world.client("commune").post("/org/D1.X1/ratings/campaign/open/", body)
    assert response.status_code == 200 and field_error in response.content.decode()
    assert not ReviewCampaign.objects.exists()


def test_a_second_campaign_of_a_year_is_refused(world, campaign):
    response = world.client("commune").post("/org/D1.X1/ratings/campaign/open/", {
        "year": "2025", "opened_on": "02/11/2025", "deadline": "10/12/2025"})
    assert "đã mở đợt đánh giá năm 2025" in response.content.decode()
    assert ReviewCampaign.objects.count() == 1


def test_only_a_grassroots_committee_opens_a_campaign(world):
    # a cell has no campaign of its own: the page does not exist there
    assert world.client("admin").get("/org/D1.X1.C1/ratings/campaign/open/").status_code == 404


def test_a_stale_close_is_refused_with_who_changed_it(world, campaign):
    client = world.client("commune")
    form = page(client, "/org/D1.X1/ratings/campaign/2025/close/")
    version = re.search(r'name="record_version" value="([^"]+)"', form).group(1)
    services.close_campaign(campaign, closed_on=date(2025, 12, 29), actor=SYSTEM)
    response = client.post("/org/D1.X1/ratings/campaign/2025/close/", {
        "closed_on": "30/12/2025", "record_version": version})
    assert response.status_code == 200
    campaign.refresh_from_db()
    assert campaign.closed_on == date(2025, 12, 29)


def _proposal_page(client, code="M001"):
    return page(client, f"/org/D1.X1.C1/ratings/2025/propose/{code}/")


def _propose(client, body, code="M001"):
    return client.post(f"/org/D1.X1.C1/ratings/2025/propose/{code}/", {
        "level": "good", "proposed_on": "05/12/2025", **body})


def test_the_secretary_proposes_from_the_campaign_list(world, people, campaign):
    client = world.client("secretary")
    assert "/org/D1.X1.C1/ratings/2025/propose/M001/" in page(
        client, "/org/D1.X1.C1/ratings/campaign/?year=2025")
    html = _proposal_page(client)
    assert 'id="proposal-form"' in html and "Chưa viết" in html
    assert _propose(client, {"level": "excellent", "note": "Tiêu biểu"}).status_code == 302
    proposal = Proposal.objects.get(member=people["lan"])
    assert (proposal.level, proposal.note, proposal.cell.code) == ("excellent", "Tiêu biểu",
                                                                   "D1.X1.C1")
    # recorded again against the version seen: replaced
    html = _proposal_page(client)
    version = re.search(r'name="record_version" value="([^"]+)"', html).group(1)
    assert _propose(client, {"level": "good", "record_version": version}).status_code == 302
    assert Proposal.objects.get(member=people["lan"]).level == "good"


def test_a_concluded_manifestation_allows_only_not_complete(world, people, campaign):
    client = world.client("secretary")
    response = _propose(client, {"level": "good", "manifestations": ["A1"]})
    assert "chỉ được đề xuất không hoàn thành nhiệm vụ" in response.content.decode()
    assert not Proposal.objects.exists()
    assert _propose(client, {"level": "not_complete", "manifestations": ["A1"]}
                    ).status_code == 302
    assert Proposal.objects.get().manifestations == ["A1"]


def test_a_closed_or_missing_campaign_takes_no_proposal(world, people, campaign):
    client = world.client("secretary")
    services.close_campaign(campaign, closed_on=date(2025, 12, 30), actor=SYSTEM)
    assert 'id="proposal-form"' not in _proposal_page(client)
    response = _propose(client, {})
    assert response.status_code == 302 and not Proposal.objects.exists()
    assert "Chưa mở đợt đánh giá năm 2024" in page(
        client, "/org/D1.X1.C1/ratings/2024/propose/M001/")


def test_who_may_only_read_sees_the_proposal_without_the_form(world, people, campaign):
    services.propose(services.NewProposal(campaign, people["lan"], "good", DAY), actor=SYSTEM)
    html = _proposal_page(world.client("inspector"))
    assert "Hoàn thành tốt nhiệm vụ (20/12/2025)" in html and 'id="proposal-form"' not in html
    assert _propose(world.client("inspector"), {"level": "excellent"}).status_code == 403
    assert Proposal.objects.get().level == "good"


def test_a_member_of_another_cell_is_not_found_on_this_cells_page(world, people, campaign):
    assert world.client("commune").get(
        "/org/D1.X1.C2/ratings/2025/propose/M001/").status_code == 404


# The commendation list -------------------------------------------------------------------

def _excellent(subject, year, **kwargs):
    data = {"member": subject} if hasattr(subject, "member_code") else {"org": subject}
    return services.decide_rating(services.NewRating(
        year=year, level="excellent", decided_on=date(year, 12, 20), **data, **kwargs),
        actor=SYSTEM, exception=Decision("9-QĐ/ĐU", date(year, 12, 19), "D1.X1"))


def test_the_commendation_list_holds_the_committees_excellent_with_years_in_a_row(
        world, people):
    for year in (2023, 2024, 2025):
        _excellent(people["lan"], year)
    _excellent(people["thang"], 2025)
    _excellent(people["duong"], 2024)  # not this year
    _excellent(world.orgs["D1.X1.C1"], 2025)
    services.decide_rating(services.NewRating(year=2025, level="good", decided_on=DAY,
                                              member=people["hoa"]), actor=SYSTEM)
    client = world.client("commune")
    html = page(client, "/org/D1.X1/ratings/commendations/?year=2025")
    assert "Nông Thị Lan" in html and "Ma Văn Thắng" in html and "Chi bộ thôn Đồng Mạ" in html
    assert "Đặng Văn Dương" not in html and "Trần Thị Hoa" not in html
    two = page(client, "/org/D1.X1/ratings/commendations/?year=2025&years=2")
    assert "Nông Thị Lan" in two and "Ma Văn Thắng" not in two
    printed = page(client, "/org/D1.X1/ratings/commendations/print/?year=2025&years=2")
    assert "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2025".lower() in printed.lower()
    assert "Nông Thị Lan" in printed and "Ma Văn Thắng" not in printed
    assert re.search(r"Nông Thị Lan \(M001\)</td><td>Chi bộ thôn Đồng Mạ</td>"
                     r"<td class=\"text-center\">3</td>", printed)
    # the province decides neither: its list of 2025 is empty
    assert "Nông Thị Lan" not in page(world.client("admin"),
                                      "/org/TQ/ratings/commendations/?year=2025")


# The dashboard's chart ---------------------------------------------------------------------

def test_the_dashboard_charts_the_share_rated_good_or_better_by_year(world, people):
    for name, level in (("lan", "excellent"), ("thang", "good"), ("duong", "complete"),
                        ("hoa", "good")):
        services.decide_rating(services.NewRating(
            year=2024, level=level, decided_on=date(2024, 12, 20), member=people[name]),
            actor=SYSTEM, exception=Decision("9-QĐ/ĐU", date(2024, 12, 19), "D1.X1"))
    services.decide_rating(services.NewRating(year=2024, level="not_complete",
                                              decided_on=date(2024, 12, 20),
                                              org=world.orgs["D1.X1.C1"]), actor=SYSTEM)
    client = world.client("commune")
    assert "/stats/D1.X1/dashboard/ratings-good-plus.json" in page(client, "/org/D1.X1/")
    data = client.get("/stats/D1.X1/dashboard/ratings-good-plus.json?as_of=31/03/2025").json()
    assert data["labels"][-1] == "2024" and len(data["labels"]) == 7 and data["percent"]
    orgs, members = data["series"]
    assert members["values"][-1] == 75.0 and orgs["values"][-1] == 0.0
    assert members["values"][0] is None  # 2018: nobody rated, a gap rather than 0 %
    records = client.get(members["urls"][-1])
    assert records.status_code == 200 and "Nông Thị Lan" in records.content.decode()
    assert "Đặng Văn Dương" not in records.content.decode()
    # the cell's own chart: its own members, the same four
    cell = client.get("/stats/D1.X1.C1/dashboard/ratings-good-plus.json?as_of=31/03/2025")
    assert cell.json()["series"][1]["values"][-1] == 75.0
    assert client.get("/stats/D1.X1/dashboard/nothing.json").status_code == 404
