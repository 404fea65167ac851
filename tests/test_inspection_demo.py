"""The demo province's inspections, supervisions and discipline (chibo/inspection/demo.py), on
the small demo: imported without an error through the bundle, in magnitudes like the
article's per member and year, every expulsion since 2020 with its `expel` event, the findings
rare but present, and the same rows again for the same seed."""

import io
import json
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from chibo.inspection import demo
from chibo.inspection.choices import AppealOutcome, Form, Kind
from chibo.inspection.models import Discipline, Inspection, InspectionSubject
from chibo.members.models import MemberEvent, MemberPeriod
from chibo.organizations.models import Organization, OrgPeriod
from chibo.site.demo import build_demo

END = date(9999, 12, 31)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_demo(seed=2025, size="small", stream=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def world(built, db):
    return None


def _members_today() -> int:
    today = timezone.localdate()
    return MemberPeriod.objects.filter(valid_from__lte=today, valid_to__gt=today).count()


def _years() -> float:
    return (timezone.localdate() - demo.FROM).days / 365.25


def test_inspections_in_the_articles_magnitudes(world):
    """The article's term, per 100,000 members and year: 4,213 member-lượt inspected, 41 on
    signs, 623 in thematic supervision (the demo within a factor of three); organization-lượt
    per organization and year (the article does not give the province's number of
    organizations) from a tenth to one inspected, a few in a hundred on signs."""
    members = _members_today() * _years()
    organizations = Organization.objects.count() * _years()
    counts = Counter()
    for kind, member in InspectionSubject.objects.values_list("inspection__kind", "member_id"):
        group = "inspected" if Kind.is_inspection(kind) else kind
        counts[(group, "members" if member else "orgs")] += 1
        if kind == Kind.INSPECTION_ON_SIGNS:
            counts[("on_signs", "members" if member else "orgs")] += 1
    article = {("inspected", "members"): 4213, ("on_signs", "members"): 41,
               (Kind.SUPERVISION_THEMATIC, "members"): 623}
    for key, figure in article.items():
        value = counts[key] * 100_000 / members
        assert figure / 3 <= value <= figure * 3, (key, value, figure)
    assert 0.1 <= counts[("inspected", "orgs")] / organizations <= 1
    assert 0.05 <= counts[(Kind.SUPERVISION_THEMATIC, "orgs")] / organizations <= 0.5
    assert 0 < counts[("on_signs", "orgs")] / organizations <= 0.05
    assert counts[(Kind.SUPERVISION_REGULAR, "orgs")] and counts[(Kind.SUPERVISION_REGULAR,
                                                                   "members")]


def test_every_level_inspects_and_subjects_lie_below(world):
    """The province, the districts (only before the reform), the grassroots committees and the
    cells conduct; a cell as `committee` only; an organization subject strictly below."""
    kinds = Counter(Inspection.objects.values_list("org__kind", "by_body"))
    for kind in ("provincial", "district", "grassroots_committee", "cell"):
        assert any(k == kind for k, _body in kinds), kind
    assert {body for k, body in kinds if k in ("cell", "grassroots_cell")} == {"committee"}
    # nothing by an organization once it ended (the districts on 1 July 2025)
    assert not Inspection.objects.filter(org__ended_on__isnull=False,
                                         start_on__gte=F("org__ended_on")).exists()
    for subject in InspectionSubject.objects.filter(org__isnull=False).select_related(
            "inspection").order_by("pk")[:300]:
        day = subject.inspection.start_on
        above, below = (OrgPeriod.objects.get(organization=pk, valid_from__lte=day,
                                              valid_to__gt=day).path
                        for pk in (subject.inspection.org_id, subject.org_id))
        assert below.startswith(above) and below != above
    # the provincial standing committee: 7 inspections and 10 supervisions in the term
    term = Inspection.objects.filter(org__code="TQ", by_body="standing_committee",
                                     start_on__range=demo.TERM)
    assert sum(1 for k in term.values_list("kind", flat=True) if Kind.is_inspection(k)) == 7
    assert sum(1 for k in term.values_list("kind", flat=True) if Kind.is_supervision(k)) == 10
    # concluded when ended, pending while running
    assert not InspectionSubject.objects.filter(inspection__end_on__isnull=True).exclude(
        conclusion="").exists()
    assert not InspectionSubject.objects.filter(inspection__end_on__isnull=False,
                                                conclusion="").exists()


def test_discipline_follows_the_members_files(world):
    expelled = set(MemberEvent.objects.filter(event="expel", effective_on__gte=demo.FROM)
                   .values_list("member_id", "effective_on"))
    standing = {(d.member_id, d.effective_on) for d in Discipline.objects.filter(
        form=Form.EXPULSION) if d.standing_form == Form.EXPULSION}
    assert expelled and standing == expelled
    for row in Discipline.objects.filter(form=Form.EXPULSION, member__isnull=False):
        assert row.decided_on <= row.effective_on <= row.decided_on + timedelta(days=15)
        assert row.decided_by.kind in demo.COMMITTEES
    forms = Counter(Discipline.objects.filter(member__isnull=False).values_list("form",
                                                                                flat=True))
    # the article's ratio to the expulsions (355 : 114 : 9 : 86), a few dismissals at least
    expulsions = len(expelled)
    assert forms[Form.REPRIMAND] >= 3 * expulsions and forms[Form.REPRIMAND] >= 3
    assert forms[Form.WARNING] >= expulsions and forms[Form.WARNING] >= 2
    assert forms[Form.DISMISSAL] >= 2
    assert Discipline.objects.filter(org__isnull=False).count() >= 2
    outcomes = Counter(Discipline.objects.exclude(appeal_outcome="").values_list(
        "appeal_outcome", flat=True))
    assert outcomes[AppealOutcome.CHANGED] == 1 and outcomes[AppealOutcome.ANNULLED] == 1
    assert outcomes[AppealOutcome.UPHELD] >= 1
    annulled = Discipline.objects.get(appeal_outcome=AppealOutcome.ANNULLED)
    assert annulled.form == Form.EXPULSION and annulled.member.status == "official"
    assert not MemberEvent.objects.filter(member=annulled.member, event="expel").exists()
    # some decisions came out of the inspection on signs that proposed them
    proposed = Discipline.objects.filter(inspection__isnull=False).select_related("inspection")
    assert proposed.exists()
    for row in proposed:
        assert row.inspection.kind == Kind.INSPECTION_ON_SIGNS
        assert row.inspection.subjects.filter(
            member=row.member, org=row.org, conclusion="violation_discipline_proposed").exists()


def test_the_findings_are_rare_but_there(world):
    out = io.StringIO()
    with pytest.raises(SystemExit):  # 1: something open was found
        call_command("compliance_check", "--org", "TQ", "--format", "json", stdout=out)
    keys = Counter(f["key"] for f in json.loads(out.getvalue())["record_findings"])
    assert keys["discipline.limitation"] == 1 and keys["discipline.authority"] == 1
    assert not keys["discipline.probationary_form"] and not keys["discipline.dismissal_post"]


def test_the_same_seed_gives_the_same_rows(world):
    today = timezone.localdate()
    first, second = demo.plan(seed=2025, today=today), demo.plan(seed=2025, today=today)
    assert first.inspections == second.inspections and first.subjects == second.subjects
    assert first.discipline == second.discipline
    # the rows in the database are these
    assert Inspection.objects.count() == len(first.inspections)
    assert InspectionSubject.objects.count() == len(first.subjects)
    assert Discipline.objects.count() == len(first.discipline)
    assert demo.plan(seed=7, today=today).inspections != first.inspections


def test_the_province_and_districts_plan_their_years(world):
    """Every planned inspection of the province and the districts lies under an item of its
    conductor's programme of its year, by its own body and of its own kind, planned over its
    start; none on signs of violation does; the province has its term's programme."""
    from chibo.inspection.models import Programme

    planned = Inspection.objects.filter(org__kind__in=demo.PROGRAMME_LEVELS,
                                        kind__in=demo.PLANNED)
    assert planned.exists()
    assert not planned.filter(programme_item__isnull=True).exists()
    assert not planned.exclude(programme_item__programme__org=F("org")).exists()
    assert not planned.exclude(programme_item__programme__by_body=F("by_body")).exists()
    assert not planned.exclude(programme_item__kind=F("kind")).exists()
    for inspection in planned.select_related("programme_item__programme"):
        item = inspection.programme_item
        assert item.programme.year == inspection.start_on.year
        assert item.planned_from <= inspection.start_on <= item.planned_to
    assert not Inspection.objects.filter(kind=Kind.INSPECTION_ON_SIGNS,
                                         programme_item__isnull=False).exists()
    term = Programme.objects.get(org__kind="provincial", term_from=2020)
    assert term.term_to == 2025 and term.items.count() == len(demo.PLANNED)
