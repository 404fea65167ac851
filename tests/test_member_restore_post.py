"""Giving back a post a decision found wrongful had ended (chibo.members.services.restore_post):
the same post runs on from its own start day, both steps stay in the audit trail, and what the
posts cannot bear (a post still held, an end that does not reach past the present one, a second
secretary) is refused with nothing written."""

import pytest
from django.core.exceptions import PermissionDenied

from chibo.accounts.policy import SYSTEM
from chibo.audit.models import AuditRecord
from chibo.core.exceptions import RuleViolation
from chibo.members import services
from chibo.members.models import Position
from tests.conftest import D


@pytest.fixture
def secretary(world, people):
    """Hoa, secretary of the Đồng Mạ cell from 2020, her post ended on 9 April 2026."""
    post = services.assign_post(people["hoa"], actor=SYSTEM, role="secretary",
                                org=world.orgs["D1.X1.C1"], start_on=D(2020, 1, 1))
    return services.end_post(post, actor=SYSTEM, end_on=D(2026, 4, 9))


def stored(post) -> tuple:
    return Position.objects.filter(pk=post.pk).values_list("start_on", "end_on").get()


def test_a_post_is_given_back_from_its_own_start_day(world, secretary):
    services.restore_post(secretary, actor=world.users["commune"], end_on=None,
                          reason="Quyết định cách chức bị xóa bỏ")
    assert stored(secretary) == (D(2020, 1, 1), None)
    assert Position.objects.count() == 1  # the same post, not a new one
    record = AuditRecord.objects.get(action="member.post_restore")
    assert (record.actor_name, record.before["end_on"], record.after["end_on"],
            record.after["reason"]) == ("commune", "2026-04-09", None,
                                        "Quyết định cách chức bị xóa bỏ")
    assert AuditRecord.objects.filter(action="member.post_end").exists()


def test_it_may_run_to_the_end_it_had_before(world, secretary):
    services.restore_post(secretary, actor=SYSTEM, end_on=D(2026, 9, 30), reason="Khôi phục")
    assert stored(secretary) == (D(2020, 1, 1), D(2026, 9, 30))


def nothing_restored(post, end_on) -> None:
    assert stored(post)[1] == end_on
    assert not AuditRecord.objects.filter(action="member.post_restore").exists()


@pytest.mark.parametrize("end_on, field", [
    (D(2026, 4, 9), "end_on"),  # no later than its present end: nothing given back
    (D(2026, 4, 1), "end_on"),
])
def test_the_end_must_reach_past_the_present_one(world, secretary, end_on, field):
    with pytest.raises(RuleViolation) as caught:
        services.restore_post(secretary, actor=SYSTEM, end_on=end_on, reason="Khôi phục")
    assert caught.value.field == field
    nothing_restored(secretary, D(2026, 4, 9))


def test_a_held_post_a_reason_and_the_right_to_manage_the_file(world, people, secretary):
    held = services.assign_post(people["thang"], actor=SYSTEM, role="committee_member",
                                org=world.orgs["D1.X1.C1"], start_on=D(2015, 1, 1))
    with pytest.raises(RuleViolation) as caught:
        services.restore_post(held, actor=SYSTEM, end_on=None, reason="Khôi phục")
    assert caught.value.field == "end_on" and "vẫn đang giữ" in caught.value.messages[0]
    with pytest.raises(RuleViolation) as caught:
        services.restore_post(secretary, actor=SYSTEM, end_on=None, reason="  ")
    assert caught.value.field == "reason"
    for user in ("viewer", "inspector"):  # no member.manage on the cell
        with pytest.raises(PermissionDenied):
            services.restore_post(secretary, actor=world.users[user], end_on=None,
                                  reason="Khôi phục")
    nothing_restored(secretary, D(2026, 4, 9))
    services.restore_post(secretary, actor=world.users["inspector"], end_on=None,
                          reason="Khôi phục", capability="inspection.manage")
    assert stored(secretary)[1] is None


def test_one_secretary_at_a_time(world, people, secretary):
    services.assign_post(people["lan"], actor=SYSTEM, role="secretary",
                         org=world.orgs["D1.X1.C1"], start_on=D(2026, 5, 1))
    with pytest.raises(RuleViolation) as caught:
        services.restore_post(secretary, actor=SYSTEM, end_on=None, reason="Khôi phục")
    assert caught.value.code == "secretary_taken"
    nothing_restored(secretary, D(2026, 4, 9))
    # up to the day before the new secretary took over, it may be given back
    services.restore_post(secretary, actor=SYSTEM, end_on=D(2026, 4, 30), reason="Khôi phục")
    assert stored(secretary)[1] == D(2026, 4, 30)
