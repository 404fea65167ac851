"""Removal from the list (xóa tên, issue 20; RULES.md §1): the cell proposes with its grounds,
the committee decides. A ground the records can show is checked against them on both sides of
its boundary — unexcused absences and unpaid dues in 2 and 3 months of a year, "not complete" in
two years apart and in a row — and refused when they do not show it; the others need the cell's
document. A decision to remove records the member's `remove` event; every refusal writes
nothing. (The scope of every page and endpoint for every named user:
tests/contract/domains/removal.py.)"""

import re
from datetime import date, datetime, time

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.core.concurrency import StaleVersion
from chibo.core.exceptions import RuleViolation
from chibo.dues import services as dues_services
from chibo.dues.config import install_defaults
from chibo.dues.models import DuesSettings
from chibo.findings.services import Decision
from chibo.meetings import services as meeting_services
from chibo.meetings.services import AttendanceEntry, Closing, NewMeeting
from chibo.members.models import Member, MemberEvent
from chibo.ratings import services as rating_services
from chibo.removal import services
from chibo.removal.models import RemovalCase
from tests.test_meeting_api import call

D = date
DAY = D(2026, 6, 1)


def hold(cell, day: date, absent: tuple[str, ...] = ()) -> None:
    """A closed regular meeting of `cell` on `day`: the members in `absent` (codes) absent
    without valid reason, the others present."""
    meeting = meeting_services.schedule_meeting(NewMeeting(
        organization=cell, date=day, kind="regular", topic="Sinh hoạt", place="Nhà văn hóa"),
        actor=SYSTEM)
    members = Member.objects.filter(cell=cell, status__in=("official", "probationary"))
    entries = [AttendanceEntry(m, "unexcused" if m.member_code in absent else "present", "",
                               False) for m in members.order_by("member_code")]
    meeting_services.close_meeting(meeting, Closing(
        attendance=entries, duration_minutes=95, minutes="Biên bản", conclusion="Thống nhất",
        agenda_prepared=True, committee_prepared=True, draft_resolution=True,
        minutes_complete=True), actor=SYSTEM,
        now=timezone.make_aware(datetime.combine(day, time(20))))


def absent_in(world, months: list[int], year: int = 2026, code: str = "M001") -> None:
    for month in months:
        hold(world.orgs["D1.X1.C1"], D(year, month, 10), (code,))


def propose(member, grounds, day=DAY, **kwargs):
    return services.propose_removal(services.NewRemoval(member, grounds, day, **kwargs),
                                    actor=kwargs.pop("actor", SYSTEM))


def rate(member, year, level="not_complete"):
    rating_services.decide_rating(rating_services.NewRating(
        year=year, level=level, decided_on=D(year, 12, 20), member=member), actor=SYSTEM)


# The grounds the records show, at their boundaries ------------------------------------------

@pytest.mark.parametrize(("months", "shown"), [([2, 3], False), ([2, 3, 4], True),
                                               ([2, 3, 4, 5], True)])
def test_unexcused_absence_is_a_ground_from_three_months_of_a_year(world, people, months,
                                                                   shown):
    absent_in(world, months)
    if not shown:
        with pytest.raises(RuleViolation, match="Hồ sơ không cho thấy căn cứ") as error:
            propose(people["lan"], ["unexcused_absence"])
        assert error.value.field == "grounds" and not RemovalCase.objects.exists()
        return
    case = propose(people["lan"], ["unexcused_absence"])
    assert case.evidence["unexcused_absence"] == (
        f"Vắng sinh hoạt chi bộ không có lý do {len(months)} tháng của năm 2026 (tháng "
        f"{', '.join(map(str, months))}).")


def test_absences_after_the_proposal_day_do_not_count(world, people):
    absent_in(world, [2, 3, 7])  # July: after the proposal of 1 June
    with pytest.raises(RuleViolation, match="Hồ sơ không cho thấy"):
        propose(people["lan"], ["unexcused_absence"])


def test_last_years_absences_count_early_in_the_next_year(world, people):
    absent_in(world, [9, 10, 11], year=2025)
    case = propose(people["lan"], ["unexcused_absence"], day=D(2026, 1, 15))
    assert "năm 2025" in case.evidence["unexcused_absence"]


@pytest.mark.parametrize(("years", "shown"), [((2023, 2025), False), ((2024, 2025), True)])
def test_not_complete_two_years_in_a_row_is_a_ground(world, people, years, shown):
    for year in years:
        rate(people["thang"], year)
    if shown:
        case = propose(people["thang"], ["not_complete_two_years"])
        assert case.evidence["not_complete_two_years"] == (
            "Xếp loại không hoàn thành nhiệm vụ năm 2024 và năm 2025.")
    else:
        with pytest.raises(RuleViolation, match="Hồ sơ không cho thấy"):
            propose(people["thang"], ["not_complete_two_years"])


@pytest.mark.parametrize(("paid", "shown"), [((1, 2, 3), False), ((1, 2), True)])
def test_unpaid_dues_is_a_ground_from_three_months_of_a_year(world, people, paid, shown):
    """Dues kept from January 2026, recorded up to May (Thắng's May): on 1 June Lan owes
    January to May; paid three of them she is two behind, paid two she is three."""
    install_defaults()
    DuesSettings.objects.update_or_create(pk=1, defaults={"kept_from": D(2026, 1, 1)})
    for member, months in ((people["thang"], (5,)), (people["lan"], paid)):
        dues_services.record_payments(member, [dues_services.MonthPaid(D(2026, m, 1), 5000)
                                               for m in months], paid_on=D(2026, 5, 31),
                                      actor=SYSTEM, exception=Decision("1", D(2026, 5, 1)))
    if shown:
        case = propose(people["lan"], ["unpaid_dues"])
        assert case.evidence["unpaid_dues"] == (
            "Không đóng đảng phí 3 tháng của năm 2026 (tháng 3, 4, 5).")
    else:
        with pytest.raises(RuleViolation, match="Hồ sơ không cho thấy"):
            propose(people["lan"], ["unpaid_dues"])


def test_where_no_dues_are_kept_nobody_is_behind(world, people):
    with pytest.raises(RuleViolation, match="Hồ sơ không cho thấy"):
        propose(people["lan"], ["unpaid_dues"])


def test_a_ground_no_record_shows_needs_the_cells_document(world, people):
    with pytest.raises(RuleViolation) as error:
        propose(people["lan"], ["card_returned"])
    assert error.value.field == "document" and not RemovalCase.objects.exists()
    case = propose(people["lan"], ["card_returned"], document="Nghị quyết 05-NQ/CB")
    assert case.evidence == {} and case.document == "Nghị quyết 05-NQ/CB"


@pytest.mark.parametrize(("grounds", "field"), [([], "grounds"), (["nothing"], "grounds")])
def test_no_or_unknown_grounds_are_refused(world, people, grounds, field):
    with pytest.raises(RuleViolation) as error:
        propose(people["lan"], grounds, document="NQ 1")
    assert error.value.field == field and not RemovalCase.objects.exists()


def test_one_pending_case_at_a_time_and_only_for_an_active_member(world, people):
    propose(people["lan"], ["card_returned"], document="NQ 1")
    with pytest.raises(RuleViolation, match="chờ quyết định"):
        propose(people["lan"], ["political_standard"], document="NQ 2")
    with pytest.raises(RuleViolation, match="sau hôm nay"):
        propose(people["thang"], ["card_returned"], document="NQ 3",
                day=timezone.localdate().replace(year=timezone.localdate().year + 1))
    assert RemovalCase.objects.count() == 1


def test_the_cell_proposes_only_for_its_own_members(world, people):
    with pytest.raises(PermissionDenied):
        services.propose_removal(services.NewRemoval(people["binh"], ["card_returned"], DAY,
                                                     document="NQ"),
                                 actor=world.users["secretary"])  # of Đồng Mạ, not Nà Khà
    assert not RemovalCase.objects.exists()


# The decision ------------------------------------------------------------------------------

def test_a_decision_to_remove_records_the_remove_event(world, people):
    case = propose(people["lan"], ["card_returned"], document="NQ 1")
    case = services.decide_removal(case, outcome="removed", decided_on=D(2026, 6, 20),
                                   decided_by=world.orgs["D1.X1"], decision_no="45-QĐ/ĐU",
                                   actor=world.users["commune"])
    member = Member.objects.get(pk=people["lan"].pk)
    assert member.status == "removed" and case.event.event == "remove"
    assert (case.event.effective_on, case.event.decision_no) == (D(2026, 6, 20), "45-QĐ/ĐU")


def test_a_rejection_records_no_event(world, people):
    case = propose(people["lan"], ["card_returned"], document="NQ 1")
    events = MemberEvent.objects.count()
    services.decide_removal(case, outcome="rejected", decided_on=D(2026, 6, 20),
                            decided_by=world.orgs["D1.X1"], actor=SYSTEM)
    assert MemberEvent.objects.count() == events
    assert Member.objects.get(pk=people["lan"].pk).status == "official"


@pytest.mark.parametrize(("change", "field"), [
    ({"decided_on": D(2026, 5, 31)}, "decided_on"),  # before the proposal
    ({"decision_no": ""}, "decision_no"),
    ({"decided_by": "D1.X1.C1"}, "decided_by"),  # the cell itself
    ({"decided_by": "D2.X1"}, "decided_by"),  # not above the cell
    ({"outcome": "pending"}, "outcome"),
])
def test_a_decision_the_rules_refuse_writes_nothing(world, people, change, field):
    case = propose(people["lan"], ["card_returned"], document="NQ 1")
    data = {"outcome": "removed", "decided_on": D(2026, 6, 20), "decision_no": "45-QĐ/ĐU",
            "decided_by": "D1.X1", **change}
    data["decided_by"] = world.orgs[data["decided_by"]]
    with pytest.raises(RuleViolation) as error:
        services.decide_removal(case, actor=SYSTEM, **data)
    assert error.value.field == field
    case.refresh_from_db()
    assert case.is_pending and Member.objects.get(pk=people["lan"].pk).status == "official"


def test_a_case_is_decided_once_and_against_the_version_seen(world, people):
    from chibo.core.concurrency import version_of

    case = propose(people["lan"], ["card_returned"], document="NQ 1")
    seen = version_of(case)
    services.decide_removal(case, outcome="rejected", decided_on=D(2026, 6, 20),
                            decided_by=world.orgs["D1.X1"], actor=SYSTEM)
    with pytest.raises(StaleVersion):
        services.decide_removal(case, outcome="removed", decided_on=D(2026, 6, 21),
                                decided_by=world.orgs["D1.X1"], decision_no="1",
                                actor=SYSTEM, version=seen)
    with pytest.raises(RuleViolation, match="đã có quyết định"):
        services.decide_removal(case, outcome="removed", decided_on=D(2026, 6, 21),
                                decided_by=world.orgs["D1.X1"], decision_no="1",
                                actor=SYSTEM)


# Pages and API ---------------------------------------------------------------------------------

def test_the_secretary_proposes_from_the_member_page_and_the_commune_decides(world, people):
    absent_in(world, [2, 3, 4])
    secretary = world.client("secretary")
    member_page = secretary.get("/members/M001/").content.decode()
    assert "/members/M001/removal/" in member_page
    form = secretary.get("/members/M001/removal/").content.decode()
    assert "Vắng sinh hoạt chi bộ không có lý do 3 tháng của năm 2026" in form
    response = secretary.post("/members/M001/removal/", {
        "grounds": ["unexcused_absence"], "proposed_on": "01/06/2026"})
    case = RemovalCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/removals/{case.pk}/"
    # the secretary reads the case without the decision's form
    assert 'id="removal-decision"' not in secretary.get(f"/removals/{case.pk}/").content.decode()
    commune = world.client("commune")
    html = commune.get(f"/removals/{case.pk}/").content.decode()
    assert 'id="removal-decision"' in html and 'value="D1.X1"' in html
    version = re.search(r'name="record_version" value="([^"]+)"', html).group(1)
    response = commune.post(f"/removals/{case.pk}/", {
        "outcome": "removed", "decided_on": "20/06/2026", "decision_no": "45-QĐ/ĐU",
        "decided_by": "D1.X1", "record_version": version})
    assert response.status_code == 302
    assert Member.objects.get(member_code="M001").status == "removed"
    assert "Nông Thị Lan" in commune.get("/org/D1.X1/removals/?tab=decided").content.decode()


def test_a_ground_the_records_do_not_show_is_refused_on_the_page(world, people):
    response = world.client("secretary").post("/members/M001/removal/", {
        "grounds": ["unexcused_absence"], "proposed_on": "01/06/2026"})
    assert response.status_code == 200
    assert "Hồ sơ không cho thấy căn cứ" in response.content.decode()
    assert not RemovalCase.objects.exists()


def test_the_api_proposes_refuses_and_decides(world, people):
    secretary = world.client("secretary")
    refused = call(secretary, "post", "removals/cases", json={
        "member_code": "M001", "grounds": ["unexcused_absence"], "proposed_on": "2026-06-01"})
    assert refused.status_code == 422 and not RemovalCase.objects.exists()
    made = call(secretary, "post", "removals/cases", json={
        "member_code": "M001", "grounds": ["card_returned"], "document": "NQ 1",
        "proposed_on": "2026-06-01"})
    assert made.status_code == 201
    case_id = made.json()["id"]
    commune = world.client("commune")
    etag = call(commune, "get", f"removals/cases/{case_id}")["ETag"]
    decision = {"outcome": "rejected", "decided_on": "2026-06-20", "decided_by": "D1.X1"}
    decided = call(commune, "post", f"removals/cases/{case_id}/decision", json=decision,
                   headers={"If-Match": etag})
    assert decided.status_code == 200 and decided.json()["outcome"] == "rejected"
    again = call(commune, "post", f"removals/cases/{case_id}/decision",
                 json={**decision, "outcome": "removed", "decision_no": "1"},
                 headers={"If-Match": etag})
    assert again.status_code == 412
