"""A meeting that has not started cannot be closed (issue 13: a future meeting offered "Kết thúc
buổi sinh hoạt"): the service refuses with a clear message and writes nothing, the page shows no
button and the close page sends back, the API answers 422 naming the field."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.audit.models import AuditRecord
from chibo.core.exceptions import RuleViolation
from chibo.meetings import services
from chibo.meetings.models import Attendance, Meeting, MeetingTask
from tests.test_meeting_api import call, closing_body
from tests.test_meetings import DAY, close, closing, schedule

CLOSE = "Kết thúc buổi sinh hoạt"


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def written() -> tuple:
    """What closing writes: the meetings' states, attendance, tasks, audit records."""
    return (list(Meeting.objects.values_list("status", "closed_at", "duration_minutes")),
            Attendance.objects.count(), MeetingTask.objects.count(), AuditRecord.objects.count())


@pytest.fixture
def later_today(world, people):
    """A meeting two hours from now (tomorrow, when the test runs after ten in the evening)."""
    start = timezone.localtime() + timedelta(hours=2)
    return schedule(world, day=start.date(), start_time=start.time().replace(microsecond=0))


@pytest.fixture
def begun(world, people):
    return schedule(world, day=timezone.localdate() - timedelta(days=1))


def test_the_service_refuses_a_meeting_of_today_before_its_start_time(world, people):
    meeting = schedule(world, start_time=time(19, 30))
    before = written()
    with pytest.raises(RuleViolation, match="bắt đầu lúc 19:30 ngày 10/03/2026") as refusal:
        close(meeting, people, now=at(DAY, 14))
    assert (refusal.value.code, refusal.value.field) == ("not_started", "start_time")
    assert written() == before
    assert close(meeting, people, now=at(DAY, 19, 30)).is_closed  # from its start on


def test_the_service_refuses_a_meeting_of_a_later_day(world, people):
    meeting = schedule(world)
    before = written()
    with pytest.raises(RuleViolation, match="Chưa đến ngày sinh hoạt") as refusal:
        close(meeting, people, now=at(DAY - timedelta(days=1), 23))
    assert (refusal.value.code, refusal.value.field) == ("not_started", "date")
    assert written() == before


def test_the_service_uses_the_clock_when_no_time_is_given(world, people, later_today):
    with pytest.raises(RuleViolation, match="chưa thể kết thúc"):
        services.close_meeting(later_today, closing(people), actor=SYSTEM)
    assert not Meeting.objects.get(pk=later_today.pk).is_closed


def test_the_page_offers_no_close_button_before_the_start(world, later_today, begun):
    client = world.client("secretary")
    page = client.get(f"/meetings/{later_today.code}/").content.decode()
    assert CLOSE not in page
    assert "Sửa lịch" in page  # the other managing buttons stay
    assert CLOSE in client.get(f"/meetings/{begun.code}/").content.decode()


def test_the_close_page_sends_back_before_the_start(world, people, later_today):
    client = world.client("secretary")
    response = client.get(f"/meetings/{later_today.code}/close/", follow=True)
    assert response.redirect_chain == [(f"/meetings/{later_today.code}/", 302)]
    assert "chưa thể kết thúc" in response.content.decode()
    form = {"duration_minutes": "100", "minutes_complete": "on", "conclusion": "Thống nhất"}
    for person in people.values():
        form[f"status_{person.pk}"] = "present"
    before = written()
    response = client.post(f"/meetings/{later_today.code}/close/", form)
    assert response.status_code == 302 and response.url == f"/meetings/{later_today.code}/"
    assert written() == before


def test_the_api_refuses_with_a_422_naming_the_field(world, people, later_today):
    before = written()
    response = call(world.client("secretary"), "post", f"meetings/{later_today.code}/close",
                    json=closing_body(people))
    assert response.status_code == 422
    assert response.json()["field"] in ("start_time", "date")
    assert "chưa thể kết thúc" in response.json()["detail"]
    assert written() == before
