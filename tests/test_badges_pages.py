"""The badges pages (chibo.badges.lists, views, cards): the due list leads to a proposal, the
proposal to the province's decision (refused with the rule's words for a finding, kept with an
exception), the decision to the printed ceremony list; the member page's section and the
member's own card in the handbook. (The scope of every page for every named user:
tests/contract/domains/badges.py.)"""

from datetime import date

from chibo.accounts.policy import SYSTEM
from chibo.badges import services
from chibo.badges.models import Badge, Proposal
from chibo.findings.models import RecordedException
from chibo.interchange.importer import import_records
from tests.test_inspection_pages import page

DAY = date(2025, 9, 2)


def _award(member, years=50, day=DAY):
    return services.award(services.NewBadge(member=member, years=years, awarded_on=day),
                          actor=SYSTEM)


def test_the_due_list_links_each_member_to_a_proposal(world, people, monkeypatch):
    import chibo.lists.spec as spec

    # 2025-05-20: the next round is 2/9/2025, when Dương (admitted 1/6/1975) has 50 years.
    monkeypatch.setattr(spec.timezone, "localdate", lambda: date(2025, 5, 20), raising=False)
    html = page(world.client("commune"), "/org/D1.X1/badges/due/")
    assert "Đặng Văn Dương" in html
    assert "/org/D1.X1/badges/propose/?member=M003&amp;years=50&amp;day=2025-09-02" in html
    # who reads without proposing gets no link
    assert "badges/propose/" not in page(world.client("inspector"), "/org/D1.X1/badges/due/")


def test_the_form_of_a_proposal_comes_filled_and_records_it(world, people):
    client = world.client("commune")
    html = page(client, "/org/D1.X1/badges/propose/?member=M003&years=50&day=2025-09-02")
    assert 'value="M003"' in html and 'value="02/09/2025"' in html
    response = client.post("/org/D1.X1/badges/propose/", {
        "member_code": "M003", "years": "50", "award_day": "02/09/2025",
        "proposed_on": "01/08/2025"})
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.member.member_code, proposal.proposed_by.code) == ("M003", "D1.X1")
    assert "Đặng Văn Dương" in page(client, "/org/D1.X1/badges/proposals/")


def test_a_bad_proposal_is_refused_on_its_field_and_nothing_written(world, people):
    client = world.client("commune")
    for body, words in (({"member_code": "M008"}, "Không có mã này"),  # another commune's
                        ({"years": "35"}, "35"), ({"award_day": "31/02/2025"}, "")):
        data = {"member_code": "M003", "years": "50", "award_day": "02/09/2025",
                "proposed_on": "01/08/2025", **body}
        response = client.post("/org/D1.X1/badges/propose/", data)
        assert response.status_code == 200 and words in response.content.decode()
    assert not Proposal.objects.exists()


def test_the_province_decides_from_a_proposal(world, people):
    proposal = services.propose(services.NewProposal(
        member=people["duong"], years=50, award_day=DAY, proposed_on=date(2025, 8, 1)),
        actor=SYSTEM)
    client = world.client("province")
    assert f"?proposal={proposal.pk}" in page(client, "/org/D1.X1/badges/proposals/")
    html = page(client, f"/org/TQ/badges/decide/?proposal={proposal.pk}")
    assert 'value="M003"' in html and 'value="02/09/2025"' in html
    response = client.post("/org/TQ/badges/decide/", {
        "member_code": "M003", "years": "50", "awarded_on": "02/09/2025",
        "decision_no": "12-QĐ/TU"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "awarded" and proposal.badge.decision_no == "12-QĐ/TU"


def test_the_decision_is_refused_for_a_finding_then_kept_with_an_exception(world, people):
    client = world.client("province")
    body = {"member_code": "M003", "years": "50", "awarded_on": "06/06/2025"}
    response = client.post("/org/TQ/badges/decide/", body)
    html = response.content.decode()
    assert response.status_code == 200 and "3/2, 19/5, 2/9, 7/11" in html
    assert "<details class=\"mb-3 exception-fields\" open" in html
    assert not Badge.objects.exists()
    response = client.post("/org/TQ/badges/decide/", {
        **body, "exception_no": "45-QĐ/TU", "exception_on": "01/06/2025",
        "exception_by": "TQ"})
    assert response.status_code == 302
    assert RecordedException.objects.get().finding == "badges.day"


def test_only_a_provincial_committee_has_a_decision_page(world, people):
    assert world.client("admin").get("/org/D1.X1/badges/decide/").status_code == 404


def test_the_ceremony_list_prints_the_day_by_milestone(world, people):
    _award(people["duong"])
    _award(people["duong"], years=45, day=date(2020, 9, 2))
    html = page(world.client("commune"), "/org/D1.X1/badges/ceremony/?day=2025-09-02")
    assert "đợt 02/09/2025" in html and "Huy hiệu 50 năm tuổi Đảng" in html
    assert "Đặng Văn Dương" in html and "Huy hiệu 45 năm" not in html
    empty = page(world.client("commune"), "/org/D1.X1/badges/ceremony/?day=2025-11-07")
    assert 'id="ceremony-empty"' in empty
    # a bad day falls back to the last award day, never an error
    assert page(world.client("commune"), "/org/D1.X1/badges/ceremony/?day=x")


def test_the_member_page_and_the_handbook_show_the_badges(world, people):
    result = import_records({"badges.csv": [{"member_code": "M001", "years": 30,
                                             "awarded_on": DAY, "early_reason": "ill"}]},
                            actor=SYSTEM)
    assert result.errors == []
    html = page(world.client("commune"), "/members/M001/")
    assert 'id="member-badges"' in html and "Huy hiệu 30 năm tuổi Đảng" in html
    assert 'id="my-badges"' in page(world.client("member"), "/handbook/")
    assert "Chưa được trao Huy hiệu Đảng" in page(world.client("commune"), "/members/M002/")


def test_the_handbook_shows_no_card_before_a_first_badge(world, people):
    _award(people["duong"])  # someone else's
    assert 'id="my-badges"' not in page(world.client("member"), "/handbook/")


def test_the_awarded_list(world, people):
    _award(people["duong"])
    html = page(world.client("province"), "/org/TQ/badges/awarded/")
    assert "Đặng Văn Dương" in html and "Quyết định tặng" in html
    assert "Quyết định tặng" not in page(world.client("commune"), "/org/D1.X1/badges/awarded/")


def test_the_proposals_warn_of_what_the_award_would_break(world, people):
    services.propose(services.NewProposal(  # Lan, admitted in 2010: far from 30 years
        member=people["lan"], years=30, award_day=DAY, proposed_on=date(2025, 8, 1)),
        actor=SYSTEM)
    services.propose(services.NewProposal(
        member=people["duong"], years=50, award_day=DAY, proposed_on=date(2025, 8, 1)),
        actor=SYSTEM)
    html = page(world.client("commune"), "/org/D1.X1/badges/proposals/")
    assert html.count("tuổi Đảng còn thiếu") == 1
