"""The province's working calendar: Vietnam's (chibo.core.workdays) with the days the province
corrects, kept as data so that a late-announced holiday needs no new release.

The calendar belongs to the whole tree: who may manage every root organization may correct it
(the same rule as importing a bundle, which writes across the whole tree)."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from chibo.accounts.policy import Capability, can
from chibo.audit.services import record_change
from chibo.core.exceptions import PermissionDenied, RuleViolation
from chibo.core.workdays import WorkingCalendar
from chibo.organizations.models import CalendarDay, Organization

# The calendar built from the last corrections read, reused while they are the same: its years
# of working days are listed once per process, not once per request.
_built: dict[tuple, WorkingCalendar] = {}


def working_calendar() -> WorkingCalendar:
    """Vietnam's working days with the province's corrections as they are now (one query)."""
    rows = tuple(CalendarDay.objects.order_by("day").values_list("day", "working", "note"))
    if rows not in _built:
        _built.clear()
        _built[rows] = WorkingCalendar({day: working for day, working, _note in rows},
                                       {day: note for day, _working, note in rows})
    return _built[rows]


def may_correct(actor) -> bool:
    roots = list(Organization.objects.filter(parent__isnull=True))
    return bool(roots) and all(can(actor, Capability.MANAGE_ORGS, root) for root in roots)


def _require(actor) -> None:
    if not may_correct(actor):
        raise PermissionDenied(_("Chỉ người quản lý toàn bộ cây tổ chức mới được điều chỉnh "
                                 "lịch làm việc."))


def _snapshot(correction: CalendarDay | None) -> dict:
    if correction is None:
        return {}
    return {"day": correction.day, "working": correction.working, "note": correction.note}


@transaction.atomic
def correct_day(day: date, working: bool, note: str, *, actor) -> CalendarDay:
    """Record that `day` is (or is not) a working day, whatever the national calendar says."""
    _require(actor)
    if not note.strip():
        raise RuleViolation(_("Cần ghi lý do (văn bản công bố ngày nghỉ, ngày làm bù)."),
                            field="note")
    correction = CalendarDay.objects.select_for_update().filter(day=day).first()
    before = _snapshot(correction)
    if correction is None:
        correction = CalendarDay(day=day)
    correction.working, correction.note = working, note.strip()
    correction.save()
    record_change("calendar.correct", actor=actor, obj=correction, before=before,
                  after=_snapshot(correction))
    return correction


@transaction.atomic
def remove_correction(day: date, *, actor) -> None:
    """Let `day` be again what the national calendar says."""
    _require(actor)
    correction = CalendarDay.objects.select_for_update().filter(day=day).first()
    if correction is None:
        raise RuleViolation(_("Ngày %(day)s không có điều chỉnh nào.")
                            % {"day": day.strftime("%d/%m/%Y")}, field="day")
    record_change("calendar.restore", actor=actor, obj=correction,
                  before=_snapshot(correction), after={})
    correction.delete()
