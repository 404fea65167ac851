"""meetings.csv, attendance.csv and meeting_guests.csv of the bundle (docs/bundle.md).

Checked like the pages check them (chibo.meetings.services): a meeting belongs to a cell that
exists on its day; a closed meeting has a duration and the attendance of every member of the
cell on that day (exempt members are filled in as exempt when left out), nobody else; an excused
absence has its reason; a meeting not yet closed may only carry members' notices of absence.
Who belonged to the cell on the day is read from the members' stored periods (the members of
the same bundle are already written when this step runs). The quality self-assessment is
computed with the same function as a closing (`services.assess_quality`). Rows are written in
bulk (attendance can be a million rows for a province's year).
"""

from collections import defaultdict
from datetime import date

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.interchange.bulk import insert_rows
from chibo.interchange.membership import MemberRef
from chibo.interchange.report import Row
from chibo.interchange.schema import (
    BOOL,
    CODE,
    INT,
    TIME,
    Column,
    FileSpec,
    choice_column,
    code_column,
    date_column,
    text_column,
)
from chibo.interchange.sections import ImportContext, Section
from chibo.interchange.tree import CHUNK, RowError, first_rows, missing, unknown_code
from chibo.meetings import services
from chibo.meetings.choices import (
    ATTENDED,
    COUNTED,
    AttendanceStatus,
    GuestRole,
    MeetingKind,
    MeetingStatus,
)
from chibo.meetings.models import Attendance, Meeting, MeetingGuest
from chibo.meetings.services import assess_quality
from chibo.members.models import Member, MemberPeriod

MEETINGS = FileSpec("meetings.csv", (
    Column("code", CODE, True, max_length=100), code_column("org_code", True),
    choice_column("kind", MeetingKind, True), date_column("date", True),
    Column("start_time", TIME), Column("combined_thematic", BOOL), Column("is_model", BOOL),
    text_column("topic", Meeting, required=True), text_column("place", Meeting),
    text_column("online_link", Meeting), Column("agenda"),
    choice_column("status", MeetingStatus, True), Column("duration_minutes", INT),
    Column("agenda_prepared", BOOL), Column("committee_prepared", BOOL),
    Column("draft_resolution", BOOL), Column("minutes_complete", BOOL), Column("minutes"),
    Column("conclusion"),
))
ATTENDANCE = FileSpec("attendance.csv", (
    Column("meeting_code", CODE, True, max_length=100), code_column("member_code", True),
    choice_column("status", AttendanceStatus, True), text_column("reason", Attendance),
    Column("spoke", BOOL),
))
MEETING_GUESTS = FileSpec("meeting_guests.csv", (
    Column("meeting_code", CODE, True, max_length=100),
    text_column("full_name", MeetingGuest, required=True),
    choice_column("role", GuestRole, True), text_column("title", MeetingGuest),
    code_column("org_code"), code_column("member_code"), Column("attended", BOOL),
))

CLOSING_BOOLS = ("agenda_prepared", "committee_prepared", "draft_resolution", "minutes_complete")
FLAGS = ("combined_thematic", "is_model")


def import_meetings(context: ImportContext) -> dict[str, int]:
    """The section's import step: check every row against the members just written, then
    write the meetings in bulk (nothing when any error was found)."""
    meetings = MeetingImport(context)
    meetings.check()
    return meetings.write()


class MeetingImport:
    def __init__(self, context: ImportContext):
        self.report, self.tree = context.report, context.loaded
        self.org_rows, self.member_rows = context.org_rows, context.member_rows
        self.meeting_rows = first_rows(context.rows(MEETINGS), "code", self.report)
        self.attendance_rows = context.rows(ATTENDANCE)
        self.guest_rows = context.rows(MEETING_GUESTS)
        self.members = dict(context.members)
        self.meetings: dict[str, dict] = {}  # code -> field values, for the accepted meetings
        self.attendance: dict[str, dict[int, tuple[str, str, bool]]] = defaultdict(dict)
        self.guests: list[dict] = []

    # checks -----------------------------------------------------------------------------------
    def check(self) -> None:
        if not (self.meeting_rows or self.attendance_rows or self.guest_rows):
            return
        self._lookup_members()
        self._refuse_stored_codes()
        for row in self.meeting_rows.values():
            if row.ok:
                self._attempt(row, self._meeting)
        self.expected = self._expected()
        seen: set[tuple[str, int]] = set()
        for row in self.attendance_rows:
            self._attempt(row, lambda r: self._attendance(r, seen))
        for code, values in self.meetings.items():
            self._complete(self.meeting_rows[code], values)
        for row in self.guest_rows:
            self._attempt(row, self._guest)

    def _attempt(self, row: Row, check) -> None:
        try:
            check(row)
        except RowError as error:
            row.fail(self.report, error.column, error.message)

    def _lookup_members(self) -> None:
        """Members already stored that attendance and guests name (not the bundle's own: a
        refused one stays refused)."""
        codes = sorted(({r["member_code"] for r in self.attendance_rows}
                        | {r["member_code"] for r in self.guest_rows if r["member_code"]})
                       - set(self.members) - set(self.member_rows))
        for start in range(0, len(codes), CHUNK):
            self.members.update({code: MemberRef(pk, name) for code, pk, name in
                                 Member.objects.filter(member_code__in=codes[start:start + CHUNK])
                                 .values_list("member_code", "pk", "full_name")})
        self.names = {ref.pk: ref.full_name for ref in self.members.values()}

    def _refuse_stored_codes(self) -> None:
        codes = sorted(self.meeting_rows)
        for start in range(0, len(codes), CHUNK):
            for code in Meeting.objects.filter(code__in=codes[start:start + CHUNK]).values_list(
                    "code", flat=True):
                self.meeting_rows[code].fail(self.report, "code", _(
                    "buổi sinh hoạt mã %(code)s đã có trong cơ sở dữ liệu") % {"code": code})

    def _meeting(self, row: Row) -> None:
        org = self.tree.by_code.get(row["org_code"])
        if org is None:
            raise RowError("org_code", missing(row["org_code"], self.org_rows))
        day = row["date"]
        if not self.tree.cell_exists(org.pk, day):
            raise RowError("org_code", _("%(org)s không phải chi bộ đang tồn tại vào ngày "
                                         "%(day)s") % {"org": self.tree.label(org.pk),
                                                       "day": day.isoformat()})
        if row["combined_thematic"] and row["kind"] != MeetingKind.REGULAR:
            raise RowError("combined_thematic", _("chỉ buổi sinh hoạt thường kỳ mới kết hợp "
                                                  "sinh hoạt chuyên đề"))
        if not row["place"] and not row["online_link"]:
            raise RowError("place", _("cần địa điểm hoặc đường dẫn họp trực tuyến"))
        if problem := services.online_link_problem(row["online_link"] or ""):
            raise RowError("online_link", problem)
        closed = row["status"] == MeetingStatus.CLOSED
        if closed and day > timezone.localdate():
            raise RowError("status", _("buổi sinh hoạt ngày %(day)s chưa diễn ra, chưa thể kết "
                                       "thúc") % {"day": day.isoformat()})
        if closed and not 1 <= (row["duration_minutes"] or 0) <= 1440:
            raise RowError("duration_minutes", _("buổi sinh hoạt đã kết thúc cần thời lượng từ "
                                                 "1 đến 1440 phút"))
        if not closed and row["duration_minutes"] is not None:
            raise RowError("duration_minutes", _("chỉ ghi thời lượng khi buổi sinh hoạt đã kết "
                                                 "thúc"))
        self.meetings[row["code"]] = {
            "code": row["code"], "organization_id": org.pk, "kind": row["kind"], "date": day,
            "start_time": row["start_time"], "topic": row["topic"],
            **{name: row[name] or "" for name in ("place", "online_link", "agenda", "minutes",
                                                   "conclusion")},
            **{name: bool(row[name]) for name in (*FLAGS, *CLOSING_BOOLS)},
            "status": row["status"], "duration_minutes": row["duration_minutes"],
        }

    def _expected(self) -> dict[str, dict[int, bool]]:
        """For each accepted meeting: member id -> exempt, of the members of its cell that day."""
        by_org = defaultdict(list)
        for values in self.meetings.values():
            by_org[values["organization_id"]].append(values)
        periods = defaultdict(list)
        org_ids = sorted(by_org)
        for start in range(0, len(org_ids), CHUNK):
            for org_id, member_id, valid_from, valid_to, exempt in MemberPeriod.objects.filter(
                    org_id__in=org_ids[start:start + CHUNK]).values_list(
                    "org_id", "member_id", "valid_from", "valid_to", "exempt"):
                periods[org_id].append((member_id, valid_from, valid_to, exempt))
        expected = {}
        for org_id, meetings in by_org.items():
            for values in meetings:
                day = values["date"]
                expected[values["code"]] = {member: exempt for member, start, end, exempt
                                            in periods[org_id] if start <= day < end}
        return expected

    def _meeting_of(self, row: Row) -> dict:
        code = row["meeting_code"]
        if code not in self.meetings:
            if code in self.meeting_rows:
                raise RowError("meeting_code", missing(code, self.meeting_rows))
            raise RowError("meeting_code", _(
                "buổi sinh hoạt %(code)s không có trong meetings.csv của gói (điểm danh và khách "
                "mời chỉ ghi cùng buổi sinh hoạt của mình)") % {"code": code})
        return self.meetings[code]

    def _member_of(self, row: Row) -> MemberRef:
        code = row["member_code"]
        if code not in self.members:
            raise RowError("member_code", missing(code, self.member_rows)
                           if code in self.member_rows else unknown_code(code))
        return self.members[code]

    def _attendance(self, row: Row, seen: set) -> None:
        meeting = self._meeting_of(row)
        member = self._member_of(row)
        code, status = meeting["code"], row["status"]
        expected = self.expected[code]
        if member.pk not in expected:
            raise RowError("member_code", _(
                "%(name)s không phải đảng viên của chi bộ vào ngày %(day)s") % {
                "name": member.full_name, "day": meeting["date"].isoformat()})
        if (code, member.pk) in seen:
            raise RowError("member_code", _("%(name)s đã được ghi điểm danh ở buổi này")
                           % {"name": member.full_name})
        seen.add((code, member.pk))
        if expected[member.pk] != (status == AttendanceStatus.EXEMPT):
            raise RowError("status", _("%(name)s được miễn sinh hoạt vào ngày này: ghi exempt")
                           % {"name": member.full_name} if expected[member.pk] else
                           _("%(name)s không thuộc diện miễn sinh hoạt")
                           % {"name": member.full_name})
        if status == AttendanceStatus.EXCUSED and not row["reason"]:
            raise RowError("reason", _("vắng có lý do cần ghi lý do"))
        if meeting["status"] != MeetingStatus.CLOSED and status != AttendanceStatus.EXCUSED:
            raise RowError("status", _("buổi sinh hoạt chưa kết thúc: chỉ ghi báo vắng có lý do "
                                       "(excused)"))
        self.attendance[code][member.pk] = (status, row["reason"] or "", bool(row["spoke"]))

    def _complete(self, row: Row, meeting: dict) -> None:
        """A closed meeting needs every non-exempt member's attendance; exempt ones are filled
        in. Then its derived counts and quality."""
        if meeting["status"] != MeetingStatus.CLOSED:
            return
        rows = self.attendance[meeting["code"]]
        absent = [pk for pk, exempt in self.expected[meeting["code"]].items()
                  if not exempt and pk not in rows]
        if absent:
            names = ", ".join(sorted(self.names.get(pk, str(pk)) for pk in absent))
            row.fail(self.report, "code", _("thiếu điểm danh của: %(names)s") % {"names": names})
            return
        for pk, exempt in self.expected[meeting["code"]].items():
            if exempt and pk not in rows:
                rows[pk] = (AttendanceStatus.EXEMPT, "", False)

    def _guest(self, row: Row) -> None:
        meeting = self._meeting_of(row)
        org = None
        if row["org_code"]:
            org = self.tree.by_code.get(row["org_code"])
            if org is None:
                raise RowError("org_code", missing(row["org_code"], self.org_rows))
            if row["role"] == GuestRole.INVITED_SECRETARY and org.pk == meeting["organization_id"]:
                raise RowError("org_code", _("bí thư được mời phải là bí thư của chi bộ khác"))
        member = self._member_of(row) if row["member_code"] else None
        self.guests.append({"meeting_code": meeting["code"], "role": row["role"],
                            "full_name": row["full_name"], "title": row["title"] or "",
                            "org_id": getattr(org, "pk", None),
                            "member_id": getattr(member, "pk", None),
                            "attended": True if row["attended"] is None else row["attended"]})

    # writing ----------------------------------------------------------------------------------
    def write(self) -> dict[str, int]:
        if not (self.meeting_rows or self.attendance_rows or self.guest_rows):
            return {}  # a bundle without meetings reports no meeting counts
        if self.report or not self.meetings:
            return {MEETINGS.name: 0, ATTENDANCE.name: 0, MEETING_GUESTS.name: 0}
        return write_meetings(list(self.meetings.values()), self.attendance, self.guests)


def write_meetings(meetings: list[dict], attendance: dict[str, dict[int, tuple]],
                   guests: list[dict]) -> dict[str, int]:
    """Write checked meetings (field values by name, with `code`), their attendance (meeting
    code -> member id -> (status, reason, spoke)) and guests (with `meeting_code`) in bulk,
    after computing each closed meeting's counts and quality. Used by the import and the
    demo; the caller has checked the rows."""
    assess_many(meetings, attendance)
    now = timezone.now()
    insert_rows(Meeting, [{**values, "kind": str(values["kind"]), "status": str(values["status"]),
                           "closed_at": now if values["status"] == MeetingStatus.CLOSED else None}
                          for values in meetings])
    codes = sorted(values["code"] for values in meetings)
    ids = {}
    for start in range(0, len(codes), CHUNK):
        ids.update(Meeting.objects.filter(code__in=codes[start:start + CHUNK])
                   .values_list("code", "pk"))
    # Plain str, not the choices' enum members: the bulk writer passes plain values through.
    rows = [{"meeting_id": ids[code], "member_id": pk, "status": str(status), "reason": reason,
             "spoke": spoke}
            for code, by_member in attendance.items() for pk, (status, reason, spoke)
            in by_member.items()]
    insert_rows(Attendance, rows)
    MeetingGuest.objects.bulk_create([
        MeetingGuest(meeting_id=ids[g["meeting_code"]],
                     **{k: v for k, v in g.items() if k != "meeting_code"}) for g in guests],
        batch_size=2000)
    visited = sorted({ids[g["meeting_code"]] for g in guests})
    for start in range(0, len(visited), CHUNK):
        services.store_visits(Meeting.objects.filter(pk__in=visited[start:start + CHUNK]))
    services.rejudge_excused_streaks({(v["organization_id"], v["date"].year) for v in meetings
                                      if v["status"] == MeetingStatus.CLOSED})
    return {MEETINGS.name: len(meetings), ATTENDANCE.name: len(rows),
            MEETING_GUESTS.name: len(guests)}


def assess_many(meetings: list[dict], attendance: dict[str, dict[int, tuple]]) -> None:
    """Counts and quality of each closed meeting, set on its values. The excused streak is
    left to services.rejudge_excused_streaks once the rows are stored, so that it runs over
    the meetings already in the database too."""
    for values in meetings:
        if values["status"] != MeetingStatus.CLOSED:
            continue
        rows = attendance.get(values["code"], {})
        statuses = [(status, spoke) for status, _r, spoke in rows.values()]
        failures = assess_quality(_Judged(values), statuses, streak=False)
        values.update(counted=sum(1 for s, _k in statuses if s in COUNTED),
                      attended=sum(1 for s, _k in statuses if s in ATTENDED),
                      quality_failures=failures, quality_passed=not failures)


class _Judged:
    """What assess_quality reads of a meeting, from an import row's values."""

    def __init__(self, values: dict):
        self.date: date = values["date"]
        for name in ("combined_thematic", "duration_minutes", *CLOSING_BOOLS):
            setattr(self, name, values[name])


# Export -----------------------------------------------------------------------------------------

def _meetings() -> list[dict]:
    keys = [k for k in MEETINGS.keys if k != "org_code"]
    return sorted(Meeting.objects.values(*keys, org_code=F("organization__code")),
                  key=lambda row: row["code"])


def _attendance() -> list[dict]:
    rows = Attendance.objects.values("status", "reason", "spoke",
                                     meeting_code=F("meeting__code"),
                                     member_code=F("member__member_code"))
    return sorted(rows, key=lambda row: (row["meeting_code"], row["member_code"]))


def _guests() -> list[dict]:
    rows = MeetingGuest.objects.values("full_name", "role", "title", "attended",
                                       meeting_code=F("meeting__code"), org_code=F("org__code"),
                                       member_code=F("member__member_code"))
    return sorted(rows, key=lambda row: tuple(str(row[k] or "") for k in (
        "meeting_code", "role", "full_name", "title", "org_code", "member_code", "attended")))


# After the members (attendance and guests name them) and, by its order, after the posts.
SECTION = Section(
    key="meetings", files=(MEETINGS, ATTENDANCE, MEETING_GUESTS), run=import_meetings,
    export={MEETINGS.name: _meetings, ATTENDANCE.name: _attendance,
            MEETING_GUESTS.name: _guests},
    depends_on=("members",), order=40)
