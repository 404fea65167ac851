"""The inspection and discipline keys (METRICS-v2) at their boundaries: where a record is placed
(the day's tree, merges, a member's cell at the day's end), committee members from the posts on
the day, the period by `start_on` and `decided_on`, conclusions by `to`, the form as decided;
and who reads the records behind them (inspection.view; the counts stay with stats.view)."""

from datetime import date

from chibo.accounts.policy import SYSTEM
from chibo.findings.queries import record_findings
from chibo.inspection import rules
from chibo.interchange.importer import import_records
from chibo.members import services as member_services
from chibo.organizations import services as org_services
from chibo.organizations.models import Organization
from chibo.stats import engine
from tests.conftest import D

YEAR = (D(2025, 12, 31), D(2025, 1, 1), D(2025, 12, 31))


def values(code: str, as_of: date, first: date, last: date) -> dict[str, int]:
    return engine.compute(Organization.objects.get(code=code),
                          engine.Request.parse(as_of, first, last))


def records(code: str, key: str, as_of: date, first: date, last: date) -> list:
    return list(engine.records(Organization.objects.get(code=code),
                               engine.Request.parse(as_of, first, last), key))


def load(inspections=(), subjects=(), discipline=()):
    result = import_records({"inspections.csv": list(inspections),
                             "inspection_subjects.csv": list(subjects),
                             "discipline.csv": list(discipline)}, actor=SYSTEM)
    assert result.errors == []


def inspection(code, kind, org, start_on, body="committee"):
    return {"code": code, "kind": kind, "org_code": org, "by_body": body, "start_on": start_on}


def subject(code, org=None, member=None, conclusion="", concluded_on=None):
    return {"inspection_code": code, "org_code": org, "member_code": member,
            "conclusion": conclusion, "concluded_on": concluded_on}


def decision(code, form, decided_on, decided_by, *, member=None, org=None, body="committee",
             effective_on=None, **more):
    return {"code": code, "member_code": member, "org_code": org, "form": form,
            "violation_on": D(2024, 1, 1), "decided_on": decided_on, "decided_by": decided_by,
            "by_body": body, "effective_on": effective_on, **more}


def test_a_subject_counts_by_its_inspections_start_on(world, people):
    load([inspection("K1", "inspection_regular", "D1.X1", D(2025, 1, 1),
                     "standing_committee"),
          inspection("K0", "inspection_regular", "D1.X1", D(2024, 12, 31),
                     "standing_committee")],
         [subject("K1", member="M001"), subject("K0", member="M002")])
    assert values("D1.X1", *YEAR)["inspected.members"] == 1
    assert [s.member.member_code for s in records("D1.X1", "inspected.members", *YEAR)] == [
        "M001"]
    assert values("D1.X1", D(2024, 12, 31), D(2024, 12, 31), D(2024, 12, 31))[
        "inspected.members"] == 1


def test_committee_members_from_the_posts_on_the_start_day(world, people):
    post = member_services.assign_post(people["lan"], actor=SYSTEM, role="committee_member",
                                       org=world.orgs["D1.X1"], start_on=D(2025, 3, 1))
    member_services.end_post(post, actor=SYSTEM, end_on=D(2025, 3, 31))
    load([inspection(f"K{n}", "inspection_on_signs", "D1.X1", day, "inspection_commission")
          for n, day in enumerate((D(2025, 2, 28), D(2025, 3, 1), D(2025, 3, 31),
                                   D(2025, 4, 1)))],
         [subject(f"K{n}", member="M001") for n in range(4)])
    got = values("D1.X1", *YEAR)
    assert (got["inspected_on_signs.members"], got["inspected_on_signs.members.committee"],
            got["inspected.members.committee"]) == (4, 2, 2)
    assert {s.inspection.code for s in records(
        "D1.X1", "inspected_on_signs.members.committee", *YEAR)} == {"K1", "K2"}


def test_a_member_subject_stands_in_their_cell_of_the_start_day(world, people):
    member_services.record_event(people["binh"], actor=SYSTEM, event="transfer",
                                 effective_on=D(2025, 6, 1), org=world.orgs["D2.X1.C1"])
    load([inspection("K1", "supervision_thematic", "TQ", D(2025, 5, 31), "standing_committee"),
          inspection("K2", "supervision_thematic", "TQ", D(2025, 6, 1), "standing_committee")],
         [subject("K1", member="M006"), subject("K2", member="M006")])
    assert values("D1.X1", *YEAR)["supervised_thematic.members"] == 1
    assert values("D2.X1", *YEAR)["supervised_thematic.members"] == 1
    assert values("TQ", *YEAR)["supervised_thematic.members"] == 2
    assert values("TQ", *YEAR)["supervisions.own.standing_committee"] == 2
    assert values("D1", *YEAR)["supervisions.own.standing_committee"] == 0


def test_conclusions_count_by_to_and_violations_include_the_proposals(world, people):
    load([inspection("K1", "inspection_regular", "D1", D(2025, 11, 1))],
         [subject("K1", member="M001", conclusion="violation", concluded_on=D(2025, 12, 31)),
          subject("K1", member="M002", conclusion="violation_discipline_proposed",
                  concluded_on=D(2026, 1, 1)),
          subject("K1", org="D1.X1", conclusion="violation_discipline_proposed",
                  concluded_on=D(2025, 12, 1)),
          subject("K1", org="D1.X2", conclusion="shortcomings", concluded_on=D(2025, 12, 1))])
    got = values("D1", *YEAR)
    assert (got["inspected.members"], got["inspected.members.violation"],
            got["inspected.members.discipline_proposed"]) == (2, 1, 0)
    assert (got["inspected.orgs"], got["inspected.orgs.violation"],
            got["inspected.orgs.discipline_proposed"]) == (2, 1, 1)
    later = values("D1", D(2026, 1, 1), D(2025, 1, 1), D(2026, 1, 1))
    assert later["inspected.members.discipline_proposed"] == 1
    # an organization subject stands at itself: D1.X1's own subtree holds it, D1.X2's not
    assert values("D1.X1", *YEAR)["inspected.orgs.violation"] == 1
    assert values("D1.X2", *YEAR)["inspected.orgs.violation"] == 0


def test_own_inspections_follow_the_conductor_as_it_was_on_start_on(world, people):
    """D1.X2 merges into D1.X1 on 1 July: its inspection of June stays its own, not D1.X1's;
    its subject's cell (merged with it) counts under D1.X1 for what started after."""
    load([inspection("K1", "inspection_other", "D1.X2", D(2025, 6, 30), "inspection_commission"),
          inspection("K2", "inspection_other", "D1.X1", D(2025, 7, 1), "inspection_commission")],
         [subject("K1", org="D1.X2.C1"), subject("K2", org="D1.X1.C1")])
    org_services.merge_organization(world.orgs["D1.X2"], actor=SYSTEM, into=world.orgs["D1.X1"],
                                    effective_on=D(2025, 7, 1))
    assert values("D1.X1", *YEAR)["inspections.own.inspection_commission"] == 1
    assert [i.code for i in records("D1.X1", "inspections.own.inspection_commission",
                                    *YEAR)] == ["K2"]
    assert values("D1.X2", D(2025, 6, 30), D(2025, 1, 1), D(2025, 12, 31))[
        "inspections.own.inspection_commission"] == 1
    assert values("D1.X1", *YEAR)["inspected.orgs"] == 1  # K1's cell stood under D1.X2 then


def test_discipline_counts_by_decided_on_the_form_as_decided(world, people):
    load(discipline=[
        decision("KL1", "reprimand", D(2025, 1, 1), "D1.X1.C1", member="M001"),
        decision("KL2", "warning", D(2026, 1, 1), "D1.X1.C1", member="M002"),
        decision("KL3", "warning", D(2025, 3, 1), "D1.X1", member="M005",
                 body="standing_committee", appealed_on=D(2025, 3, 5),
                 appeal_outcome="changed", appeal_decided_on=D(2025, 4, 1),
                 appeal_form="reprimand"),
        decision("KL4", "reprimand", D(2025, 5, 1), "D1", org="D1.X1.C2",
                 body="standing_committee")])
    got = values("D1.X1", *YEAR)
    assert (got["disciplined.members"], got["disciplined.members.reprimand"],
            got["disciplined.members.warning"]) == (2, 1, 1)
    assert (got["disciplined.orgs"], got["disciplined.orgs.reprimand"]) == (1, 1)
    assert [d.code for d in records("D1.X1", "disciplined.members.warning", *YEAR)] == ["KL3"]


def test_a_decision_stands_in_the_members_cell_the_day_before(world, people):
    """Transferred on the day before the decision: the new cell (at that day's end)."""
    member_services.record_event(people["binh"], actor=SYSTEM, event="transfer",
                                 effective_on=D(2025, 6, 1), org=world.orgs["D2.X1.C1"])
    member_services.record_event(people["cuong"], actor=SYSTEM, event="transfer",
                                 effective_on=D(2025, 6, 2), org=world.orgs["D2.X1.C1"])
    load(discipline=[
        decision("KL1", "reprimand", D(2025, 6, 2), "D2.X1.C1", member="M006"),
        decision("KL2", "reprimand", D(2025, 6, 2), "D1.X1", member="M007",
                 body="standing_committee")])
    assert [d.code for d in records("D2.X1", "disciplined.members", *YEAR)] == ["KL1"]
    assert [d.code for d in records("D1.X1", "disciplined.members", *YEAR)] == ["KL2"]


def test_a_committee_member_the_day_before_the_decision(world, people):
    member_services.assign_post(people["lan"], actor=SYSTEM, role="secretary",
                                org=world.orgs["D1.X1.C1"], start_on=D(2025, 5, 31))
    member_services.assign_post(people["thang"], actor=SYSTEM, role="deputy_secretary",
                                org=world.orgs["D1.X1.C1"], start_on=D(2025, 6, 1))
    load(discipline=[
        decision("KL1", "reprimand", D(2025, 6, 1), "D1.X1.C1", member="M001"),
        decision("KL2", "reprimand", D(2025, 6, 1), "D1.X1.C1", member="M002")])
    assert values("D1.X1", *YEAR)["disciplined.members.committee"] == 1
    assert [d.code for d in records("D1.X1", "disciplined.members.committee", *YEAR)] == [
        "KL1"]


def test_records_need_the_inspection_capability_the_counts_do_not(world, people):
    load([inspection("K1", "inspection_regular", "D1.X1", D(2025, 2, 1), "standing_committee")],
         [subject("K1", member="M001")])
    query = "org=D1.X1&as_of=2025-12-31&from=2025-01-01&to=2025-12-31"
    page = "/stats/D1.X1/records/inspected.members/?as_of=2025-12-31&from=2025-01-01" \
           "&to=2025-12-31"
    for user, records_status in (("viewer", 403), ("province", 403), ("inspector", 200),
                                 ("admin", 200), ("other_commune", 404)):
        client = world.client(user)
        counted = client.get(f"/api/v1/stats?{query}&metrics=inspected.members")
        answer = client.get(f"/api/v1/stats/records?{query}&metric=inspected.members")
        assert answer.status_code == records_status, user
        if records_status == 200:
            assert counted.json()["values"]["inspected.members"] == 1
            assert answer.json()["count"] == 1
        elif records_status == 403:
            assert counted.json()["values"]["inspected.members"] == 1
        assert client.get(page).status_code == records_status, user
    # the base keys' records stay open to whoever reads the statistics
    viewer = world.client("viewer")
    assert viewer.get(f"/api/v1/stats/records?{query}&metric=members.total").status_code == 200


def test_the_discipline_findings_need_the_inspection_capability(world, people):
    """A probationary member dismissed by his own cell: three findings, listed on the findings
    page and the home figures for the inspector, not for an officer who reads statistics."""
    load(discipline=[decision("KL1", "dismissal", D(2025, 10, 1), "D1.X1.C1", member="M004")])
    url = "/org/D1/meetings/findings/?tab=records&year="
    shown = world.client("inspector").get(url).content.decode()
    assert "KL1" in shown
    assert "KL1" not in world.client("viewer").get(url).content.decode()
    found = record_findings(world.orgs["D1"], D(2025, 10, 1), rules.KEYS)
    assert sorted(item.finding.key for item in found) == [
        rules.AUTHORITY, rules.DISMISSAL_POST, rules.PROBATIONARY_FORM]
    assert record_findings(world.orgs["D1"], D(2025, 9, 30), rules.KEYS) == []
