"""Every change to a member's file: admission, arrival, lifecycle events, profile, posts.

Each service runs in one transaction, checks the actor's permission and the rules (the lifecycle
replay), rewrites the member's derived periods, and appends one audit record. A refused change
raises RuleViolation and writes nothing.

The regulation's waiting times and ages are finding rules (chibo.members.findings): a change
that would make the member's file break one of them anew is refused with the rule's words,
unless the officer gives the decision that allowed it (`exception`); the exception is then
recorded in the same transaction (chibo.findings.services.record_exception).
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chibo.accounts.policy import SYSTEM, Capability, require, scope_paths
from chibo.audit.services import record_change
from chibo.core.concurrency import Expected, check_version
from chibo.core.exceptions import RuleViolation
from chibo.core.text import name_sort_key, search_key
from chibo.findings.queries import open_findings
from chibo.findings.services import Decision, refuse_or_except
from chibo.members import findings, lifecycle, photos
from chibo.members.choices import (
    PARTY_POSTS,
    STATUS_OF_ENDING,
    VILLAGE_POSTS,
    MemberStatus,
    PostRole,
)
from chibo.members.models import (
    FLOW_PROFILE,
    PERIOD_PROFILE,
    FileRead,
    Member,
    MemberEvent,
    MemberFlow,
    MemberPeriod,
    Position,
)
from chibo.organizations.choices import MEMBER_HOLDING_KINDS
from chibo.organizations.models import Organization, OrgPeriod
from chibo.organizations.paths import PathHistory, lock_placements

PROFILE_FIELDS = (
    "full_name", "gender", "birth_date", "ethnicity", "religion", "national_id", "phone", "email",
    "hometown", "residence", "occupation", "workplace", "card_number", "general_education",
    "professional_level", "theory_level", "notes", "age_exception",
)


def _d(day: date) -> str:
    return date_format(day, "d/m/Y")


# The tree as the replay sees it ------------------------------------------------------------

def cell_exists(org: Organization, day: date) -> bool:
    """Whether `org` is a cell that holds members on `day`."""
    return org.kind in MEMBER_HOLDING_KINDS and OrgPeriod.objects.as_of(day).filter(
        organization=org).exists()


DB_RULES = lifecycle.Rules(cell_exists=cell_exists,
                           org_label=lambda org: f"{org.name} ({org.code})")


def follow_merges(segments: list[lifecycle.Segment], merges: dict) -> list[lifecycle.Segment]:
    """Split segments where their cell merged into another: from the merge on, they count there.

    `merges` maps an organization key to (merged_on, into_key) for merged organizations.
    """
    out: list[lifecycle.Segment] = []
    for seg in segments:
        start, org = seg.start, seg.org
        while org in merges and merges[org][0] < seg.end:
            merged_on, into = merges[org]
            if merged_on > start:
                out.append(lifecycle.Segment(start, merged_on, org, seg.status, seg.exempt))
                start = merged_on
            org = into
        out.append(lifecycle.Segment(start, seg.end, org, seg.status, seg.exempt))
    return out


def _db_merges(org_ids) -> dict[int, tuple[date, int]]:
    """Merge chains reachable from `org_ids`."""
    merges: dict[int, tuple[date, int]] = {}
    frontier = set(org_ids)
    while frontier:
        rows = Organization.objects.filter(pk__in=frontier, merged_into__isnull=False)
        found = {pk: (ended, into) for pk, ended, into in
                 rows.values_list("pk", "ended_on", "merged_into")}
        merges.update(found)
        frontier = {into for _, into in found.values()} - set(merges)
    return merges


# Replaying and storing --------------------------------------------------------------------

def start_of(member: Member) -> lifecycle.Start:
    return lifecycle.Start(admitted_on=member.admitted_on, org=member.joined_org,
                           official_on=member.official_on, org_since=member.org_since)


def events_of(member: Member, extra: list[MemberEvent] = ()) -> list[MemberEvent]:
    """The member's stored events in recorded order (prefetched ones when a list prefetched
    them with `with_events`), then `extra`."""
    if not member.pk:
        return list(extra)
    cache = getattr(member, "_prefetched_objects_cache", {})
    events = cache["events"] if "events" in cache else member.events.select_related("org")
    return sorted(events, key=lambda e: e.seq) + list(extra)


def with_events(members):
    """Members with their events fetched in one extra query (for replays of many members)."""
    from django.db.models import Prefetch

    return members.prefetch_related(
        Prefetch("events", queryset=MemberEvent.objects.select_related("org")))


def _replay(member: Member, events: list[MemberEvent], rules=DB_RULES) -> lifecycle.Timeline:
    facts = [lifecycle.Event(e.event, e.effective_on, e.org) for e in events]
    try:
        return lifecycle.replay(start_of(member), facts, rules)
    except lifecycle.LifecycleError as error:
        raise RuleViolation(error.message, code="lifecycle", field=error.field) from error


def derive(timeline: lifecycle.Timeline, merges: dict,
           key=lambda org: org) -> tuple[dict, list[lifecycle.Segment]]:
    """What a replay stores, computed without the database: the member's derived fields and
    their period segments keyed by organization id, merges followed.

    `key` turns the replay's organization keys into ids; `merges` is as for `follow_merges`.
    Pure, so that `apply_timeline` (one member) and the bundle import (many, in bulk) store the
    same thing."""
    if timeline.phase == lifecycle.Phase.ACTIVE:
        status = MemberStatus(timeline.status)
    elif timeline.phase == lifecycle.Phase.OUTSIDE:
        status = MemberStatus.TRANSFERRED_OUT
    else:
        status = STATUS_OF_ENDING[timeline.end_kind]
    segments = [lifecycle.Segment(s.start, s.end, key(s.org), s.status, s.exempt)
                for s in timeline.segments]
    cell_id = key(timeline.org)
    while cell_id in merges:  # today's cell: the recorded one, followed through its merges
        cell_id = merges[cell_id][1]
    fields = {"status": status, "is_exempt": timeline.exempt, "cell_id": cell_id,
              "ended_on": timeline.ended_on}
    return fields, follow_merges(segments, merges)


def period_profile(member, names=PERIOD_PROFILE) -> dict:
    """The member's attributes that each period carries (PERIOD_PROFILE; each flow fact:
    FLOW_PROFILE), from a Member or from the dict of a member's column values (the bundle
    import's)."""
    if isinstance(member, dict):
        return {name: member[name] for name in names}
    return {name: getattr(member, name) for name in names}


def period_values(segments: list[lifecycle.Segment], member, paths: PathHistory) -> list[dict]:
    """The MemberPeriod fields of `derive`'s segments (without the member's id), each cut where
    its cell moved and placed at the cell's path; `member` is the Member, or its column values,
    whose attributes each period carries."""
    profile = period_profile(member)
    return [{"org_id": s.org, "path": path, "valid_from": start, "valid_to": end,
             "status": s.status, "exempt": s.exempt, **profile}
            for s in segments for start, end, path in paths.pieces(s.org, s.start, s.end)]


def resolve(org, day: date, merges: dict):
    """`org` followed through every merge effective on or before `day`."""
    while org in merges and merges[org][0] <= day:
        org = merges[org][1]
    return org


def flow_values(timeline: lifecycle.Timeline, merges: dict, member, paths: PathHistory,
                key=lambda org: org) -> list[dict]:
    """The MemberFlow fields of a replay's flow facts (without the member), merges followed as
    of each fact's reference day (the day before, for a transfer's leaving side) and placed at
    the paths the cells had then; `member` is the Member, or its column values, whose
    FLOW_PROFILE each fact carries."""
    profile = period_profile(member, FLOW_PROFILE)
    birth_date = member["birth_date"] if isinstance(member, dict) else member.birth_date
    rows = []
    for flow in timeline.flows:
        org = resolve(key(flow.org), flow.ref_day, merges) if flow.org is not None else None
        from_org = eve = None
        if flow.kind == "transfer":
            eve = date.fromordinal(flow.day.toordinal() - 1)
            if flow.from_org is not None:
                from_org = resolve(key(flow.from_org), eve, merges)
        rows.append({"kind": flow.kind, "day": flow.day, "org_id": org, "ref_day": flow.ref_day,
                     "path": paths.path_on(org, flow.ref_day), "from_org_id": from_org,
                     "from_ref_day": eve, "from_path": paths.path_on(from_org, eve),
                     "age": _age_on(birth_date, flow.day), **profile})
    return rows


def apply_timeline(member: Member, timeline: lifecycle.Timeline) -> None:
    """Store the replay: the member's current state and their periods (merges followed)."""
    org_ids = {s.org.pk for s in timeline.segments} | {timeline.org.pk} | {
        f.org.pk for f in timeline.flows if f.org is not None} | {
        f.from_org.pk for f in timeline.flows if f.from_org is not None}
    lock_placements(exclusive=False)
    merges = _db_merges(org_ids)
    fields, segments = derive(timeline, merges, key=lambda org: org.pk)
    paths = PathHistory.load(org_ids | {target for _, target in merges.values()})
    for name, value in fields.items():
        setattr(member, name, value)
    member.save()
    MemberPeriod.objects.filter(member=member).delete()
    MemberPeriod.objects.bulk_create([MemberPeriod(member=member, **values)
                                      for values in period_values(segments, member, paths)])
    MemberFlow.objects.filter(member=member).delete()
    MemberFlow.objects.bulk_create([
        MemberFlow(member=member, **values)
        for values in flow_values(timeline, merges, member, paths, key=lambda org: org.pk)])


def rebuild(member: Member) -> None:
    """Replay a member's stored facts again (after a change to the tree, such as a merge)."""
    apply_timeline(member, _replay(member, events_of(member),
                                   lifecycle.Rules(cell_exists=cell_exists)))


# The finding rules ------------------------------------------------------------------------

def _finding_field(key: str, admission: bool) -> str:
    """The input at fault when an admission (or an event) breaks the rule `key`."""
    if key == findings.ADMISSION_AGE:
        return "birth_date"
    return "official_on" if admission else "effective_on"


def _new_findings(member: Member, before, after, cell) -> list:
    """The record findings that `after` (the member's facts once changed) has and `before` did
    not, as the findings listing would show them, less those already excepted."""
    known = ({(b.key, b.day) for b in findings.member_breaches(member, before)}
             if before is not None else set())
    new = [findings.as_finding(b, member.member_code, member.full_name, cell.code, cell.name)
           for b in findings.member_breaches(member, after) if (b.key, b.day) not in known]
    return open_findings(new)


def guard_findings(member: Member, *, before, after, exception: Decision | None, actor,
                   admission: bool = False) -> None:
    """Refuse a change that makes the member's file break a finding rule anew, with the rule's
    words; with `exception` (the decision that allowed it) record it instead, for each rule
    broken, in the caller's transaction. `before`/`after` are the member's facts
    (findings.Facts; `before` None for a new member); the exception's audit record is placed in
    the member's cell."""
    new = _new_findings(member, before, after, member.cell)
    refuse_or_except(new, exception=exception, actor=actor, org=member.cell,
                     field=lambda key: _finding_field(key, admission))


def snapshot(member: Member) -> dict:
    return {
        "member_code": member.member_code, "full_name": member.full_name,
        "status": member.status, "is_exempt": member.is_exempt,
        "cell": member.cell.code if member.cell_id else None,
        **{name: getattr(member, name) for name in PROFILE_FIELDS if name != "full_name"},
    }


# Admission and arrival ---------------------------------------------------------------------

@dataclass
class NewMember:
    member_code: str
    full_name: str
    gender: str
    birth_date: date
    admitted_on: date
    cell: Organization
    official_on: date | None = None
    org_since: date | None = None
    profile: dict = field(default_factory=dict)


def _age_on(birth: date, day: date) -> int:
    """Completed years (someone born on 29 February completes a year on 1 March)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def require_national_id_format(national_id: str) -> None:
    """A national ID, when given, is 12 digits (pure: the bundle import checks with it too)."""
    if national_id and not (len(national_id) == 12 and national_id.isdigit()):
        raise RuleViolation(_("Số định danh cá nhân phải gồm 12 chữ số."), field="national_id")


def _check_profile(values: dict, member: Member | None) -> None:
    national_id = values.get("national_id") or ""
    if national_id:
        require_national_id_format(national_id)
        others = Member.objects.filter(national_id=national_id)
        if member is not None and member.pk:
            others = others.exclude(pk=member.pk)
        if other := others.first():
            raise RuleViolation(_("Số định danh %(id)s đã có trong hồ sơ %(code)s (%(name)s).")
                                % {"id": national_id, "code": other.member_code,
                                   "name": other.full_name},
                                code="duplicate", field="national_id")
    if not (values.get("full_name") or "").strip():
        raise RuleViolation(_("Họ và tên không được để trống."), field="full_name")


def require_birth_before_admission(birth_date: date, admitted_on: date) -> None:
    """Checked before anything is stored: the ages kept on the flow facts cannot be negative
    (a database check would refuse them as a server error)."""
    if birth_date >= admitted_on:
        raise RuleViolation(_("Ngày sinh phải trước ngày kết nạp."), field="birth_date")


def likely_duplicates(full_name: str, birth_date: date | None, national_id: str = ""):
    """Members that may be the same person: same national ID, or same name and birth date."""
    from django.db.models import Q

    condition = Q(search_key=search_key(full_name), birth_date=birth_date)
    if national_id:
        condition |= Q(national_id=national_id)
    return Member.objects.filter(condition).select_related("cell")[:10]


@transaction.atomic
def admit_member(data: NewMember, *, actor, statutory: bool = True,
                 exception: Decision | None = None) -> Member:
    """A new member: admitted into `cell` on `admitted_on` (or arriving later, `org_since`).

    The admission age and the probation of `official_on` are finding rules: breaking one is
    refused unless `exception` gives the decision that allowed it (then recorded with the
    member). `statutory=False` keeps such a record without asking (old files)."""
    require(actor, Capability.MANAGE_MEMBERS, data.cell)
    code = (data.member_code or "").strip()
    if not code or any(ch.isspace() for ch in code):
        raise RuleViolation(_("Mã đảng viên không được để trống hoặc chứa dấu cách."),
                            field="member_code")
    if Member.objects.filter(member_code=code).exists():
        raise RuleViolation(_("Mã đảng viên %(code)s đã có.") % {"code": code},
                            code="duplicate", field="member_code")
    values = {"full_name": data.full_name, **data.profile}
    _check_profile(values, None)
    require_birth_before_admission(data.birth_date, data.admitted_on)
    member = Member(
        member_code=code, gender=data.gender, birth_date=data.birth_date,
        admitted_on=data.admitted_on, official_on=data.official_on, joined_org=data.cell,
        org_since=data.org_since, cell=data.cell, **values,
    )
    set_name_keys(member)
    timeline = _replay(member, [])
    if statutory:
        guard_findings(member, before=None, after=findings.facts_of(member, []),
                       exception=exception, actor=actor, admission=True)
    member.save()
    apply_timeline(member, timeline)
    record_change("member.admit" if data.org_since in (None, data.admitted_on)
                  else "member.arrive", actor=actor, obj=member, after=snapshot(member))
    return member


@transaction.atomic
def set_photo(member: Member, *, actor, data: bytes | None, version: Expected = None) -> Member:
    """Give the member file a photo (JPEG, PNG or WebP up to 2 MB, checked by its content and
    re-encoded without metadata, chibo.members.photos), or remove it (`data` None). The
    replaced file is deleted once the change is committed. `version`: the file's version the
    caller saw (chibo.core.concurrency), None to not check."""
    require(actor, Capability.MANAGE_MEMBERS, member.cell)
    member = Member.objects.select_for_update().get(pk=member.pk)
    check_version(member, version)
    old, new, details = member.photo, "", {"photo": None}
    if data is None and not old:
        raise RuleViolation(_("Hồ sơ chưa có ảnh."), field="photo")
    if data is not None:
        data, image_format = photos.prepared(data)
        new = photos.store(member.pk, data, image_format)
        details = {"photo": new, "format": image_format, "bytes": len(data)}
    try:
        member.photo = new
        member.save(update_fields=["photo"])
        record_change("member.photo", actor=actor, obj=member, org=member.cell,
                      before={"photo": old or None}, after=details)
    except BaseException:
        photos.remove(new)
        raise
    if old:
        transaction.on_commit(lambda: photos.remove(old))
    return member


@dataclass(frozen=True)
class StoredPhoto:
    member_code: str
    photo: str  # the file's name under the photos folder


@dataclass
class PhotoReencodingReport:
    """What `reencode_stored_photos` found, and did when `applied`."""

    applied: bool
    changed: list[tuple[StoredPhoto, photos.Reencoding]] = field(default_factory=list)
    unchanged: list[StoredPhoto] = field(default_factory=list)  # already as an upload stores it
    unreadable: list[tuple[StoredPhoto, str]] = field(default_factory=list)  # and why

    def counts(self) -> dict[str, int]:
        return {"checked": len(self.changed) + len(self.unchanged) + len(self.unreadable),
                "reencoded" if self.applied else "to_reencode": len(self.changed),
                "unchanged": len(self.unchanged), "unreadable": len(self.unreadable)}


def reencode_stored_photos(*, actor, apply: bool = False) -> PhotoReencodingReport:
    """Re-encode every stored member photo as an upload is now (chibo.members.photos.prepared):
    those stored before uploads were re-encoded still carry their EXIF (GPS location, camera)
    and full size. A photo that is already what an upload stores is left alone; one that
    cannot be read is listed and left as it is, and the others go on.

    Without `apply` nothing is written (what would change is reported). With it each changed
    file is replaced in place, under its member's lock (a photo changed meanwhile on the
    profile page is an upload: left alone), and one audit event `member.photo_reencode` records
    the counts. For the system and administrators: it reads every member's photo."""
    if actor is not SYSTEM and scope_paths(actor, Capability.MANAGE_MEMBERS) is not None:
        raise PermissionDenied(Capability.MANAGE_MEMBERS)
    report = PhotoReencodingReport(applied=apply)
    stored = Member.objects.exclude(photo="").order_by("pk").values_list(
        "pk", "member_code", "photo")
    for member_id, member_code, name in stored.iterator():
        _reencode_photo(member_id, StoredPhoto(member_code, name), report)
    if apply:
        with transaction.atomic():
            record_change("member.photo_reencode", actor=actor, obj=None,
                          after=report.counts())
    return report


def _reencode_photo(member_id: int, stored: StoredPhoto,
                    report: PhotoReencodingReport) -> None:
    path = photos.path_of(stored.photo)
    try:
        if path is None:
            raise FileNotFoundError(stored.photo)
        change = photos.reencoding(path.read_bytes())
    except (OSError, RuleViolation) as error:
        reason = (_("không có tệp") if isinstance(error, FileNotFoundError)
                  else "; ".join(getattr(error, "messages", [])) or str(error))
        report.unreadable.append((stored, reason))
        return
    if not change.changes:
        report.unchanged.append(stored)
        return
    if report.applied and not _rewrite_photo(member_id, stored.photo, change.data):
        report.unchanged.append(stored)  # replaced or removed meanwhile
        return
    report.changed.append((stored, change))


def _rewrite_photo(member_id: int, name: str, data: bytes) -> bool:
    """Replace the member's photo file, if it is still their photo."""
    with transaction.atomic():
        if not Member.objects.select_for_update().filter(pk=member_id, photo=name).exists():
            return False
        photos.rewrite(name, data)
    return True


def set_name_keys(member: Member) -> None:
    """Normalize the name's spaces and derive its search and sort keys (also for the import)."""
    member.full_name = " ".join(member.full_name.split())
    member.search_key = search_key(member.full_name)
    member.sort_key = name_sort_key(member.full_name)


@transaction.atomic
def update_member(member: Member, *, actor, exception: Decision | None = None,
                  version: Expected = None, **values) -> Member:
    """Correct the profile (not the lifecycle facts, which change only through events). A
    birth date (or admission-age decision) that puts the admission outside the age is refused
    unless `exception` gives the decision that allowed it. A file changed since the `version`
    the caller saw is refused (chibo.core.concurrency; None: not checked)."""
    require(actor, Capability.MANAGE_MEMBERS, member.cell)
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise RuleViolation(_("Không sửa được các trường: %(f)s") % {"f": ", ".join(unknown)})
    lock_placements(exclusive=False)  # first: a move waiting on this member's rows would deadlock
    member = Member.objects.select_for_update().get(pk=member.pk)
    check_version(member, version)
    before = snapshot(member)
    facts_before = findings.facts_of(member, events_of(member))
    merged = {name: getattr(member, name) for name in PROFILE_FIELDS} | values
    _check_profile(merged, member)
    require_birth_before_admission(merged["birth_date"], member.admitted_on)
    for name, value in values.items():
        setattr(member, name, value)
    set_name_keys(member)
    guard_findings(member, before=facts_before,
                   after=findings.facts_of(member, events_of(member)), exception=exception,
                   actor=actor)
    member.save()
    if "birth_date" in values:  # ages on the flow facts' days are stored with them
        rebuild(member)
    elif set(values) & {*PERIOD_PROFILE, "full_name"}:
        MemberPeriod.objects.filter(member=member).update(**period_profile(member))
        MemberFlow.objects.filter(member=member).update(**period_profile(member, FLOW_PROFILE))
    record_change("member.update", actor=actor, obj=member, before=before,
                  after=snapshot(member))
    return member


@transaction.atomic
def link_account(member: Member, *, actor, user) -> Member:
    """Let `user` sign in as this member (their own file, the handbook)."""
    require(actor, Capability.MANAGE_ACCOUNTS, member.cell)
    member = Member.objects.select_for_update().get(pk=member.pk)
    before = {"user": member.user.username if member.user_id else None}
    member.user = user
    member.save(update_fields=["user"])
    record_change("member.account", actor=actor, obj=member, before=before,
                  after={"user": user.username if user else None})
    return member


# Lifecycle events -------------------------------------------------------------------------

@transaction.atomic
def record_event(member: Member, *, actor, event: str, effective_on: date,
                 org: Organization | None = None, decision_no: str = "",
                 note: str = "", exception: Decision | None = None,
                 version: Expected = None,
                 capability: str = Capability.MANAGE_MEMBERS) -> MemberEvent:
    """Record one lifecycle event; the whole history is replayed. An event that makes the file
    break a finding rule anew (an early recognition, a readmission too soon or twice, or at an
    age outside 18–60) is refused unless `exception` gives the decision that allowed it, and
    one recorded against a file changed since the `version` the caller saw is refused.

    `capability`: what allows the actor to record it (`member.manage`; a process whose own
    decision has this effect names its capability, as a discipline decision's expulsion is
    recorded under `inspection.manage`)."""
    lock_placements(exclusive=False)  # before the member's row: see update_member
    member = Member.objects.select_for_update().select_related("cell").get(pk=member.pk)
    check_version(member, version)
    require(actor, capability, member.cell)
    if org is not None:
        require(actor, capability, org)
    if event not in lifecycle.NEEDS_ORG:
        org = None
    before = snapshot(member)
    seq = (member.events.aggregate(n=Max("seq"))["n"] or 0) + 1
    new = MemberEvent(member=member, seq=seq, event=event, effective_on=effective_on, org=org,
                      decision_no=decision_no, note=note)
    stored = events_of(member)
    timeline = _replay(member, [*stored, new])
    guard_findings(member, before=findings.facts_of(member, stored),
                   after=findings.facts_of(member, [*stored, new]), exception=exception,
                   actor=actor)
    new.save()
    apply_timeline(member, timeline)
    record_change(f"member.{event}", actor=actor, obj=member, before=before,
                  after={**snapshot(member), "effective_on": effective_on,
                         "decision_no": decision_no})
    return new


@transaction.atomic
def void_event(event: MemberEvent, *, actor, reason: str,
               capability: str = Capability.MANAGE_MEMBERS) -> Member:
    """Remove a recorded lifecycle event as if it had never happened, and replay the member's
    whole history without it: a decision found wrongful (an expulsion annulled on appeal,
    BUNDLE-v2.md) is void from the start, so the periods, the flow facts and the statistics of
    past days change, and party age runs on as if the gap never was (RULES.md §1). The event's
    recording and its voiding both stay in the audit trail (`member.void`, with the event and
    `reason`). Refused (nothing written) when the history no longer replays without it (a
    later event that needed it, such as a readmission after the expulsion). `capability`: as
    for `record_event`."""
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Cần lý do hủy bỏ sự kiện."), field="reason")
    lock_placements(exclusive=False)  # before the member's row: see update_member
    member = Member.objects.select_for_update().select_related("cell").get(
        pk=event.member_id)
    require(actor, capability, member.cell)
    event = MemberEvent.objects.select_related("org").filter(pk=event.pk, member=member).first()
    if event is None:
        raise RuleViolation(_("Sự kiện không còn trong hồ sơ đảng viên."), field="event")
    before = snapshot(member)
    stored = events_of(member)
    remaining = [other for other in stored if other.pk != event.pk]
    timeline = _replay(member, remaining)
    guard_findings(member, before=findings.facts_of(member, stored),
                   after=findings.facts_of(member, remaining), exception=None, actor=actor)
    voided = {"event": event.event, "effective_on": event.effective_on,
              "org": event.org.code if event.org_id else None,
              "decision_no": event.decision_no, "seq": event.seq}
    event.delete()
    apply_timeline(member, timeline)
    record_change("member.void", actor=actor, obj=member, before={**before, **voided},
                  after={**snapshot(member), "voided": voided, "reason": reason})
    return member


# Posts ----------------------------------------------------------------------------------------

def require_secretary_free(org_name: str, start: date, end: date | None, holders) -> None:
    """One secretary at a time: refuse [start, end] when one of the organization's other
    secretary posts, given as `holders` (start_on, end_on, holder's name), overlaps it.

    Pure, so that the bundle import checks its rows against the same rule."""
    for other_start, other_end, name in holders:
        if other_start <= (end or date.max) and start <= (other_end or date.max):
            raise RuleViolation(
                _("%(org)s đã có bí thư %(name)s từ %(start)s; một tổ chức chỉ có một bí thư "
                  "tại một thời điểm.") % {"org": org_name, "name": name,
                                           "start": _d(other_start)},
                code="secretary_taken", field="start_on")


def _require_secretary_free(org: Organization, start: date, end: date | None, exclude=None):
    holders = Position.objects.filter(org=org, role=PostRole.SECRETARY)
    if exclude is not None:
        holders = holders.exclude(pk=exclude.pk)
    require_secretary_free(org.name, start, end, (
        (other.start_on, other.end_on, other.member.full_name)
        for other in holders.select_related("member")))


def post_place(role: str, *, org, village, start_on: date, end_on: date | None,
               org_exists_on, village_exists_on=None) -> tuple:
    """The checks of a post that need no query of their own: the place its role names (an
    organization for party posts and commune officials, a village for village posts; the other
    is dropped), that place existing on `start_on`, and the dates in order. Returns (org,
    village). `org_exists_on(org, day)` answers from the database or from a loaded tree;
    `village_exists_on`, when given, checks the village too (the bundle import does)."""
    if role in PARTY_POSTS or role == PostRole.COMMUNE_OFFICIAL:
        if org is None:
            raise RuleViolation(_("Cần chọn tổ chức của chức vụ."), field="org")
        if not org_exists_on(org, start_on):
            raise RuleViolation(_("%(org)s không tồn tại vào ngày %(day)s.")
                                % {"org": org.name, "day": _d(start_on)}, field="start_on")
        village = None
    elif role in VILLAGE_POSTS:
        if village is None:
            raise RuleViolation(_("Cần chọn thôn, tổ dân phố."), field="village")
        if village_exists_on is not None and not village_exists_on(village, start_on):
            raise RuleViolation(_("%(org)s không tồn tại vào ngày %(day)s.")
                                % {"org": village.name, "day": _d(start_on)}, field="start_on")
        org = None
    else:
        raise RuleViolation(_("Chức vụ không hợp lệ."), field="role")
    if end_on is not None and end_on < start_on:
        raise RuleViolation(_("Ngày thôi giữ chức vụ trước ngày bắt đầu."), field="end_on")
    return org, village


@transaction.atomic
def assign_post(member: Member, *, actor, role: str, start_on: date, org=None, village=None,
                end_on: date | None = None) -> Position:
    require(actor, Capability.MANAGE_MEMBERS, member.cell)
    org, village = post_place(
        role, org=org, village=village, start_on=start_on, end_on=end_on,
        org_exists_on=lambda o, day: OrgPeriod.objects.as_of(day).filter(organization=o).exists())
    if role == PostRole.SECRETARY:
        _require_secretary_free(org, start_on, end_on)
    position = Position.objects.create(member=member, role=role, org=org, village=village,
                                       start_on=start_on, end_on=end_on)
    record_change("member.post", actor=actor, obj=member, after={
        "role": role, "org": org.code if org else None,
        "village": village.code if village else None, "start_on": start_on, "end_on": end_on})
    return position


@transaction.atomic
def end_post(position: Position, *, actor, end_on: date, version: Expected = None,
             capability: str = Capability.MANAGE_MEMBERS) -> Position:
    """End a post on `end_on` (included). `capability`: as for `record_event` (a dismissal
    ends the party posts under `inspection.manage`)."""
    require(actor, capability, position.member.cell)
    position = Position.objects.select_for_update().select_related("member").get(pk=position.pk)
    check_version(position, version)
    if end_on < position.start_on:
        raise RuleViolation(_("Ngày thôi giữ chức vụ trước ngày bắt đầu."), field="end_on")
    before = {"role": position.role, "end_on": position.end_on}
    position.end_on = end_on
    position.save(update_fields=["end_on"])
    record_change("member.post_end", actor=actor, obj=position.member, before=before,
                  after={"role": position.role, "end_on": end_on})
    return position


@transaction.atomic
def restore_post(position: Position, *, actor, end_on: date | None, reason: str,
                 capability: str = Capability.MANAGE_MEMBERS) -> Position:
    """Give back a post that a decision found wrongful had ended (a dismissal annulled on
    appeal): the same post runs on from its own start day to `end_on` (empty: still held), as
    if it had never been ended, so that the statistics of the days between count its holder
    again. Refused, nothing written, when the post is not ended, when `end_on` does not reach
    past its present end, or when it would overlap another secretary of the organization. Both
    steps stay in the audit trail (`member.post_end`, then `member.post_restore` with
    `reason`). `capability`: as for `record_event` (an appeal's decision gives the posts back
    under `inspection.manage`)."""
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Cần lý do khôi phục chức vụ."), field="reason")
    position = Position.objects.select_for_update(of=("self",)).select_related(
        "member__cell", "org").get(pk=position.pk)
    require(actor, capability, position.member.cell)
    if position.end_on is None:
        raise RuleViolation(_("Chức vụ %(role)s vẫn đang giữ, không có gì để khôi phục.") % {
            "role": position.get_role_display()}, field="end_on")
    if end_on is not None and end_on <= position.end_on:
        raise RuleViolation(_("Ngày thôi giữ chức vụ khi khôi phục (%(day)s) phải sau ngày "
                              "%(ended)s.") % {"day": _d(end_on), "ended": _d(position.end_on)},
                            field="end_on")
    if position.role == PostRole.SECRETARY:
        _require_secretary_free(position.org, position.start_on, end_on, exclude=position)
    before = {"role": position.role, "start_on": position.start_on, "end_on": position.end_on}
    position.end_on = end_on
    position.save(update_fields=["end_on"])
    record_change("member.post_restore", actor=actor, obj=position.member, before=before,
                  after={**before, "end_on": end_on, "reason": reason})
    return position


def record_file_read(member: Member, *, reader, channel: str) -> FileRead | None:
    """Log that `reader` read `member`'s full file (the page or the API's record). A member
    reading their own file is not logged: the law asks who else processed their data."""
    if member.user_id is not None and member.user_id == getattr(reader, "pk", None):
        return None
    return FileRead.objects.create(
        member=member, reader_id=getattr(reader, "pk", None),
        reader_name=getattr(reader, "username", str(reader)), at=timezone.now(),
        channel=channel, org_path=member.cell.path)
