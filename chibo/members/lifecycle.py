"""The life of one membership, replayed from its facts: one implementation of the rules.

A member's record is a starting row (admission decision, official recognition, the cell joined
and since when) followed by dated events (spec/BUNDLE.md, member_events.csv). `replay` applies
them in order and returns the segments during which the member was active in the tree (cell,
probationary or official, exempt or not) and the state at the end, or raises `LifecycleError`
naming the first fact that cannot happen. Services, the bundle import and the statistics' tests
all use it, so the rules live here once.

Order of one member's facts on the same day: admission, arrival (`org_since`), official
recognition, then the events in their recorded order.
"""

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

END = date(9999, 12, 31)
OrgKey = Hashable


class EventKind(StrEnum):
    OFFICIAL = "official"
    TRANSFER = "transfer"
    TRANSFER_OUT = "transfer_out"
    EXEMPT = "exempt"
    EXEMPT_END = "exempt_end"
    REMOVE = "remove"
    EXPEL = "expel"
    LEAVE = "leave"
    DIE = "die"
    NOT_RECOGNIZED = "not_recognized"
    READMIT = "readmit"


ENDINGS = frozenset({EventKind.REMOVE, EventKind.EXPEL, EventKind.LEAVE, EventKind.DIE,
                     EventKind.NOT_RECOGNIZED})
NEEDS_ORG = frozenset({EventKind.TRANSFER, EventKind.READMIT})


class Phase(StrEnum):
    ACTIVE = "active"  # a member, in a cell of this tree
    OUTSIDE = "outside"  # still a member, in another tree (after transfer_out)
    ENDED = "ended"  # membership ended (removed, expelled, left, not recognized)
    DEAD = "dead"


class Status(StrEnum):
    PROBATIONARY = "probationary"
    OFFICIAL = "official"


@dataclass(frozen=True)
class Start:
    admitted_on: date
    org: OrgKey
    official_on: date | None = None
    org_since: date | None = None


@dataclass(frozen=True)
class Event:
    kind: str
    effective_on: date
    org: OrgKey | None = None


@dataclass
class Segment:
    """[start, end) during which the member was active in `org` with this status."""

    start: date
    end: date
    org: OrgKey
    status: Status
    exempt: bool


@dataclass(frozen=True)
class Flow:
    """A fact that flow statistics count (spec/METRICS.md), with the cell it falls in.

    `org` is placed in the tree of `ref_day`: the event day for facts that bring a member in or
    recognize them, the day before for facts that take a member out. A transfer also names the
    cell it leaves (`from_org`, placed in the tree of the day before).
    """

    kind: str  # admitted, readmitted, arrived, returned, official, transfer, transfer_out, ending
    day: date
    org: OrgKey | None
    ref_day: date
    from_org: OrgKey | None = None


@dataclass
class Timeline:
    segments: list[Segment] = field(default_factory=list)
    phase: Phase = Phase.ACTIVE
    status: Status = Status.PROBATIONARY
    exempt: bool = False
    org: OrgKey | None = None
    ended_on: date | None = None
    end_kind: str | None = None
    first_admitted_on: date | None = None
    readmissions: int = 0
    # (left_on, back_on) stretches outside the party, for party age
    gaps: list[tuple[date, date | None]] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)


class LifecycleError(Exception):
    """`index` is the event at fault (None: the starting row); `field` the column at fault."""

    def __init__(self, message: str, *, index: int | None, field: str):
        super().__init__(message)
        self.message, self.index, self.field = message, index, field


@dataclass(frozen=True)
class Rules:
    """What the tree answers (does this cell hold members that day?), and how to name a cell.

    The replay applies the checks of spec/BUNDLE.md: what cannot have happened. The regulation's
    waiting times and ages (12 months of probation, 36 months before a readmission, once only,
    the admission age) are process rules that a record may break and still be history: they are
    findings (chibo.members.findings), which the services refuse unless an exception is
    recorded.
    """

    cell_exists: Callable[[OrgKey, date], bool]
    org_label: Callable[[OrgKey], str] = str


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for dom in (day.day, 30, 29, 28):
        try:
            return date(year, month, dom)
        except ValueError:
            continue
    raise ValueError(day)


class _Replay:
    def __init__(self, rules: Rules):
        self.rules = rules
        self.t = Timeline()
        self.since: date | None = None  # start of the current segment
        self.pending_official: date | None = None  # official_on later than the arrival
        self.today: date | None = None  # the day of the fact being applied
        self.org_at_dawn: OrgKey | None = None  # the cell at the end of the day before

    def _flow(self, kind: str, day: date, org, *, before: bool = False, from_org=None) -> None:
        ref = date.fromordinal(day.toordinal() - 1) if before else day
        self.t.flows.append(Flow(kind, day, org, ref, from_org))

    def _advance(self, day: date) -> None:
        """Remember the cell at the end of the previous day before applying `day`'s facts."""
        if self.today != day:
            self.today = day
            self.org_at_dawn = self.t.org if self.t.phase == Phase.ACTIVE else None

    # segments ---------------------------------------------------------------------------
    def _close(self, day: date) -> None:
        if self.t.phase == Phase.ACTIVE and self.since is not None and day > self.since:
            self.t.segments.append(Segment(self.since, day, self.t.org, self.t.status,
                                           self.t.exempt))
        self.since = day

    def _require_cell(self, org, day, index, field_name) -> None:
        if not self.rules.cell_exists(org, day):
            raise LifecycleError(
                f"chi bộ {self.rules.org_label(org)} không tồn tại (hoặc không phải chi bộ) "
                f"vào ngày {_d(day)}", index=index, field=field_name)

    # facts -------------------------------------------------------------------------------
    def start(self, s: Start) -> None:
        arrival = s.org_since or s.admitted_on
        if arrival < s.admitted_on:
            raise LifecycleError(f"ngày đến ({_d(arrival)}) trước ngày kết nạp "
                                 f"({_d(s.admitted_on)})", index=None, field="org_since")
        if s.official_on is not None and s.official_on < s.admitted_on:
            raise LifecycleError(f"ngày chính thức ({_d(s.official_on)}) trước ngày kết nạp",
                                 index=None, field="official_on")
        self._require_cell(s.org, arrival, None, "org_code")
        self.t.first_admitted_on = s.admitted_on
        self._advance(arrival)
        self.t.org, self.t.phase, self.since = s.org, Phase.ACTIVE, arrival
        # Admitted outside the tree (arriving later): the admission counts nowhere.
        self._flow("admitted" if arrival == s.admitted_on else "arrived", arrival, s.org)
        if s.official_on is not None and s.official_on <= arrival:
            self.t.status = Status.OFFICIAL
            if s.official_on == arrival:  # recognized outside the tree before: counts nowhere
                self._flow("official", arrival, s.org)
        if s.official_on is not None and s.official_on > arrival:
            self.pending_official = s.official_on

    def _official(self, day: date, index, field_name: str) -> None:
        if self.t.phase != Phase.ACTIVE or self.t.status != Status.PROBATIONARY:
            raise LifecycleError("chỉ công nhận chính thức cho đảng viên dự bị đang sinh hoạt",
                                 index=index, field=field_name)
        self._advance(day)
        self._close(day)
        self.t.status = Status.OFFICIAL
        self._flow("official", day, self.t.org)

    def event(self, e: Event, index: int) -> None:
        if self.pending_official is not None and self.pending_official <= e.effective_on:
            self._official(self.pending_official, None, "official_on")
            self.pending_official = None
        since = self.t.ended_on if self.t.phase in (Phase.ENDED, Phase.DEAD) else self.since
        if since is not None and e.effective_on < since:
            raise LifecycleError(f"sự kiện ngày {_d(e.effective_on)} trước sự kiện trước đó "
                                 f"({_d(since)})", index=index, field="effective_on")
        self._advance(e.effective_on)
        handler = getattr(self, f"_on_{e.kind}", None)
        if handler is None:
            raise LifecycleError(f"loại sự kiện không hợp lệ: {e.kind}", index=index,
                                 field="event")
        handler(e, index)

    def finish(self) -> Timeline:
        if self.pending_official is not None:
            self._official(self.pending_official, None, "official_on")
        if self.t.phase == Phase.ACTIVE:
            self._close(END)
        return self.t

    def _require_phase(self, e: Event, index: int, *phases: Phase) -> None:
        if self.t.phase in phases:
            return
        reasons = {
            Phase.DEAD: "đảng viên đã từ trần",
            Phase.ENDED: "đảng viên đã ra khỏi Đảng",
            Phase.OUTSIDE: "đảng viên đã chuyển ra ngoài đảng bộ (chỉ nhận chuyển về)",
            Phase.ACTIVE: "đảng viên đang sinh hoạt",
        }
        raise LifecycleError(f"không thể ghi '{e.kind}' ngày {_d(e.effective_on)}: "
                             f"{reasons[self.t.phase]}", index=index, field="event")

    def _on_official(self, e, index):
        self._require_phase(e, index, Phase.ACTIVE)
        self._official(e.effective_on, index, "event")

    def _on_transfer(self, e, index):
        self._require_phase(e, index, Phase.ACTIVE, Phase.OUTSIDE)
        if e.org is None:
            raise LifecycleError("thiếu chi bộ chuyển đến", index=index, field="org_code")
        if self.t.phase == Phase.ACTIVE and e.org == self.t.org:
            raise LifecycleError("chuyển đến chính chi bộ đang sinh hoạt", index=index,
                                 field="org_code")
        self._require_cell(e.org, e.effective_on, index, "org_code")
        self._close(e.effective_on)
        if self.t.phase == Phase.OUTSIDE:
            self._flow("returned", e.effective_on, e.org)
        else:
            self._flow("transfer", e.effective_on, e.org, from_org=self.org_at_dawn)
        self.t.org, self.t.phase = e.org, Phase.ACTIVE

    def _on_transfer_out(self, e, index):
        self._require_phase(e, index, Phase.ACTIVE)
        self._close(e.effective_on)
        self._flow("transfer_out", e.effective_on, self.org_at_dawn, before=True)
        self.t.phase = Phase.OUTSIDE

    def _on_exempt(self, e, index):
        self._require_phase(e, index, Phase.ACTIVE)
        if self.t.exempt:
            raise LifecycleError("đảng viên đang được miễn sinh hoạt", index=index, field="event")
        self._close(e.effective_on)
        self.t.exempt = True

    def _on_exempt_end(self, e, index):
        self._require_phase(e, index, Phase.ACTIVE)
        if not self.t.exempt:
            raise LifecycleError("đảng viên không được miễn sinh hoạt", index=index,
                                 field="event")
        self._close(e.effective_on)
        self.t.exempt = False

    def _end(self, e, index, phase: Phase):
        self._close(e.effective_on)
        self._flow(e.kind, e.effective_on, self.org_at_dawn, before=True)
        self.t.phase, self.t.exempt = phase, False
        self.t.ended_on, self.t.end_kind = e.effective_on, e.kind
        if phase == Phase.ENDED:
            self.t.gaps.append((e.effective_on, None))

    def _on_remove(self, e, index):
        self._require_phase(e, index, Phase.ACTIVE)
        self._end(e, index, Phase.ENDED)

    _on_expel = _on_remove
    _on_leave = _on_remove

    def _on_die(self, e, index):
        self._require_phase(e, index, Phase.ACTIVE)
        self._end(e, index, Phase.DEAD)

    def _on_not_recognized(self, e, index):
        self._require_phase(e, index, Phase.ACTIVE)
        if self.t.status != Status.PROBATIONARY:
            raise LifecycleError("chỉ đảng viên dự bị mới có thể không được công nhận",
                                 index=index, field="event")
        self._end(e, index, Phase.ENDED)

    def _on_readmit(self, e, index):
        self._require_phase(e, index, Phase.ENDED)
        if e.org is None:
            raise LifecycleError("thiếu chi bộ kết nạp lại", index=index, field="org_code")
        self._require_cell(e.org, e.effective_on, index, "org_code")
        left, _ = self.t.gaps[-1]
        self.t.gaps[-1] = (left, e.effective_on)
        self.t.readmissions += 1
        self.t.org, self.t.phase, self.t.status = e.org, Phase.ACTIVE, Status.PROBATIONARY
        self.t.ended_on = self.t.end_kind = None
        self.since = e.effective_on
        self._flow("readmitted", e.effective_on, e.org)


def replay(start: Start, events: Sequence[Event], rules: Rules) -> Timeline:
    """Apply the facts in order (events by date; same day: as recorded). Raises LifecycleError."""
    run = _Replay(rules)
    run.start(start)
    ordered = sorted(enumerate(events), key=lambda pair: pair[1].effective_on)
    for index, event in ordered:
        run.event(event, index)
    return run.finish()


def party_age_days(timeline: Timeline, day: date) -> int:
    """Days of party age on `day`: from the first admission decision, less the time outside."""
    if timeline.first_admitted_on is None or day < timeline.first_admitted_on:
        return 0
    total = (day - timeline.first_admitted_on).days
    for left, back in timeline.gaps:
        if left >= day:
            continue
        total -= ((back if back and back < day else day) - left).days
    if timeline.phase == Phase.DEAD and timeline.ended_on and timeline.ended_on < day:
        total -= (day - timeline.ended_on).days
    return max(total, 0)
