"""A recognition as official without the new-member course (members.new_member_course) is
refused by the members app's service, page and API with the rule's words unless an exception is
given, then recorded; the bundle import keeps such history and reports it as a finding."""

import json

import pytest

from chibo.accounts.policy import SYSTEM
from chibo.core.exceptions import RuleViolation
from chibo.courses import findings, services
from chibo.findings.models import RecordedException
from chibo.findings.queries import record_findings
from chibo.findings.services import Decision
from chibo.interchange.importer import import_bundle
from chibo.members import services as members
from chibo.members.models import Member, MemberEvent
from tests.conftest import D
from tests.form_support import post_form
from tests.test_admission import decide, resolved
from tests.test_admission_bundle import LEARNERS, files
from tests.test_bundle import write_bundle
from tests.test_courses import course

RECOGNIZED_ON = D(2026, 2, 20)
WORDS = "không hoàn thành lớp bồi dưỡng đảng viên mới"
ALLOWED = Decision(decision_no="05-QĐ/HU", decided_on=D(2026, 2, 18), decided_by="D1")


@pytest.fixture
def probationer(world, people) -> Member:
    """Hà Thị Mai, admitted from her candidate's file on 20/02/2025 (M100)."""
    return decide(world, resolved(world, people), D(2025, 2, 20)).member


def recognize(member, **kwargs):
    return members.record_event(member, actor=SYSTEM, event="official",
                                effective_on=RECOGNIZED_ON, **kwargs)


def recognitions(member) -> int:
    return MemberEvent.objects.filter(member=member, event="official").count()


def exceptions() -> list[tuple[str, str]]:
    return list(RecordedException.objects.values_list("finding", "record"))


def completes(world, member, end_on=D(2025, 4, 5)) -> None:
    enrollment = services.enroll(course(world, end_on=end_on), member=member, actor=SYSTEM)
    services.record_result(enrollment, "completed", actor=SYSTEM)


# The service ------------------------------------------------------------------------------

def test_the_service_refuses_a_recognition_without_the_course(probationer):
    with pytest.raises(RuleViolation) as caught:
        recognize(probationer)
    assert caught.value.code == "finding" and caught.value.field == "effective_on"
    assert WORDS in " ".join(caught.value.messages)
    assert "12-HD/BTCTW" in " ".join(caught.value.messages)
    probationer.refresh_from_db()
    assert (recognitions(probationer), probationer.status, exceptions()) == (
        0, "probationary", [])


def test_with_an_exception_the_recognition_is_recorded_with_it(probationer):
    recognize(probationer, exception=ALLOWED)
    probationer.refresh_from_db()
    assert (recognitions(probationer), probationer.status) == (1, "official")
    assert exceptions() == [(findings.KEY, "M100")]
    found = record_findings(probationer.cell, D(2026, 12, 31), [findings.KEY])
    assert [(f.finding.record, f.excepted) for f in found] == [("M100", True)]


def test_a_completed_course_during_probation_lets_the_recognition_through(world, probationer):
    completes(world, probationer)
    recognize(probationer)
    assert (recognitions(probationer), exceptions()) == (1, [])


def test_a_course_ended_after_the_recognition_does_not_count(world, probationer):
    completes(world, probationer, end_on=D(2026, 3, 1))
    with pytest.raises(RuleViolation):
        recognize(probationer)


def test_a_member_without_a_candidates_file_is_not_judged(world, people):
    members.record_event(people["an"], actor=SYSTEM, event="official",
                         effective_on=D(2026, 9, 1))
    assert recognitions(people["an"]) == 1 and exceptions() == []


# The page ---------------------------------------------------------------------------------

def test_the_page_refuses_with_the_rules_words_then_takes_the_exception(world, probationer):
    client = world.client("commune")
    url = "/members/M100/events/official/"
    page = client.get(url).content.decode()
    assert 'name="exception_no"' in page
    refused = post_form(client, url, {"effective_on": "20/02/2026"})
    assert refused.status_code == 200 and WORDS in refused.content.decode()
    assert recognitions(probationer) == 0
    done = post_form(client, url, {"effective_on": "20/02/2026", "exception_no": "05-QĐ/HU",
                                   "exception_on": "18/02/2026", "exception_by": "D1"})
    assert done.status_code == 302
    assert recognitions(probationer) == 1 and exceptions() == [(findings.KEY, "M100")]


# The API ----------------------------------------------------------------------------------

def test_the_api_refuses_with_the_rules_words_then_takes_the_exception(world, probationer):
    client = world.client("commune")
    body = {"event": "official", "effective_on": "2026-02-20"}
    refused = client.post("/api/v1/members/M100/events", json.dumps(body),
                          content_type="application/json")
    assert refused.status_code == 422 and WORDS in refused.json()["detail"]
    assert recognitions(probationer) == 0
    done = client.post("/api/v1/members/M100/events", json.dumps({
        **body, "exception": {"decision_no": "05-QĐ/HU", "decided_on": "2026-02-18"}}),
        content_type="application/json")
    assert done.status_code == 201, done.content.decode()
    assert recognitions(probationer) == 1 and exceptions() == [(findings.KEY, "M100")]


# The import -------------------------------------------------------------------------------

def test_the_import_keeps_the_history_and_reports_it_as_a_finding(db, tmp_path):
    """M3, admitted from K1's file on 02/03/2020 and recognized on 10/03/2021, never completed
    the new-member course: imported all the same, and listed as a finding."""
    from chibo.organizations.models import Organization

    result = import_bundle(write_bundle(tmp_path / "b", files(learners=LEARNERS[:1])),
                           actor=SYSTEM)
    assert result.errors == []
    assert Member.objects.get(member_code="M3").official_on == D(2021, 3, 10)
    found = record_findings(Organization.objects.get(code="P"), D(2026, 12, 31),
                            [findings.KEY])
    assert [(f.finding.record, f.finding.day, f.excepted) for f in found] == [
        ("M3", D(2021, 3, 10), False)]
