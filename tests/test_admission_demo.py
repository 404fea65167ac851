"""The demo province gets candidates at every stage, the files behind its recent admissions,
and the courses of 2020 on (chibo/admission/demo.py, chibo/courses/demo.py)."""

import io
import json
from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from chibo.admission import metrics
from chibo.admission.demo import ADMITTED_FROM
from chibo.admission.models import Candidate
from chibo.courses.models import Course, Enrollment
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.site.demo import build_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_demo(seed=2025, size="small", stream=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def root(demo, db):
    return Organization.objects.get(code="TQ")


def _keys(root, date_from: date) -> dict[str, int]:
    today = timezone.localdate()
    query = metrics.Query(today, date_from, today)
    return metrics.counts([root.pk], [root.pk], query, metrics.KEYS)[root.pk]


def test_candidates_at_every_stage_and_the_admissions_files(root):
    now = _keys(root, date(timezone.localdate().year, 1, 1))
    for key in metrics.STAGES.values():
        assert now[key] > 0, key
    assert now["admission.awaiting_ceremony"] > 0 and now["admission.overdue"] > 0
    assert now["cells.no_admission"] > 0
    since = _keys(root, ADMITTED_FROM)
    assert since["admission.decision_late"] > 0 and since["admission.ceremony_late"] > 0
    assert since["candidates.withdrawn"] > 0 and since["candidates.rejected"] > 0
    # The admitted candidates are the demo's admissions: the member admitted on the decision
    # day in the candidate's cell, for (nearly) every member admitted in a cell since 2020.
    admitted = Candidate.objects.filter(outcome="admitted").select_related("member")
    assert all(c.member.admitted_on == c.decision_on and c.member.joined_org_id == c.cell_id
               for c in admitted)
    members = Member.objects.filter(admitted_on__gte=ADMITTED_FROM, org_since__isnull=True)
    assert admitted.count() >= 0.9 * members.count()
    # Most communes have candidates on the way, not all.
    communes = Organization.objects.filter(kind="grassroots_committee", ended_on__isnull=True)
    with_pending = {c for c in communes if Candidate.objects.filter(
        outcome="pending", cell__path__startswith=c.path).exists()}
    assert 0.5 * communes.count() < len(with_pending) < communes.count()


def test_courses_every_year_with_their_learners(root):
    years = Counter((c.end_on.year, c.kind) for c in Course.objects.all())
    for year in range(2020, timezone.localdate().year + 1):
        for kind in ("awareness", "new_member", "secretary"):
            assert years[(year, kind)] > 0, (year, kind)
    # Every candidate's certificate is a completed awareness course ending that day.
    trained = Candidate.objects.exclude(awareness_course_on=None)
    learned = set(Enrollment.objects.filter(
        candidate__isnull=False, course__kind="awareness", result="completed").values_list(
        "candidate", "course__end_on"))
    assert {(c.pk, c.awareness_course_on) for c in trained} == learned
    new_members = Enrollment.objects.filter(course__kind="new_member")
    assert new_members.filter(result="completed").count() > 0.9 * new_members.count()


def test_the_findings_are_there_and_chibo_check_lists_them(root):
    out = io.StringIO()
    with pytest.raises(SystemExit):  # 1: something open was found
        call_command("compliance_check", "--org", "TQ", "--format", "json", stdout=out)
    keys = Counter(f["key"] for f in json.loads(out.getvalue())["record_findings"])
    assert {"admission.decision_late", "admission.ceremony_late",
            "members.new_member_course"} <= set(keys)
    # A few, not most: the demo's files mostly keep the rules.
    assert sum(n for k, n in keys.items() if k.startswith("admission.")) < (
        0.3 * Candidate.objects.count())
