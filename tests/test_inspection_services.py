"""The services of inspection, supervision and discipline (chibo.inspection.services): each
rule refused with a clear error naming the field and nothing written, each boundary before / at /
after, and the effects of a decision on the member's file and the tree in the same transaction.

The story: the inspection commission of An Phú commune (D1.X1) inspects its cells and members
in 2026; Ma Văn Thắng, a committee member of the Đồng Mạ cell, is concluded to have violated the
rules and is disciplined; he appeals."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from chibo.accounts.policy import SYSTEM
from chibo.audit.models import AuditRecord
from chibo.core.concurrency import StaleVersion, version_of
from chibo.core.exceptions import RuleViolation
from chibo.findings.models import RecordedException
from chibo.findings.services import Decision
from chibo.inspection import queries, rules, services
from chibo.inspection.models import (
    CaseRead,
    Discipline,
    EndedPost,
    Inspection,
    InspectionSubject,
)
from chibo.members import queries as member_queries
from chibo.members import services as member_services
from chibo.members.models import Member, MemberEvent, Position
from chibo.organizations.calendar import working_calendar
from chibo.organizations.models import Organization
from chibo.stats import engine
from tests.conftest import D

ALLOWED = Decision("07-QĐ/UBKTTU", D(2026, 1, 5), "TQ")


@pytest.fixture
def inspector(world):
    return world.users["inspector"]


@pytest.fixture
def posts(world, people):
    """Thắng is a committee member of the cell from 2015; Hoa its secretary from 2020 (and head
    of the village, a post that is not the party's)."""
    cell = world.orgs["D1.X1.C1"]
    return {
        "thang": member_services.assign_post(people["thang"], actor=SYSTEM,
                                             role="committee_member", org=cell,
                                             start_on=D(2015, 1, 1)),
        "hoa": member_services.assign_post(people["hoa"], actor=SYSTEM, role="secretary",
                                           org=cell, start_on=D(2020, 1, 1)),
        "hoa_village": member_services.assign_post(people["hoa"], actor=SYSTEM,
                                                   role="village_head",
                                                   village=world.villages["V1"],
                                                   start_on=D(2020, 1, 1)),
    }


def refused(call, field: str, code: str = "rule") -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        call()
    assert caught.value.field == field, caught.value.messages
    assert caught.value.code == code, caught.value.messages
    return caught.value


def opened(world, actor=SYSTEM, org="D1.X1", start_on=D(2026, 3, 2), **extra) -> Inspection:
    values = {"code": "", "kind": "inspection_on_signs", "org": world.orgs[org],
              "by_body": "inspection_commission", "start_on": start_on,
              "title": "Kiểm tra khi có dấu hiệu vi phạm"} | extra
    return services.open_inspection(services.NewInspection(**values), actor=actor)


def decision(world, people, member="thang", form="warning", decided_on=D(2026, 4, 1),
             violation_on=D(2026, 1, 10), decided_by="D1.X1", by_body="inspection_commission",
             code="", **extra) -> services.NewDiscipline:
    subject = {"member": people[member]} if member else {}
    return services.NewDiscipline(code=code, form=form, violation_on=violation_on,
                                  decided_on=decided_on, decided_by=world.orgs[decided_by],
                                  by_body=by_body, **subject, **extra)


def decide(world, people, actor=SYSTEM, exception=None, **kwargs) -> Discipline:
    return services.decide_discipline(decision(world, people, **kwargs), actor=actor,
                                      exception=exception)


def total(org: Organization, day: date) -> int:
    return engine.compute(org, engine.Request.parse(day, metrics="members.total"))[
        "members.total"]


def nothing_decided():
    assert not Discipline.objects.exists()
    assert not AuditRecord.objects.filter(action__startswith="discipline.").exists()
    assert not MemberEvent.objects.filter(event="expel").exists()


# Programmes ---------------------------------------------------------------------------------

def test_a_programme_for_the_year_and_its_items(world, inspector):
    programme = services.create_programme(actor=inspector, org=world.orgs["D1.X1"],
                                          by_body="inspection_commission",
                                          title="Chương trình kiểm tra, giám sát năm 2026",
                                          year=2026)
    item = services.add_programme_item(programme, actor=inspector, kind="supervision_thematic",
                                       content="Giám sát việc thực hiện Chỉ thị 50",
                                       subject_org=world.orgs["D1.X1.C1"])
    assert (item.planned_from, item.planned_to) == (D(2026, 1, 1), D(2026, 12, 31))
    assert AuditRecord.objects.filter(action__in=("inspection.programme",
                                                  "inspection.programme_item")).count() == 2
    inspection = opened(world, actor=inspector, kind="supervision_thematic",
                        programme_item=item)
    assert inspection.programme_item == item


def test_a_programme_is_of_a_year_or_of_a_term_and_its_body_fits(world):
    org = world.orgs["D1.X1"]
    new = services.create_programme
    refused(lambda: new(actor=SYSTEM, org=org, by_body="committee", title="X", year=2026,
                        term_from=2025, term_to=2030), "year")
    refused(lambda: new(actor=SYSTEM, org=org, by_body="committee", title="X"), "year")
    refused(lambda: new(actor=SYSTEM, org=org, by_body="committee", title="X", term_from=2030,
                        term_to=2025), "term_to")
    refused(lambda: new(actor=SYSTEM, org=org, by_body="committee", title="  ", year=2026),
            "title")
    # a cell has no standing committee
    refused(lambda: new(actor=SYSTEM, org=world.orgs["D1.X1.C1"], by_body="standing_committee",
                        title="X", year=2026), "by_body")
    term = new(actor=SYSTEM, org=org, by_body="standing_committee", title="Nhiệm kỳ",
               term_from=2025, term_to=2030)
    refused(lambda: services.add_programme_item(
        term, actor=SYSTEM, kind="inspection_regular", content="X",
        subject_org=world.orgs["D2.X1"]), "subject_org")
    refused(lambda: services.add_programme_item(
        term, actor=SYSTEM, kind="inspection_regular", content="X",
        planned_from=D(2024, 12, 31), planned_to=D(2025, 3, 1)), "planned_from")
    assert not term.items.exists()


# Inspections --------------------------------------------------------------------------------

def test_codes_are_given_in_order_and_a_typed_one_is_kept_once(world, inspector):
    assert opened(world, actor=inspector).code == "KT2026-0001"
    assert opened(world, actor=inspector).code == "KT2026-0002"
    assert opened(world, code="UBKT-01").code == "UBKT-01"
    refused(lambda: opened(world, code="UBKT-01"), "code", "duplicate")
    refused(lambda: opened(world, code="UBKT 02"), "code")
    assert Inspection.objects.count() == 3


def test_an_inspection_is_opened_by_a_body_the_organization_has_on_days_in_order(world):
    refused(lambda: opened(world, end_on=D(2026, 3, 1)), "end_on")  # the day before the start
    assert opened(world, code="same-day", end_on=D(2026, 3, 2)).end_on == D(2026, 3, 2)
    refused(lambda: opened(world, org="D1.X1.C1"), "by_body")
    refused(lambda: opened(world, start_on=D(1989, 12, 31)), "start_on")  # before it existed
    refused(lambda: opened(world, kind="audit"), "kind")
    assert Inspection.objects.count() == 1
    assert AuditRecord.objects.filter(action="inspection.open").count() == 1


def test_only_inspection_officers_of_the_subtree_open_and_close(world):
    with pytest.raises(PermissionDenied):
        opened(world, actor=world.users["commune"])  # a clerk of the commune
    with pytest.raises(PermissionDenied):
        opened(world, actor=world.users["other_commune"])
    assert not Inspection.objects.exists()
    inspection = opened(world, actor=world.users["inspector"])
    with pytest.raises(PermissionDenied):
        services.close_inspection(inspection, actor=world.users["commune"], end_on=D(2026, 4, 1))


def test_closing_an_inspection(world, inspector):
    inspection = opened(world)
    refused(lambda: services.close_inspection(inspection, actor=inspector,
                                              end_on=D(2026, 3, 1)), "end_on")
    seen = version_of(inspection)
    services.close_inspection(inspection, actor=inspector, end_on=D(2026, 3, 2), version=seen)
    with pytest.raises(StaleVersion):
        services.close_inspection(inspection, actor=inspector, end_on=D(2026, 3, 5),
                                  version=seen)
    refused(lambda: services.close_inspection(inspection, actor=inspector,
                                              end_on=D(2026, 3, 5)), "end_on")


# Subjects -----------------------------------------------------------------------------------

def test_subjects_lie_in_the_conducting_subtree_and_are_active_on_the_start_day(world, people):
    inspection = opened(world)
    add = services.add_subject
    add(inspection, actor=SYSTEM, member=people["lan"])
    add(inspection, actor=SYSTEM, org=world.orgs["D1.X1.C1"])
    refused(lambda: add(inspection, actor=SYSTEM, member=people["yen"]), "member")  # D2
    refused(lambda: add(inspection, actor=SYSTEM, org=world.orgs["D1.X1"]), "org")  # itself
    refused(lambda: add(inspection, actor=SYSTEM, org=world.orgs["D2.X1.C1"]), "org")
    refused(lambda: add(inspection, actor=SYSTEM, member=people["lan"]), "member", "duplicate")
    refused(lambda: add(inspection, actor=SYSTEM), "org")
    refused(lambda: add(inspection, actor=SYSTEM, org=world.orgs["D1.X1.C1"],
                        member=people["thang"]), "org")
    assert inspection.subjects.count() == 2


def test_a_member_admitted_after_the_start_day_is_not_a_subject(world, people):
    # Nguyễn Văn An was admitted on 1 September 2025
    refused(lambda: services.add_subject(opened(world, start_on=D(2025, 8, 31)), actor=SYSTEM,
                                         member=people["an"]), "member")
    subject = services.add_subject(opened(world, start_on=D(2025, 9, 1)), actor=SYSTEM,
                                   member=people["an"])
    assert subject.member == people["an"]


def test_a_committee_member_subject_is_derived_from_the_posts_on_the_start_day(world, people,
                                                                             posts):
    member_services.end_post(posts["thang"], actor=SYSTEM, end_on=D(2026, 3, 1))
    before = opened(world, start_on=D(2026, 3, 1))
    after = opened(world, start_on=D(2026, 3, 2))
    subjects = [services.add_subject(inspection, actor=SYSTEM, member=people[name])
                for inspection in (before, after) for name in ("thang", "lan", "hoa")]
    subjects = list(InspectionSubject.objects.filter(pk__in=[s.pk for s in subjects])
                    .select_related("inspection"))
    committee = queries.committee_subjects(subjects)
    named = {(s.inspection.start_on, s.member.member_code) for s in subjects
             if s.pk in committee}
    # Thắng held his post on 1 March (its last day), not on 2 March; Hoa on both; Lan never
    assert named == {(D(2026, 3, 1), "M002"), (D(2026, 3, 1), "M005"), (D(2026, 3, 2), "M005")}


def test_conclusions_with_their_document_and_follow_up(world, people, inspector):
    inspection = opened(world)
    subject = services.add_subject(inspection, actor=SYSTEM, member=people["thang"])
    conclude = services.record_conclusion
    refused(lambda: conclude(subject, actor=inspector, conclusion="violation",
                             concluded_on=D(2026, 3, 1)), "concluded_on")
    refused(lambda: conclude(subject, actor=inspector, conclusion="guilty",
                             concluded_on=D(2026, 3, 2)), "conclusion")
    refused(lambda: conclude(subject, actor=inspector, conclusion="violation",
                             concluded_on=D(2026, 3, 20), follow_up="Kiểm điểm",
                             follow_up_due=D(2026, 3, 19)), "follow_up_due")
    with pytest.raises(PermissionDenied):
        conclude(subject, actor=world.users["commune"], conclusion="violation",
                 concluded_on=D(2026, 3, 20))
    subject.refresh_from_db()
    assert subject.conclusion == "" and subject.concluded_on is None
    subject = conclude(subject, actor=inspector, conclusion="violation_discipline_proposed",
                       concluded_on=D(2026, 3, 2), follow_up="Kiểm điểm trước chi bộ",
                       follow_up_due=D(2026, 3, 2),
                       document=services.ConclusionDocument("12-KL/UBKTĐU", D(2026, 3, 2)))
    assert (subject.conclusion_no, subject.conclusion_doc_on) == ("12-KL/UBKTĐU", D(2026, 3, 2))
    refused(lambda: services.record_follow_up_done(subject, actor=inspector,
                                                   done_on=D(2026, 3, 1)), "done_on")
    subject = services.record_follow_up_done(subject, actor=inspector, done_on=D(2026, 3, 2))
    assert subject.follow_up_done_on == D(2026, 3, 2)
    # a concluded subject stays; a pending one may be taken off
    refused(lambda: services.remove_subject(subject, actor=inspector), "conclusion")
    pending = services.add_subject(inspection, actor=SYSTEM, member=people["lan"])
    services.remove_subject(pending, actor=inspector)
    assert list(inspection.subjects.values_list("member__member_code", flat=True)) == ["M002"]
    actions = list(AuditRecord.objects.filter(action__startswith="inspection.").order_by("pk")
                   .values_list("action", flat=True))
    assert actions == ["inspection.open", "inspection.subject_add", "inspection.conclude",
                       "inspection.follow_up_done", "inspection.subject_add",
                       "inspection.subject_remove"]


def test_a_conclusion_made_against_an_old_version_is_refused(world, people, inspector):
    subject = services.add_subject(opened(world), actor=SYSTEM, member=people["thang"])
    seen = version_of(subject)
    services.record_conclusion(subject, actor=inspector, conclusion="shortcomings",
                               concluded_on=D(2026, 3, 10), version=seen)
    with pytest.raises(StaleVersion):
        services.record_conclusion(subject, actor=inspector, conclusion="no_violation",
                                   concluded_on=D(2026, 3, 10), version=seen)
    subject.refresh_from_db()
    assert subject.conclusion == "shortcomings"


# Discipline: the rules ----------------------------------------------------------------------

def test_a_probationary_member_only_reprimand_or_warning(world, people):
    an = people["an"]  # probationary since 1 September 2025
    for form in ("dismissal", "expulsion"):
        error = refused(lambda form=form: decide(world, people, member="an", form=form),
                        "form", "finding")
        assert "dự bị" in error.messages[0]
    nothing_decided()
    for form in ("reprimand", "warning"):
        decide(world, people, member="an", form=form)
    expelled = decide(world, people, member="an", form="expulsion", exception=ALLOWED,
                      decided_on=D(2026, 5, 4))
    assert RecordedException.objects.filter(finding="discipline.probationary_form",
                                            record=expelled.code).exists()
    an.refresh_from_db()
    assert an.status == "expelled"


def test_a_dismissal_needs_a_party_post_the_day_before_it_takes_effect(world, people, posts):
    refused(lambda: decide(world, people, member="lan", form="dismissal"), "form", "finding")
    member_services.end_post(posts["thang"], actor=SYSTEM, end_on=D(2026, 3, 30))
    # takes effect on 1 April: the post ended on 30 March, not held on 31 March
    refused(lambda: decide(world, people, form="dismissal", decided_on=D(2026, 3, 31),
                           effective_on=D(2026, 4, 1)), "form", "finding")
    nothing_decided()
    # takes effect on 31 March: held on 30 March
    decide(world, people, form="dismissal", decided_on=D(2026, 3, 31))
    assert Discipline.objects.count() == 1


def test_authority_by_level(world, people):
    # the cell may reprimand or warn its own member ...
    decide(world, people, form="warning", decided_by="D1.X1.C1", by_body="committee")
    # ... not expel him, unless a decision allowed it
    refused(lambda: decide(world, people, form="expulsion", decided_by="D1.X1.C1",
                           by_body="committee"), "decided_by", "finding")
    # a cell decides nothing on another cell's member, nor on the cell above it
    refused(lambda: decide(world, people, member="binh", decided_by="D1.X1.C1",
                           by_body="committee"), "decided_by")
    # a cell acts as its committee only
    refused(lambda: decide(world, people, decided_by="D1.X1.C1",
                           by_body="inspection_commission"), "by_body")
    # an organization is disciplined from above it, not by itself
    refused(lambda: decide(world, people, member=None, org=world.orgs["D1.X1.C1"],
                           decided_by="D1.X1.C1", by_body="committee"), "decided_by")
    # the commune may expel
    assert decide(world, people, form="expulsion").form == "expulsion"
    assert Discipline.objects.count() == 2


@pytest.mark.parametrize("form, violation_on, decided_on, ok", [
    ("reprimand", D(2015, 6, 10), D(2020, 6, 9), True),    # the day before the 5th year
    ("reprimand", D(2015, 6, 10), D(2020, 6, 10), False),  # at 5 years to the day
    ("reprimand", D(2015, 6, 10), D(2020, 6, 11), False),
    ("warning", D(2012, 3, 1), D(2022, 2, 28), True),       # the day before the 10th year
    ("warning", D(2012, 3, 1), D(2022, 3, 1), False),       # at 10 years to the day
    ("warning", D(2012, 3, 1), D(2022, 3, 2), False),
    ("warning", D(2016, 2, 29), D(2026, 2, 27), True),      # from 29 February: 28 February
    ("warning", D(2016, 2, 29), D(2026, 2, 28), False),
    ("expulsion", D(2000, 1, 1), D(2026, 1, 1), True),      # no limitation
])
def test_the_statute_of_limitations_to_the_day(world, people, form, violation_on, decided_on,
                                               ok):
    def call():
        return decide(world, people, form=form, violation_on=violation_on,
                      decided_on=decided_on)
    if ok:
        assert call().decided_on == decided_on
    else:
        error = refused(call, "violation_on", "finding")
        assert "thời hiệu" in error.messages[0]
        nothing_decided()
        with_exception = decide(world, people, form=form, violation_on=violation_on,
                                decided_on=decided_on, exception=ALLOWED)
        assert RecordedException.objects.get(record=with_exception.code).finding == (
            "discipline.limitation")


def test_dates_out_of_order_are_refused(world, people):
    refused(lambda: decide(world, people, violation_on=D(2026, 4, 2)), "decided_on")
    refused(lambda: decide(world, people, effective_on=D(2026, 3, 31)), "effective_on")
    assert decide(world, people, violation_on=D(2026, 4, 1),
                  effective_on=D(2026, 4, 1)).code == "KL2026-0001"
    nothing_else = Discipline.objects.count()
    assert nothing_else == 1


def test_the_subject_is_active_from_the_day_before_the_decision(world, people):
    # An was admitted on 1 September 2025: a decision of 1 September judges 31 August
    refused(lambda: decide(world, people, member="an", form="reprimand",
                           violation_on=D(2025, 9, 1), decided_on=D(2025, 9, 1)), "member")
    decide(world, people, member="an", form="reprimand", violation_on=D(2025, 9, 1),
           decided_on=D(2025, 9, 2))
    # an organization is not expelled
    refused(lambda: decide(world, people, member=None, org=world.orgs["D1.X1.C1"],
                           form="expulsion"), "form")


def test_only_inspection_officers_decide(world, people):
    with pytest.raises(PermissionDenied):
        decide(world, people, actor=world.users["commune"])
    with pytest.raises(PermissionDenied):
        decide(world, people, actor=world.users["other_commune"])
    nothing_decided()


# Discipline: the effects --------------------------------------------------------------------

def test_an_expulsion_ends_the_membership_on_the_day_it_takes_effect(world, people, inspector):
    cell = world.orgs["D1.X1.C1"]
    assert total(cell, D(2026, 3, 31)) == 5
    discipline = decide(world, people, actor=inspector, form="expulsion",
                        decided_on=D(2026, 3, 25), effective_on=D(2026, 4, 1),
                        decision_no="21-QĐ/UBKTĐU")
    thang = Member.objects.get(pk=people["thang"].pk)
    assert thang.status == "expelled" and thang.ended_on == D(2026, 4, 1)
    event = MemberEvent.objects.get(member=thang, event="expel")
    assert (event.effective_on, event.decision_no) == (D(2026, 4, 1), "21-QĐ/UBKTĐU")
    assert (total(cell, D(2026, 3, 31)), total(cell, D(2026, 4, 1))) == (5, 4)
    expelled = engine.compute(cell, engine.Request.parse(D(2026, 12, 31), D(2026, 1, 1),
                                                         D(2026, 12, 31), "expelled"))
    assert expelled["expelled"] == 1
    audit = AuditRecord.objects.filter(action__in=("member.expel", "discipline.decide"))
    assert sorted(audit.values_list("action", "actor_name")) == [
        ("discipline.decide", "inspector"), ("member.expel", "inspector")]
    assert discipline.standing_form == "expulsion"


def test_an_expulsion_the_history_refuses_writes_nothing(world, people):
    member_services.record_event(people["thang"], actor=SYSTEM, event="die",
                                 effective_on=D(2026, 2, 1))
    refused(lambda: decide(world, people, form="expulsion", decided_on=D(2026, 1, 20),
                           effective_on=D(2026, 3, 1)), "member")
    nothing_decided()


def test_a_dismissal_ends_the_party_posts_held_the_day_before(world, people, posts):
    decide(world, people, member="hoa", form="dismissal", decided_on=D(2026, 4, 1),
           effective_on=D(2026, 4, 10))
    ended = {p.role: p.end_on for p in Position.objects.filter(member=people["hoa"])}
    assert ended == {"secretary": D(2026, 4, 9), "village_head": None}
    assert AuditRecord.objects.filter(action="member.post_end").count() == 1


def test_a_dissolution_waits_until_nothing_stands_in_the_organization(world, people):
    commune, cell = world.orgs["D1.X1"], world.orgs["D1.X1.C1"]
    blockers = services.dissolution_blockers(cell, D(2026, 4, 1))
    assert [(b.kind, b.code) for b in blockers] == [
        ("member", code) for code in ("M004", "M003", "M005", "M001", "M002")]  # by given name
    assert {b.code for b in services.dissolution_blockers(commune, D(2026, 4, 1))} == {
        "D1.X1.C1", "D1.X1.C2", "D1.X1.C3"}
    error = refused(lambda: decide(world, people, member=None, org=cell, form="dissolution"),
                    "form", "not_empty")
    assert "M001" in error.messages[0] or "Nông Thị Lan" in error.messages[0]
    nothing_decided()
    school = world.orgs["D1.X1.C3"]  # a cell without members
    assert services.dissolution_blockers(school, D(2026, 4, 1)) == []
    decide(world, people, member=None, org=school, form="dissolution")
    school.refresh_from_db()
    assert school.ended_on == D(2026, 4, 1)
    assert AuditRecord.objects.filter(action="organization.dissolve").exists()


# Appeals ------------------------------------------------------------------------------------

@pytest.fixture
def expulsion(world, people):
    discipline = decide(world, people, form="expulsion", decided_on=D(2026, 3, 25),
                        effective_on=D(2026, 4, 1))
    return services.record_appeal(discipline, actor=SYSTEM, appealed_on=D(2026, 4, 20))


def expel_days(member):
    return list(MemberEvent.objects.filter(member=member, event="expel")
                .values_list("effective_on", flat=True))


def test_an_appeal_comes_after_the_decision_and_once(world, people):
    discipline = decide(world, people)
    refused(lambda: services.record_appeal(discipline, actor=SYSTEM,
                                           appealed_on=D(2026, 3, 31)), "appealed_on")
    refused(lambda: services.decide_appeal(discipline, actor=SYSTEM, outcome="upheld",
                                           decided_on=D(2026, 5, 1)), "outcome")
    services.record_appeal(discipline, actor=SYSTEM, appealed_on=D(2026, 4, 1))
    refused(lambda: services.record_appeal(discipline, actor=SYSTEM,
                                           appealed_on=D(2026, 4, 2)), "appealed_on")
    refused(lambda: services.decide_appeal(discipline, actor=SYSTEM, outcome="upheld",
                                           decided_on=D(2026, 3, 31)), "decided_on")
    refused(lambda: services.decide_appeal(discipline, actor=SYSTEM, outcome="changed",
                                           decided_on=D(2026, 5, 1)), "form")
    refused(lambda: services.decide_appeal(discipline, actor=SYSTEM, outcome="changed",
                                           decided_on=D(2026, 5, 1), form="warning"), "form")
    refused(lambda: services.decide_appeal(discipline, actor=SYSTEM, outcome="changed",
                                           decided_on=D(2026, 5, 1), form="dissolution"),
            "form")
    services.decide_appeal(discipline, actor=SYSTEM, outcome="upheld", decided_on=D(2026, 5, 1))
    refused(lambda: services.decide_appeal(discipline, actor=SYSTEM, outcome="annulled",
                                           decided_on=D(2026, 5, 2)), "outcome")


def test_a_late_appeal_needs_the_receipt_day_and_is_refused_after_its_window(world, people):
    discipline = decide(world, people)  # decided on 1/4/2026
    deadline = rules.appeal_deadline(working_calendar(), D(2026, 4, 1))
    later = deadline + timedelta(days=1)
    refused(lambda: services.record_appeal(discipline, actor=SYSTEM, appealed_on=later),
            "appealed_on")
    too_early = deadline - timedelta(days=60)
    refused(lambda: services.record_appeal(discipline, actor=SYSTEM, appealed_on=later,
                                           received_on=too_early), "received_on")
    assert Discipline.objects.get(pk=discipline.pk).appealed_on is None
    services.record_appeal(discipline, actor=SYSTEM, appealed_on=later,
                           received_on=D(2026, 4, 3))
    discipline.refresh_from_db()
    assert (discipline.appealed_on, discipline.received_on) == (later, D(2026, 4, 3))


def test_an_upheld_expulsion_keeps_everything(world, people, expulsion):
    services.decide_appeal(expulsion, actor=SYSTEM, outcome="upheld", decided_on=D(2026, 5, 4))
    assert expel_days(people["thang"]) == [D(2026, 4, 1)]


def test_an_expulsion_changed_to_a_warning_removes_the_expel_event(world, people, expulsion):
    services.decide_appeal(expulsion, actor=SYSTEM, outcome="changed", form="warning",
                           decided_on=D(2026, 5, 4))
    assert expel_days(people["thang"]) == []
    assert Member.objects.get(pk=people["thang"].pk).status == "official"
    expulsion.refresh_from_db()
    assert expulsion.standing_form == "warning"


def test_a_warning_changed_to_expulsion_expels_on_the_appeals_day(world, people):
    warning = decide(world, people, form="warning")
    services.record_appeal(warning, actor=SYSTEM, appealed_on=D(2026, 4, 2))
    services.decide_appeal(warning, actor=SYSTEM, outcome="changed", form="expulsion",
                           decided_on=D(2026, 5, 4))
    assert expel_days(people["thang"]) == [D(2026, 5, 4)]


def test_an_annulled_expulsion_is_void_from_the_start(world, people, expulsion, inspector):
    cell, thang = world.orgs["D1.X1.C1"], people["thang"]
    # admitted on 1 March 2010, expelled on 1 April 2026: party age stops at 16 years
    stopped = member_queries.party_age_years(Member.objects.get(pk=thang.pk), D(2027, 6, 1))
    assert (total(cell, D(2026, 4, 15)), stopped) == (4, 16)
    services.decide_appeal(expulsion, actor=inspector, outcome="annulled",
                           decided_on=D(2026, 6, 1))
    thang = Member.objects.get(pk=thang.pk)
    assert (thang.status, thang.ended_on, expel_days(thang)) == ("official", None, [])
    # the statistics of the past days change, as a corrected record does
    assert total(cell, D(2026, 4, 15)) == 5
    expelled = engine.compute(cell, engine.Request.parse(D(2026, 12, 31), D(2026, 1, 1),
                                                         D(2026, 12, 31), "expelled"))
    assert expelled["expelled"] == 0
    # party age runs continuously (RULES.md §1): 17 years on 1 June 2027
    assert member_queries.party_age_years(thang, D(2027, 6, 1)) == 17
    # the audit trail keeps both steps, on the member's file
    trail = list(AuditRecord.objects.filter(object_id=str(thang.pk), action__in=(
        "member.expel", "member.void")).order_by("pk").values_list("action", "actor_name"))
    assert trail == [("member.expel", "system"), ("member.void", "inspector")]
    expulsion.refresh_from_db()
    assert expulsion.standing_form == "" and expulsion.appeal_outcome == "annulled"


@pytest.fixture
def dismissal(world, people, posts):
    """Hoa, secretary of the Đồng Mạ cell since 2020, dismissed from 10 April 2026; she
    appealed."""
    discipline = decide(world, people, member="hoa", form="dismissal", decided_on=D(2026, 4, 1),
                        effective_on=D(2026, 4, 10))
    return services.record_appeal(discipline, actor=SYSTEM, appealed_on=D(2026, 4, 20))


def committee_subjects_in_may(world) -> int:
    """`inspected.members.committee` of the commune in May 2026: Hoa inspected from 4 May,
    after the dismissal took effect."""
    request = engine.Request.parse(D(2026, 5, 31), D(2026, 5, 1), D(2026, 5, 31),
                                   "inspected.members.committee")
    return engine.compute(world.orgs["D1.X1"], request)["inspected.members.committee"]


def secretary_post(people) -> tuple:
    return Position.objects.filter(member=people["hoa"], role="secretary").values_list(
        "start_on", "end_on").get()


def test_an_annulled_dismissal_gives_the_post_back_from_its_start(world, people, dismissal,
                                                                  inspector):
    services.add_subject(opened(world, start_on=D(2026, 5, 4)), actor=SYSTEM,
                         member=people["hoa"])
    assert secretary_post(people) == (D(2020, 1, 1), D(2026, 4, 9))
    assert committee_subjects_in_may(world) == 0
    services.decide_appeal(dismissal, actor=inspector, outcome="annulled",
                           decided_on=D(2026, 6, 1))
    assert secretary_post(people) == (D(2020, 1, 1), None)
    assert Position.objects.filter(member=people["hoa"]).count() == 2  # no new post
    # the statistics of the days after the dismissal count her a committee member again
    assert committee_subjects_in_may(world) == 1
    trail = list(AuditRecord.objects.filter(object_id=str(people["hoa"].pk), action__in=(
        "member.post_end", "member.post_restore")).order_by("pk").values_list(
        "action", "actor_name"))
    assert trail == [("member.post_end", "system"), ("member.post_restore", "inspector")]
    restore = AuditRecord.objects.get(action="member.post_restore")
    assert dismissal.code in restore.after["reason"]
    assert AuditRecord.objects.filter(action="discipline.appeal_decide").exists()


def test_a_dismissal_made_lighter_gives_the_post_back(world, people, dismissal):
    services.decide_appeal(dismissal, actor=SYSTEM, outcome="changed", form="warning",
                           decided_on=D(2026, 6, 1))
    assert secretary_post(people) == (D(2020, 1, 1), None)
    assert Discipline.objects.get(pk=dismissal.pk).standing_form == "warning"


def test_a_dismissal_changed_to_expulsion_keeps_the_post_ended(world, people, dismissal):
    services.decide_appeal(dismissal, actor=SYSTEM, outcome="changed", form="expulsion",
                           decided_on=D(2026, 6, 1))
    assert secretary_post(people) == (D(2020, 1, 1), D(2026, 4, 9))
    assert expel_days(people["hoa"]) == [D(2026, 6, 1)]
    assert not AuditRecord.objects.filter(action="member.post_restore").exists()


def test_a_post_ending_later_is_given_back_to_its_own_end(world, people, posts):
    """Recorded late: the post was to end on 30 September; the dismissal ended it on 9 April,
    the annulment gives back the months between, not more."""
    member_services.end_post(posts["hoa"], actor=SYSTEM, end_on=D(2026, 9, 30))
    dismissal = decide(world, people, member="hoa", form="dismissal", decided_on=D(2026, 4, 1),
                       effective_on=D(2026, 4, 10))
    services.record_appeal(dismissal, actor=SYSTEM, appealed_on=D(2026, 4, 20))
    services.decide_appeal(dismissal, actor=SYSTEM, outcome="annulled",
                           decided_on=D(2026, 6, 1))
    assert secretary_post(people) == (D(2020, 1, 1), D(2026, 9, 30))


def test_a_dismissal_from_a_bundle_gives_back_the_posts_ending_on_its_eve(world, people,
                                                                         dismissal):
    EndedPost.objects.all().delete()  # a bundle's decision: the import makes no effect
    assert [p.position.role for p in services.posts_ended_by(dismissal)] == ["secretary"]
    services.decide_appeal(dismissal, actor=SYSTEM, outcome="annulled",
                           decided_on=D(2026, 6, 1))
    assert secretary_post(people) == (D(2020, 1, 1), None)


def test_a_post_the_history_no_longer_bears_refuses_the_outcome(world, people, dismissal):
    # another secretary since 1 May: the post cannot be given back whole
    member_services.assign_post(people["lan"], actor=SYSTEM, role="secretary",
                                org=world.orgs["D1.X1.C1"], start_on=D(2026, 5, 1))
    error = refused(lambda: services.decide_appeal(dismissal, actor=SYSTEM, outcome="annulled",
                                                   decided_on=D(2026, 6, 1)),
                    "outcome", "secretary_taken")
    assert "Nông Thị Lan" in error.messages[0]
    # a post changed since the dismissal (its end is no longer the dismissal's)
    Position.objects.filter(member=people["lan"]).delete()
    member_services.end_post(Position.objects.get(member=people["hoa"], role="secretary"),
                             actor=SYSTEM, end_on=D(2026, 4, 5))
    refused(lambda: services.decide_appeal(dismissal, actor=SYSTEM, outcome="annulled",
                                           decided_on=D(2026, 6, 1)), "outcome")
    assert secretary_post(people) == (D(2020, 1, 1), D(2026, 4, 5))
    assert Discipline.objects.get(pk=dismissal.pk).appeal_outcome == ""
    assert not AuditRecord.objects.filter(action__in=("member.post_restore",
                                                      "discipline.appeal_decide")).exists()


def test_a_dissolution_in_effect_is_not_annulled_here(world, people):
    school = world.orgs["D1.X1.C3"]
    dissolution = decide(world, people, member=None, org=school, form="dissolution")
    services.record_appeal(dissolution, actor=SYSTEM, appealed_on=D(2026, 4, 10))
    refused(lambda: services.decide_appeal(dissolution, actor=SYSTEM, outcome="annulled",
                                           decided_on=D(2026, 5, 1)), "outcome")
    dissolution.refresh_from_db()
    assert dissolution.appeal_outcome == ""


# Reads --------------------------------------------------------------------------------------

def test_every_read_of_a_case_is_logged(world, people, inspector):
    inspection = opened(world)
    discipline = decide(world, people)
    services.record_case_read(inspection, reader=inspector, channel="page")
    services.record_case_read(discipline, reader=inspector, channel="api")
    reads = list(CaseRead.objects.order_by("pk").values_list("code", "reader_name", "channel",
                                                             "org_path"))
    assert reads == [(inspection.code, "inspector", "page", world.orgs["D1.X1"].path),
                     (discipline.code, "inspector", "api", world.orgs["D1.X1.C1"].path)]
    refused(lambda: services.record_case_read(inspection, reader=inspector, channel="fax"),
            "channel")


def test_the_queries_read_what_the_user_may_see(world, people, inspector):
    inspection = opened(world)
    services.add_subject(inspection, actor=SYSTEM, member=people["thang"])
    discipline = decide(world, people, form="expulsion")
    for name in ("commune", "other_commune", "secretary", "viewer"):
        user = world.users[name]
        assert not queries.inspections_for(user).exists()
        assert not queries.disciplines_for(user).exists()
    row = queries.inspections_for(inspector).get()
    assert (row.subject_count, row.concluded_count) == (1, 0)
    assert queries.disciplines_for(inspector).get().standing == "expulsion"
    # the member's own cases: conclusions once reached, and the decisions
    thang = people["thang"]
    thang.user = get_user_model().objects.create_user("thang")
    thang.save(update_fields=["user"])
    cases = queries.member_cases(thang, thang.user)
    assert (cases.conclusions, [d.code for d in cases.disciplines]) == ([], [discipline.code])
    # another member's account is not the member's own: it reads what its capabilities allow
    assert not queries.member_cases(thang, world.users["member"])
    assert not queries.member_cases(thang, world.users["commune"])
    assert queries.member_cases(thang, inspector).disciplines


def test_next_codes_follow_the_highest_number(world):
    for code in ("KT2026-0007", "KT2026-x", "KT2025-0100"):
        opened(world, code=code)
    assert services.next_code(Inspection, "KT2026-") == "KT2026-0008"
    assert services.next_code(Inspection, "KT2024-") == "KT2024-0001"


def test_dates_are_not_in_the_future(world, people):
    tomorrow = date.today() + timedelta(days=1)
    refused(lambda: opened(world, start_on=tomorrow), "start_on")
    refused(lambda: decide(world, people, decided_on=tomorrow), "decided_on")
