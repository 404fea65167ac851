"""Every change to meetings: scheduling, guests, a member's notice of absence, closing in one
step (attendance, minutes, conclusion, tasks, quality self-assessment), documents.

Each service runs in one transaction, checks the actor's permission (`meeting.manage` on the
cell; a member may only report their own absence) and the rules, and writes one audit record.
A refused change raises RuleViolation (a Vietnamese message naming the field) and writes nothing.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chibo.accounts.policy import SYSTEM, can, require
from chibo.audit.services import record_change
from chibo.core import uploads
from chibo.core.concurrency import Expected, check_version
from chibo.core.exceptions import PermissionDenied, RuleViolation
from chibo.meetings.capabilities import MANAGE_MEETINGS
from chibo.meetings.choices import (
    ATTENDED,
    COUNTED,
    AttendanceStatus,
    GuestRole,
    MeetingKind,
    MeetingStatus,
    standard_agenda_text,
)
from chibo.meetings.models import (
    VISIT,
    Attendance,
    Meeting,
    MeetingAttachment,
    MeetingGuest,
    MeetingTask,
)
from chibo.meetings.queries import expected_members
from chibo.meetings.rules import PUBLISH_LEAD_DAYS, QUALITY_CRITERIA, quality_rule_on
from chibo.members.choices import ACTIVE_STATUSES
from chibo.members.models import Member
from chibo.organizations.choices import MEMBER_HOLDING_KINDS
from chibo.organizations.models import Organization, OrgPeriod

KIND_LETTER = {MeetingKind.REGULAR: "R", MeetingKind.THEMATIC: "T",
               MeetingKind.EXTRAORDINARY: "B"}
SCHEDULE_FIELDS = ("kind", "combined_thematic", "is_model", "date", "start_time", "place",
                   "online_link", "topic", "agenda")


def _d(day: date) -> str:
    return date_format(day, "d/m/Y")


def _snapshot(meeting: Meeting, fields=SCHEDULE_FIELDS) -> dict:
    return {name: getattr(meeting, name) for name in fields}


# Scheduling ---------------------------------------------------------------------------------

@dataclass
class NewMeeting:
    organization: Organization
    kind: str
    date: date
    topic: str
    start_time: time | None = None
    place: str = ""
    online_link: str = ""
    agenda: str | None = None  # None: the standard agenda
    combined_thematic: bool = False
    is_model: bool = False
    code: str = ""  # empty: generated from the cell, the day and the kind


ONLINE_LINK_MAX = 500
# Only web addresses: the staff page writes the link into an href, where a `javascript:` or
# `data:` link would run as the site.
_web_address = URLValidator(schemes=["http", "https"])


def online_link_problem(link: str) -> str:
    """Why `link` cannot be a meeting's online link ("" when it can). Shared by the pages, the
    API (both through _check_schedule) and the bundle import."""
    if not link:
        return ""
    try:
        _web_address(link)
    except ValidationError:
        return _("Đường dẫn họp trực tuyến phải là địa chỉ web bắt đầu bằng http:// hoặc "
                 "https://.")
    if len(link) > ONLINE_LINK_MAX:
        return _("Đường dẫn họp trực tuyến dài quá %(max)s ký tự.") % {"max": ONLINE_LINK_MAX}
    return ""


def _check_schedule(meeting: Meeting) -> None:
    org = meeting.organization
    if org.kind not in MEMBER_HOLDING_KINDS:
        raise RuleViolation(_("Chỉ chi bộ mới tổ chức sinh hoạt chi bộ; %(org)s không phải chi bộ.")
                            % {"org": org.name}, field="organization")
    if not OrgPeriod.objects.as_of(meeting.date).filter(organization=org).exists():
        raise RuleViolation(_("Chi bộ %(org)s không tồn tại vào ngày %(day)s.")
                            % {"org": org.name, "day": _d(meeting.date)}, field="date")
    if meeting.kind not in MeetingKind.values:
        raise RuleViolation(_("Loại sinh hoạt không hợp lệ."), field="kind")
    if meeting.combined_thematic and meeting.kind != MeetingKind.REGULAR:
        raise RuleViolation(_("Chỉ buổi sinh hoạt thường kỳ mới kết hợp sinh hoạt chuyên đề."),
                            field="combined_thematic")
    if not meeting.topic.strip():
        raise RuleViolation(_("Cần ghi chủ đề buổi sinh hoạt."), field="topic")
    if not meeting.place.strip() and not meeting.online_link.strip():
        raise RuleViolation(_("Cần ghi địa điểm hoặc đường dẫn họp trực tuyến."), field="place")
    problem = online_link_problem(meeting.online_link)
    if problem:
        raise RuleViolation(problem, field="online_link")


def meeting_code(org: Organization, day: date, kind: str) -> str:
    base = f"{org.code}-{day:%Y%m%d}-{KIND_LETTER.get(kind, 'X')}"
    code, n = base, 1
    while Meeting.objects.filter(code=code).exists():
        n += 1
        code = f"{base}{n}"
    return code


@transaction.atomic
def schedule_meeting(new: NewMeeting, *, actor) -> Meeting:
    require(actor, MANAGE_MEETINGS, new.organization)
    meeting = Meeting(
        organization=new.organization, kind=new.kind, date=new.date, topic=new.topic.strip(),
        start_time=new.start_time, place=new.place.strip(), online_link=new.online_link.strip(),
        agenda=standard_agenda_text() if new.agenda is None else new.agenda,
        combined_thematic=new.combined_thematic, is_model=new.is_model,
    )
    _check_schedule(meeting)
    code = new.code.strip() or meeting_code(new.organization, new.date, new.kind)
    if Meeting.objects.filter(code=code).exists():
        raise RuleViolation(_("Mã buổi sinh hoạt %(code)s đã có.") % {"code": code}, field="code")
    meeting.code = code
    meeting.save()
    record_change("meeting.schedule", actor=actor, obj=meeting, after=_snapshot(meeting))
    return meeting


def _require_open(meeting: Meeting) -> None:
    if meeting.is_closed:
        raise RuleViolation(
            _("Buổi sinh hoạt %(code)s đã kết thúc ngày %(day)s; không thể thay đổi nữa.")
            % {"code": meeting.code, "day": _d(timezone.localdate(meeting.closed_at))},
            code="closed")


@transaction.atomic
def update_meeting(meeting: Meeting, *, actor, version: Expected = None, **changes) -> Meeting:
    """Change the schedule (date, place, topic, agenda, …) of a meeting not yet closed; refused
    when it changed since the `version` the caller saw (chibo.core.concurrency)."""
    meeting = Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)
    require(actor, MANAGE_MEETINGS, meeting.organization)
    check_version(meeting, version)
    _require_open(meeting)
    unknown = set(changes) - set(SCHEDULE_FIELDS)
    if unknown:
        raise ValueError(f"not schedule fields: {sorted(unknown)}")
    before = _snapshot(meeting)
    for name, value in changes.items():
        setattr(meeting, name, value.strip() if isinstance(value, str) and name != "agenda"
                else value)
    _check_schedule(meeting)
    meeting.save()
    record_change("meeting.update", actor=actor, obj=meeting, before=before,
                  after=_snapshot(meeting))
    return meeting


@transaction.atomic
def add_guest(meeting: Meeting, *, actor, role: str, full_name: str, title: str = "",
              org: Organization | None = None, member: Member | None = None,
              attended: bool = True, version: Expected = None) -> MeetingGuest:
    """Invite a higher-level official (a visit) or, for a model meeting, a secretary of another
    cell. With a `version` of the meeting, refused when it changed since."""
    require(actor, MANAGE_MEETINGS, meeting.organization)
    if version is not None:
        check_version(Meeting.objects.select_for_update().get(pk=meeting.pk), version)
    if role not in GuestRole.values:
        raise RuleViolation(_("Tư cách khách mời không hợp lệ."), field="role")
    if not full_name.strip():
        raise RuleViolation(_("Cần ghi họ tên khách mời."), field="full_name")
    if role == GuestRole.INVITED_SECRETARY and getattr(org, "pk", None) == meeting.organization_id:
        raise RuleViolation(_("Bí thư được mời phải là bí thư của chi bộ khác."), field="org")
    guest = MeetingGuest.objects.create(meeting=meeting, role=role, full_name=full_name.strip(),
                                        title=title.strip(), org=org, member=member,
                                        attended=attended)
    _store_visits_of(meeting)
    record_change("meeting.guest", actor=actor, obj=meeting,
                  after={"guest": guest.full_name, "role": role, "title": guest.title})
    return guest


def store_visits(meetings) -> None:
    """Store on each meeting of the queryset `meetings` its visits (`VISIT`), counted from its
    guests: the statistics add up the stored numbers (docs/metrics-meetings.md)."""
    visits = MeetingGuest.objects.filter(VISIT, meeting=OuterRef("pk")).order_by().values(
        "meeting").annotate(n=Count("pk")).values("n")
    meetings.update(visits=Coalesce(Subquery(visits), 0))


def _store_visits_of(meeting: Meeting) -> None:
    store_visits(Meeting.objects.filter(pk=meeting.pk))
    meeting.refresh_from_db(fields=["visits"])


# A member's notice of absence -----------------------------------------------------------------

def meeting_start(meeting: Meeting) -> datetime:
    """When the meeting begins (the start of its day when no time is set), local time."""
    return meeting.starts_at


def require_started(meeting: Meeting, now: datetime | None = None) -> None:
    """Refuse closing a meeting that has not begun by `now` (default: the clock): not yet its
    day, or its day before its start time. The close page asks it before showing the form."""
    now = now or timezone.now()
    if meeting.date > timezone.localdate(now):
        raise RuleViolation(_("Chưa đến ngày sinh hoạt (%(day)s); chưa thể kết thúc buổi "
                              "sinh hoạt.") % {"day": _d(meeting.date)},
                            code="not_started", field="date")
    if now < meeting.starts_at:
        raise RuleViolation(_("Buổi sinh hoạt bắt đầu lúc %(time)s ngày %(day)s; chưa thể kết "
                              "thúc trước giờ bắt đầu.")
                            % {"time": meeting.start_time.strftime("%H:%M"),
                               "day": _d(meeting.date)},
                            code="not_started", field="start_time")


def _is_own_member(actor, member: Member) -> bool:
    """Whether `member` is the actor's own member file, while the membership lasts (as
    members.queries.member_of answers it): a login whose membership ended acts for no one."""
    return (getattr(actor, "pk", None) is not None and member.user_id == actor.pk
            and member.status in ACTIVE_STATUSES)


@transaction.atomic
def report_absence(meeting: Meeting, member: Member, reason: str, *, actor, now=None,
                   version: Expected = None) -> Attendance:
    """A member tells the cell, before the meeting, that they will be absent and why: the
    absence is then excused. The member themself, or whoever manages the cell's meetings.
    With a `version` of the meeting, refused when it changed since."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)
    if not _is_own_member(actor, member) and actor is not SYSTEM and not can(
            actor, MANAGE_MEETINGS, meeting.organization):
        raise PermissionDenied(MANAGE_MEETINGS)
    check_version(meeting, version)
    _require_open(meeting)
    if now >= meeting_start(meeting):
        raise RuleViolation(_("Chỉ báo vắng được trước giờ sinh hoạt."), code="late")
    reason = reason.strip()
    if not reason:
        raise RuleViolation(_("Cần ghi lý do vắng mặt."), field="reason")
    expected = {e.member.pk: e for e in expected_members(meeting)}
    if member.pk not in expected:
        # The code only: someone outside the cell may be outside the caller's scope too.
        raise RuleViolation(_("%(code)s không phải đảng viên của chi bộ vào ngày sinh hoạt.")
                            % {"code": member.member_code}, field="member")
    if expected[member.pk].exempt:
        raise RuleViolation(_("Đảng viên được miễn sinh hoạt không cần báo vắng."),
                            field="member")
    row, _created = Attendance.objects.update_or_create(
        meeting=meeting, member=member,
        defaults={"status": AttendanceStatus.EXCUSED, "reason": reason[:255], "reported_at": now})
    record_change("meeting.absence", actor=actor, obj=meeting,
                  after={"member": member.member_code, "reason": row.reason})
    return row


# Closing in one step --------------------------------------------------------------------------

@dataclass
class AttendanceEntry:
    member: Member
    status: str
    reason: str = ""
    spoke: bool = False


@dataclass
class TaskEntry:
    member: Member
    description: str
    due_on: date


@dataclass
class Closing:
    attendance: list[AttendanceEntry]
    duration_minutes: int
    minutes: str = ""
    conclusion: str = ""
    agenda_prepared: bool = False
    committee_prepared: bool = False
    draft_resolution: bool = False
    minutes_complete: bool = False
    tasks: list[TaskEntry] = field(default_factory=list)
    absent_guest_ids: list[int] = field(default_factory=list)  # invited guests who did not come


def _check_attendance(meeting: Meeting, entries: list[AttendanceEntry]) -> list[AttendanceEntry]:
    """The complete attendance list: every member of the cell that day exactly once, exempt
    members as exempt (filled in when left out), an excused absence with its reason."""
    expected = {e.member.pk: e for e in expected_members(meeting)}
    seen: dict[int, AttendanceEntry] = {}
    for entry in entries:
        member = entry.member
        if member.pk not in expected:
            raise RuleViolation(
                _("%(code)s không phải đảng viên của chi bộ vào ngày %(day)s; không thể ghi "
                  "điểm danh.") % {"code": member.member_code, "day": _d(meeting.date)},
                field="attendance")
        if member.pk in seen:
            raise RuleViolation(_("%(name)s được ghi điểm danh hai lần.")
                                % {"name": member.full_name}, field="attendance")
        if entry.status not in AttendanceStatus.values:
            raise RuleViolation(_("Tình trạng dự sinh hoạt của %(name)s không hợp lệ.")
                                % {"name": member.full_name}, field="attendance")
        exempt = expected[member.pk].exempt
        if exempt and entry.status != AttendanceStatus.EXEMPT:
            entry = AttendanceEntry(member, AttendanceStatus.EXEMPT, "", False)
        if not exempt and entry.status == AttendanceStatus.EXEMPT:
            raise RuleViolation(_("%(name)s không thuộc diện miễn sinh hoạt.")
                                % {"name": member.full_name}, field="attendance")
        if entry.status == AttendanceStatus.EXCUSED and not entry.reason.strip():
            raise RuleViolation(_("Cần ghi lý do vắng của %(name)s.")
                                % {"name": member.full_name}, field="attendance")
        seen[member.pk] = entry
    missing = [e.member for pk, e in expected.items() if pk not in seen and not e.exempt]
    if missing:
        raise RuleViolation(_("Chưa ghi điểm danh cho: %(names)s.")
                            % {"names": ", ".join(m.full_name for m in missing)},
                            field="attendance")
    for pk, e in expected.items():
        if pk not in seen:
            seen[pk] = AttendanceEntry(e.member, AttendanceStatus.EXEMPT)
    return list(seen.values())


def _check_tasks(meeting: Meeting, tasks: list[TaskEntry], members: set[int]) -> None:
    for task in tasks:
        if task.member.pk not in members:
            raise RuleViolation(_("Chỉ giao nhiệm vụ cho đảng viên của chi bộ; %(code)s không "
                                  "phải.") % {"code": task.member.member_code}, field="tasks")
        if not task.description.strip():
            raise RuleViolation(_("Cần ghi nội dung nhiệm vụ giao cho %(name)s.")
                                % {"name": task.member.full_name}, field="tasks")
        if task.due_on < meeting.date:
            raise RuleViolation(_("Thời hạn nhiệm vụ không thể trước ngày sinh hoạt."),
                                field="tasks")


def excused_streak_flags(closed: list[tuple[object, date, set[int]]]) -> set:
    """Keys of the meetings at which a member's excused absences in a row, within the year,
    exceed the rule's limit (RULES.md §5, 12-HD/BTCTW: no excused absence more than 3 times
    in a row). `closed`: one cell's closed meetings in date order, each (key, day, ids of the
    members excused). Pure: the closing and the bundle import judge alike."""
    flagged, runs, year = set(), {}, None
    for key, day, excused in closed:
        if day.year != year:
            runs, year = {}, day.year
        runs = {pk: runs.get(pk, 0) + 1 for pk in excused}
        if any(n > quality_rule_on(day).max_excused_in_a_row for n in runs.values()):
            flagged.add(key)
    return flagged


def rejudge_excused_streaks(cell_years: set[tuple[int, int]]) -> None:
    """Recompute the excused-streak criterion over every closed meeting of each (cell id, year),
    in date order, and update the meetings whose verdict changed. Run after each closing and
    each import: a meeting closed out of date order (February after April) can make a later
    meeting's streak, which looking only backwards from the meeting being closed missed."""
    by_year = defaultdict(set)
    for cell_id, year in cell_years:
        by_year[year].add(cell_id)
    for year, cells in sorted(by_year.items()):
        cells = sorted(cells)
        for start in range(0, len(cells), STREAK_CHUNK):  # an import may touch every cell
            _rejudge_cells(cells[start:start + STREAK_CHUNK], year)


STREAK_CHUNK = 500


def _rejudge_cells(cells: list[int], year: int) -> None:
    closed = list(Meeting.objects.filter(organization__in=cells, status=MeetingStatus.CLOSED,
                                         date__year=year)
                  .only("pk", "organization_id", "date", "quality_failures", "quality_passed")
                  .order_by("organization_id", "date", "id"))
    excused = defaultdict(set)
    for meeting_id, member_id in Attendance.objects.filter(
            meeting__organization__in=cells, meeting__status=MeetingStatus.CLOSED,
            meeting__date__year=year, status=AttendanceStatus.EXCUSED
    ).values_list("meeting_id", "member_id"):
        excused[meeting_id].add(member_id)
    by_cell = defaultdict(list)
    for meeting in closed:
        by_cell[meeting.organization_id].append(meeting)
    flagged = set()
    for meetings in by_cell.values():
        flagged |= excused_streak_flags([(m.pk, m.date, excused[m.pk]) for m in meetings])
    changed = [m for m in closed if _set_streak(m, m.pk in flagged)]
    Meeting.objects.bulk_update(changed, ["quality_failures", "quality_passed"], batch_size=500)


def _set_streak(meeting: Meeting, streak: bool) -> bool:
    """Put the excused-streak failure in or out of the meeting's failures (in the criteria's
    order); True when that changed them."""
    failures = set(meeting.quality_failures or [])
    if ("excused_streak" in failures) == streak:
        return False
    failures ^= {"excused_streak"}
    meeting.quality_failures = [code for code in QUALITY_CRITERIA if code in failures]
    meeting.quality_passed = not meeting.quality_failures
    return True


def assess_quality(meeting: Meeting, statuses: list[tuple[str, bool]],
                   streak: bool) -> list[str]:
    """Codes of the quality criteria (rules.QUALITY_CRITERIA) the closed meeting fails, from the
    (status, spoke) of every member and whether a member's excused absences ran too long.
    Pure, so that closing one meeting and importing many judge alike."""
    rule = quality_rule_on(meeting.date)
    counted = [(s, spoke) for s, spoke in statuses if s in COUNTED]
    present = [(s, spoke) for s, spoke in counted if s in ATTENDED]
    failures = []
    if not counted or 100 * len(present) <= rule.min_attendance_pct * len(counted):
        failures.append("attendance")
    if any(s == AttendanceStatus.UNEXCUSED for s, _spoke in counted):
        failures.append("unexcused")
    if streak:
        failures.append("excused_streak")
    needed = rule.min_minutes_combined if meeting.combined_thematic else rule.min_minutes
    if (meeting.duration_minutes or 0) < needed:
        failures.append("duration")
    if not (meeting.agenda_prepared and meeting.committee_prepared and meeting.draft_resolution):
        failures.append("preparation")
    speakers = sum(1 for _s, spoke in present if spoke)
    if speakers < max(rule.min_speakers, -(-rule.min_speakers_pct * len(present) // 100)) and \
            speakers < len(present):
        failures.append("speakers")
    if not meeting.minutes_complete:
        failures.append("minutes")
    return failures


@transaction.atomic
def close_meeting(meeting: Meeting, closing: Closing, *, actor, now=None,
                  version: Expected = None) -> Meeting:
    """Record the meeting as held, in one step. Refused when it is already closed, when it has
    not started yet (not its day, or before its start time), when the attendance names
    someone who is not a member of the cell, or when the meeting changed since the `version`
    the caller saw (chibo.core.concurrency)."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)
    require(actor, MANAGE_MEETINGS, meeting.organization)
    check_version(meeting, version)
    _require_open(meeting)
    require_started(meeting, now)
    if not closing.duration_minutes or not 1 <= closing.duration_minutes <= 24 * 60:
        raise RuleViolation(_("Thời lượng sinh hoạt phải từ 1 đến 1440 phút."),
                            field="duration_minutes")
    entries = _check_attendance(meeting, closing.attendance)
    _check_tasks(meeting, closing.tasks,
                 {e.member.pk for e in entries if e.status != AttendanceStatus.EXEMPT})
    for name in ("duration_minutes", "minutes", "conclusion", "agenda_prepared",
                 "committee_prepared", "draft_resolution", "minutes_complete"):
        setattr(meeting, name, getattr(closing, name))
    # The excused streak is judged over the whole year once the attendance is stored.
    failures = assess_quality(meeting, [(e.status, e.spoke) for e in entries], streak=False)
    meeting.counted = sum(1 for e in entries if e.status in COUNTED)
    meeting.attended = sum(1 for e in entries if e.status in ATTENDED)
    meeting.quality_failures = failures
    meeting.quality_passed = not failures
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = now
    meeting.closed_by = actor if getattr(actor, "pk", None) else None
    meeting.save()
    reported = dict(Attendance.objects.filter(meeting=meeting, reported_at__isnull=False)
                    .values_list("member_id", "reported_at"))
    Attendance.objects.filter(meeting=meeting).delete()
    Attendance.objects.bulk_create([
        Attendance(meeting=meeting, member=e.member, status=e.status,
                   reason=e.reason.strip()[:255] if e.status in (
                       AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED) else "",
                   spoke=e.spoke and e.status in ATTENDED,
                   reported_at=reported.get(e.member.pk)) for e in entries])
    MeetingTask.objects.bulk_create([
        MeetingTask(meeting=meeting, member=t.member, description=t.description.strip()[:500],
                    due_on=t.due_on) for t in closing.tasks])
    if closing.absent_guest_ids:
        meeting.guests.filter(pk__in=closing.absent_guest_ids).update(attended=False)
    _store_visits_of(meeting)  # counted from the rows, once the absent ones are marked
    rejudge_excused_streaks({(meeting.organization_id, meeting.date.year)})
    meeting.refresh_from_db(fields=["quality_failures", "quality_passed"])
    failures = meeting.quality_failures
    record_change("meeting.close", actor=actor, obj=meeting, after={
        "duration_minutes": meeting.duration_minutes, "counted": meeting.counted,
        "attended": meeting.attended, "quality_failures": failures,
        "tasks": len(closing.tasks)})
    return meeting


@transaction.atomic
def complete_task(task: MeetingTask, *, actor, on: date | None = None) -> MeetingTask:
    """The member (or whoever manages the cell's meetings) marks a task done."""
    task = MeetingTask.objects.select_related("meeting__organization", "member").get(pk=task.pk)
    if not _is_own_member(actor, task.member):
        require(actor, MANAGE_MEETINGS, task.meeting.organization)
    task.done_on = on or timezone.localdate()
    task.save(update_fields=["done_on"])
    record_change("meeting.task_done", actor=actor, obj=task.meeting,
                  after={"task": task.description, "member": task.member.member_code,
                         "done_on": task.done_on})
    return task


# Documents ------------------------------------------------------------------------------------

def max_attachment_bytes() -> int:
    """The meetings' own size limit; the checks themselves are chibo.core.uploads'."""
    return getattr(settings, "CHIBO_MEETING_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)


def publish_deadline(meeting: Meeting) -> date:
    """The last day on which a document may be published: one day before the meeting."""
    return meeting.date - timedelta(days=PUBLISH_LEAD_DAYS)


def _check_publish(meeting: Meeting, now) -> None:
    if timezone.localdate(now) > publish_deadline(meeting):
        raise RuleViolation(
            _("Tài liệu phải công bố cho đảng viên ít nhất một ngày trước buổi sinh hoạt "
              "(chậm nhất ngày %(day)s).") % {"day": _d(publish_deadline(meeting))},
            field="publish")


@transaction.atomic
def add_attachment(meeting: Meeting, upload, *, actor, publish: bool = True,
                   now=None) -> MeetingAttachment:
    """Attach a checked document to the meeting; published to members at once when `publish`
    (allowed until the day before the meeting)."""
    now = now or timezone.now()
    require(actor, MANAGE_MEETINGS, meeting.organization)
    kind = uploads.check_upload(upload, max_bytes=max_attachment_bytes())
    name = uploads.safe_file_name(upload.name or "", kind)
    if publish:
        _check_publish(meeting, now)
    attachment = MeetingAttachment(
        meeting=meeting, original_name=name, content_type=kind.content_type,
        size=upload.size, published_at=now if publish else None,
        uploaded_by=actor if getattr(actor, "pk", None) else None)
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
        record_change("meeting.attach", actor=actor, obj=meeting,
                      after={"file": attachment.original_name, "size": attachment.size,
                             "published": publish})
    except Exception:
        attachment.file.delete(save=False)  # no stored file without its row
        raise
    return attachment


@transaction.atomic
def publish_attachment(attachment: MeetingAttachment, *, actor, now=None) -> MeetingAttachment:
    now = now or timezone.now()
    meeting = attachment.meeting
    require(actor, MANAGE_MEETINGS, meeting.organization)
    if attachment.published_at is None:
        _check_publish(meeting, now)
        attachment.published_at = now
        attachment.save(update_fields=["published_at"])
        record_change("meeting.publish", actor=actor, obj=meeting,
                      after={"file": attachment.original_name})
    return attachment
