"""Voiding a lifecycle event (chibo.members.services.void_event): the event is gone as if it had
never been recorded, the member's history is replayed without it (periods, flow facts, the
statistics of past days, party age), both steps stay in the audit trail; what the history can no
longer bear is refused with nothing written."""

import pytest
from django.core.exceptions import PermissionDenied

from chibo.accounts.policy import SYSTEM
from chibo.audit.models import AuditRecord
from chibo.core.exceptions import RuleViolation
from chibo.members import queries, services
from chibo.members.models import Member, MemberEvent, MemberFlow
from chibo.stats import engine
from tests.conftest import D


def total(org, day) -> int:
    return engine.compute(org, engine.Request.parse(day, metrics="members.total"))[
        "members.total"]


def test_a_voided_removal_gives_back_the_membership_from_the_start(world, people):
    cell, binh = world.orgs["D1.X1.C2"], people["binh"]
    removal = services.record_event(binh, actor=SYSTEM, event="remove",
                                    effective_on=D(2020, 1, 1))
    assert MemberFlow.objects.filter(member=binh, kind="remove").exists()
    assert (total(cell, D(2022, 1, 1)), queries.party_age_years(
        Member.objects.get(pk=binh.pk), D(2026, 3, 1))) == (1, 9)
    binh = services.void_event(removal, actor=world.users["commune"],
                               reason="Quyết định xóa tên bị hủy")
    assert (binh.status, binh.ended_on) == ("official", None)
    assert not MemberEvent.objects.filter(member=binh).exists()
    assert not MemberFlow.objects.filter(member=binh, kind="remove").exists()
    assert total(cell, D(2022, 1, 1)) == 2
    assert queries.party_age_years(binh, D(2026, 3, 1)) == 16  # admitted 1 March 2010
    record = AuditRecord.objects.get(action="member.void")
    assert record.actor_name == "commune"
    assert record.before["event"] == "remove" and record.before["status"] == "removed"
    assert record.after["reason"] == "Quyết định xóa tên bị hủy"
    assert record.after["status"] == "official"
    assert AuditRecord.objects.filter(action="member.remove").exists()


def test_an_event_a_later_one_needs_stays(world, people):
    binh = people["binh"]
    removal = services.record_event(binh, actor=SYSTEM, event="remove",
                                    effective_on=D(2018, 1, 1))
    services.record_event(binh, actor=SYSTEM, event="readmit", effective_on=D(2022, 1, 1),
                          org=world.orgs["D1.X1.C2"])
    with pytest.raises(RuleViolation):
        services.void_event(removal, actor=SYSTEM, reason="Nhầm")
    assert MemberEvent.objects.filter(member=binh).count() == 2
    assert not AuditRecord.objects.filter(action="member.void").exists()


def test_a_reason_and_the_right_to_manage_the_file_are_needed(world, people):
    death = services.record_event(people["binh"], actor=SYSTEM, event="die",
                                  effective_on=D(2024, 5, 1))
    with pytest.raises(RuleViolation) as caught:
        services.void_event(death, actor=SYSTEM, reason="  ")
    assert caught.value.field == "reason"
    with pytest.raises(PermissionDenied):
        services.void_event(death, actor=world.users["other_commune"], reason="Nhầm")
    with pytest.raises(PermissionDenied):  # an inspector does not manage member files ...
        services.void_event(death, actor=world.users["inspector"], reason="Nhầm")
    # ... unless a process names the capability its own decision gives
    services.void_event(death, actor=world.users["inspector"], reason="Nhầm",
                        capability="inspection.manage")
    assert not MemberEvent.objects.filter(pk=death.pk).exists()
    with pytest.raises(RuleViolation) as caught:  # gone already
        services.void_event(death, actor=SYSTEM, reason="Nhầm")
    assert caught.value.field == "event"
