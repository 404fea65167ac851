"""A realistic last year of meetings for every cell of the demo province.

Each cell that has members meets once a month on its own day (5th–25th) and holds a thematic
meeting every quarter — on its own, or combined with that month's regular meeting. A few cells
miss a month, a few meetings run short, and one cell per commune holds a model meeting with two
secretaries of its sibling cells invited; a commune official visits about one meeting in ten.
Members are mostly present, some online, some excused with a reason; a handful of members are
often absent without reason, so the removal rule has something to find. The current month's
meeting is still scheduled when its day has not come.

Rows are generated in memory and written with the bundle's bulk writer
(`chibo.meetings.bundle.write_meetings`), which computes the counts and quality as a closing
does, so the demo costs seconds even for a province's million attendance rows.
"""

import calendar
import random
import sys
import time
from collections import defaultdict
from datetime import date
from datetime import time as clock

from django.db import transaction
from django.utils import timezone

from chibo.core.console import table
from chibo.meetings.bundle import write_meetings
from chibo.meetings.choices import (
    AttendanceStatus,
    GuestRole,
    MeetingKind,
    MeetingStatus,
    standard_agenda_text,
)
from chibo.meetings.services import KIND_LETTER
from chibo.members.choices import PostRole
from chibo.members.models import MemberPeriod, Position
from chibo.organizations.choices import MEMBER_HOLDING_KINDS
from chibo.organizations.models import END_OF_TIME, Organization, OrgPeriod

THEMES = (
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về tinh thần đoàn kết",
    "Nâng cao chất lượng sinh hoạt chi bộ theo Chỉ thị 50-CT/TW",
    "Xây dựng nông thôn mới gắn với phát triển kinh tế hộ gia đình",
    "Chuyển đổi số trong công tác đảng và Sổ tay đảng viên điện tử",
    "Phòng, chống thiên tai, mưa lũ và bảo vệ rừng",
    "Vai trò nêu gương của đảng viên nơi cư trú",
    "Giữ gìn bản sắc văn hóa các dân tộc trên địa bàn",
    "Đấu tranh phản bác các quan điểm sai trái, thù địch trên không gian mạng",
)
URGENT = ("Khắc phục hậu quả mưa lũ, sạt lở đất", "Triển khai công tác bầu cử",
          "Xem xét đề nghị kết nạp đảng viên", "Phòng, chống dịch bệnh gia súc")
EXCUSES = ("Ốm", "Đi công tác", "Đi viện chăm người nhà", "Đi làm ăn xa", "Việc gia đình",
           "Tập huấn chuyên môn")
VISITORS = ("Hà Văn Sơn", "Nguyễn Thị Thu Hằng", "Ma Văn Thuận", "Lương Thị Nga",
            "Hoàng Văn Quý", "Trần Đức Minh")
MONTHS_BACK = 12


def _months(today: date) -> list[tuple[int, int]]:
    """The last MONTHS_BACK months before this one, and this one."""
    year, month = today.year, today.month
    out = []
    for _ in range(MONTHS_BACK + 1):
        out.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out[::-1]


def _day(year: int, month: int, wanted: int) -> date:
    return date(year, month, min(wanted, calendar.monthrange(year, month)[1]))


class _Cells:
    """Cells, their spans in the tree, their members' periods, parents and secretaries, read in
    a few queries."""

    def __init__(self, since: date):
        self.orgs = {o.pk: o for o in Organization.objects.filter(
            kind__in=MEMBER_HOLDING_KINDS).select_related("village")}
        self.spans = defaultdict(list)
        self.parent = {}
        for org_id, start, end, parent_id in OrgPeriod.objects.filter(
                organization__in=list(self.orgs), valid_to__gt=since).values_list(
                "organization_id", "valid_from", "valid_to", "parent_id"):
            self.spans[org_id].append((start, end))
            if end == END_OF_TIME:
                self.parent[org_id] = parent_id
        self.periods = defaultdict(list)
        for org_id, member_id, start, end, exempt in MemberPeriod.objects.filter(
                valid_to__gt=since).values_list("org_id", "member_id", "valid_from",
                                                "valid_to", "exempt"):
            self.periods[org_id].append((member_id, start, end, exempt))
        self.secretary = {org_id: name for org_id, name in Position.objects.filter(
            role=PostRole.SECRETARY, end_on__isnull=True).values_list("org_id",
                                                                      "member__full_name")}

    def members_on(self, org_id: int, day: date) -> list[tuple[int, bool]]:
        if not any(start <= day < end for start, end in self.spans[org_id]):
            return []
        return sorted((m, exempt) for m, start, end, exempt in self.periods[org_id]
                      if start <= day < end)


def build_for_demo(context) -> None:
    """`chibo demo`'s builder (chibo.core.registry.DEMO_BUILDERS): the year of meetings."""
    build(seed=context.seed, stream=context.stream)


def build(*, seed: int, today: date | None = None, stream=None) -> dict[str, int]:
    stream = stream or sys.stderr
    started = time.monotonic()
    today = today or timezone.localdate()
    rng = random.Random(seed * 7919 + 11)
    months = _months(today)
    cells = _Cells(date(*months[0], 1))
    meetings, attendance, guests = [], {}, []
    agenda = standard_agenda_text()
    siblings = defaultdict(list)
    for org_id, parent_id in cells.parent.items():
        siblings[parent_id].append(org_id)
    model_cells = {rng.choice(sorted(ids)): rng.randrange(len(months) - 1)
                   for ids in siblings.values() if len(ids) >= 3}
    chronic = set()
    for org_id in sorted(cells.orgs):
        cell = cells.orgs[org_id]
        own_day = 5 + rng.randrange(21)
        for index, (year, month) in enumerate(months):
            quarter_middle = month % 3 == 2
            plan = [(MeetingKind.REGULAR, own_day)]
            combined = quarter_middle and rng.random() < 0.5
            if quarter_middle and not combined:
                plan.append((MeetingKind.THEMATIC, min(own_day + 10, 28)))
            if rng.random() < 0.03:  # a month without the regular meeting
                plan = [p for p in plan if p[0] != MeetingKind.REGULAR]
            if rng.random() < 0.01:  # an urgent matter: an extraordinary meeting
                plan.append((MeetingKind.EXTRAORDINARY, min(own_day + 3, 28)))
            for kind, wanted in plan:
                day = _day(year, month, wanted)
                present = cells.members_on(org_id, day)
                if not present:
                    continue
                closed = day < today
                model = kind == MeetingKind.REGULAR and model_cells.get(org_id) == index
                code = f"{cell.code}-{day:%Y%m%d}-{KIND_LETTER[kind]}"
                values = _meeting(rng, code, cell, kind, day, closed,
                                  combined and kind == MeetingKind.REGULAR, model)
                values["agenda"] = agenda
                meetings.append(values)
                if closed:
                    attendance[code] = _attendance(rng, present, chronic)
                    guests.extend(_guests(rng, code, cells, org_id, model, siblings))
                else:
                    attendance[code] = {}
    with transaction.atomic():
        counts = write_meetings(meetings, attendance, guests)
    stream.write(f"  meetings ({time.monotonic() - started:.0f} s):\n"
                 + table(counts.items(), indent="    ") + "\n")
    stream.flush()
    return counts


def _meeting(rng, code, cell, kind, day, closed, combined, model) -> dict:
    thematic = kind == MeetingKind.THEMATIC or combined
    topic = (rng.choice(THEMES) if thematic
             else rng.choice(URGENT) if kind == MeetingKind.EXTRAORDINARY
             else f"Sinh hoạt chi bộ thường kỳ tháng {day.month}/{day.year}")
    short = rng.random() < 0.04
    needed = 120 if combined else 90
    values = {
        "code": code, "organization_id": cell.pk, "kind": kind, "date": day,
        "start_time": clock(19, 30) if cell.village_id else clock(14, 0), "topic": topic,
        "place": f"Nhà văn hóa {cell.village.name}" if cell.village_id else "Hội trường cơ quan",
        "online_link": "", "agenda": "", "minutes": "", "conclusion": "",
        "combined_thematic": combined, "is_model": model,
        "agenda_prepared": False, "committee_prepared": False, "draft_resolution": False,
        "minutes_complete": False, "status": MeetingStatus.SCHEDULED, "duration_minutes": None,
    }
    if closed:
        values.update(
            status=MeetingStatus.CLOSED,
            duration_minutes=rng.randrange(60, needed) if short else needed + rng.randrange(40),
            agenda_prepared=True, committee_prepared=rng.random() < 0.98,
            draft_resolution=rng.random() < 0.97, minutes_complete=rng.random() < 0.98,
            minutes="Biên bản lưu tại sổ biên bản của chi bộ.",
            conclusion=(f"Chi bộ thống nhất thực hiện: {topic.lower()}; phân công đảng viên "
                        "phụ trách các tổ, hộ gia đình; hoàn thành trước cuối tháng."))
    return values


def _attendance(rng, present, chronic) -> dict[int, tuple[str, str, bool]]:
    rows = {}
    for member_id, exempt in present:
        if exempt:
            rows[member_id] = (AttendanceStatus.EXEMPT, "", False)
            continue
        if member_id % 499 == 7:
            chronic.add(member_id)
        roll = rng.random()
        if member_id in chronic and roll < 0.3:
            rows[member_id] = (AttendanceStatus.UNEXCUSED, "", False)
        elif roll < 0.935:
            rows[member_id] = (AttendanceStatus.PRESENT, "", rng.random() < 0.4)
        elif roll < 0.955:
            rows[member_id] = (AttendanceStatus.ONLINE, "", rng.random() < 0.3)
        elif roll < 0.999:
            rows[member_id] = (AttendanceStatus.EXCUSED, rng.choice(EXCUSES), False)
        else:
            rows[member_id] = (AttendanceStatus.UNEXCUSED, "", False)
    if rng.random() < 0.92:  # most meetings hear enough members speak
        quiet = [m for m, (status, _r, spoke) in rows.items()
                 if status == AttendanceStatus.PRESENT and not spoke]
        speakers = sum(1 for _s, _r, spoke in rows.values() if spoke)
        attending = sum(1 for status, _r, _s in rows.values()
                        if status in (AttendanceStatus.PRESENT, AttendanceStatus.ONLINE))
        wanted = max(3, -(-attending * 35 // 100))
        for member_id in rng.sample(quiet, max(0, min(len(quiet), wanted - speakers))):
            rows[member_id] = (AttendanceStatus.PRESENT, "", True)
    return rows


def _guests(rng, code, cells, org_id, model, siblings) -> list[dict]:
    parent_id = cells.parent.get(org_id)
    out = []
    if rng.random() < 0.1 or model:
        out.append({"meeting_code": code, "role": GuestRole.HIGHER_LEVEL,
                    "full_name": rng.choice(VISITORS), "title": "Đảng ủy viên phụ trách",
                    "org_id": parent_id, "member_id": None, "attended": True})
    if model:
        invited = [o for o in siblings.get(parent_id, []) if o != org_id and o in cells.secretary]
        for other in rng.sample(invited, min(2, len(invited))):
            out.append({"meeting_code": code, "role": GuestRole.INVITED_SECRETARY,
                        "full_name": cells.secretary[other], "title": "Bí thư chi bộ",
                        "org_id": other, "member_id": None, "attended": True})
    return out


