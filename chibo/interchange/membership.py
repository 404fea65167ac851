"""members.csv and member_events.csv: each member's facts replayed by the one implementation of
the rules (chibo.members.lifecycle) against the loaded tree, then written in bulk.

The checks of spec/BUNDLE.md: the regulation's 12- and 36-month and age rules are findings
(chibo.members.findings), not import errors; the records that break them are kept. What is
stored comes from the same pure functions as a service's (`derive` for the derived fields and
periods, `flow_values` for the facts that flow statistics count, `set_name_keys` for the name
keys). A member's events may also follow a member already in the database: the stored facts are
replayed first, the bundle's after them. No query runs per member.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.utils.translation import gettext as _

from chibo.core.exceptions import RuleViolation
from chibo.interchange.bulk import insert_rows
from chibo.interchange.progress import Progress
from chibo.interchange.report import Report, Row
from chibo.interchange.schema import MEMBER_EVENTS, MEMBERS
from chibo.interchange.tree import (
    CHUNK,
    LoadedTree,
    by_code,
    failed_row,
    first_rows,
    missing,
    unknown_code,
)
from chibo.members import lifecycle
from chibo.members.models import Member, MemberEvent, MemberFlow, MemberPeriod
from chibo.members.services import (
    derive,
    flow_values,
    period_values,
    require_birth_before_admission,
    require_national_id_format,
    set_name_keys,
)
from chibo.organizations.choices import MEMBER_HOLDING_KINDS, OrgKind
from chibo.organizations.paths import PathHistory, lock_placements

PROFILE = ("full_name", "gender", "birth_date", "ethnicity", "religion", "national_id", "phone",
           "email", "hometown", "residence", "occupation", "card_number", "general_education",
           "professional_level", "theory_level")

PROFILE_DEFAULTS = {name: Member._meta.get_field(name).get_default() for name in PROFILE}


@dataclass
class Plan:
    """One member to store: a new one (`row`, `values` to insert) or one already stored."""

    code: str
    row: Row | None  # the members.csv row; None for a member already stored
    event_rows: list[Row]
    values: dict = field(default_factory=dict)  # a new member's columns
    stored: Member | None = None
    offset: int = 0  # facts stored before the bundle's events
    next_seq: int = 1
    fields: dict = field(default_factory=dict)  # derived: status, is_exempt, cell_id, ended_on
    segments: list = field(default_factory=list)
    flows: list = field(default_factory=list)


@dataclass(frozen=True)
class MemberRef:
    """What posts need of a member: the id and the name (for the secretary message)."""

    pk: int
    full_name: str


def _chunks(values: list):
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


class MemberImport:
    def __init__(self, tables: dict, report: Report, tree: LoadedTree, org_rows: dict[str, Row],
                 progress: Progress | None = None):
        self.report, self.tree, self.org_rows = report, tree, org_rows
        self.progress = progress or Progress()
        members = tables[MEMBERS.name].rows if MEMBERS.name in tables else []
        self.event_rows = tables[MEMBER_EVENTS.name].rows if MEMBER_EVENTS.name in tables else []
        self.rows = first_rows(members, "member_code", report)
        self.rules = lifecycle.Rules(cell_exists=tree.cell_exists, org_label=tree.label)
        self.plans: list[Plan] = []
        self._names: dict[str, dict[str, str]] = {}
        self.refs: dict[str, MemberRef] = {}  # after `write`: the members added or extended
        # Where each organization stood over time: the tree is written before the members.
        lock_placements(exclusive=False)
        self.paths = PathHistory.load()

    # checks -----------------------------------------------------------------------------------
    def check(self) -> None:
        self._refuse_stored_codes()
        self._check_national_ids(list(self.rows.values()))
        events = defaultdict(list)
        for row in self.event_rows:
            if row["member_code"] is not None:
                events[row["member_code"]].append(row)
        for code, row in self.rows.items():
            member_events = events.pop(code, [])
            self._plan_new(row, member_events)
            self.progress.advance(1 + len(member_events))
        self._plan_stored(events)

    def _refuse_stored_codes(self) -> None:
        for chunk in _chunks(list(self.rows)):
            for code in Member.objects.filter(member_code__in=chunk).values_list(
                    "member_code", flat=True):
                self.rows[code].fail(self.report, "member_code",
                                     _("Mã đảng viên %(code)s đã có.") % {"code": code})

    def _check_national_ids(self, rows: list[Row]) -> None:
        """12 digits (the members app's check), once in the bundle and once in the database."""
        seen: dict[str, Row] = {}
        for row in rows:
            national_id = row["national_id"]
            if not national_id:
                continue
            try:
                require_national_id_format(national_id)
            except RuleViolation as error:
                row.fail(self.report, "national_id", " ".join(error.messages))
                continue
            if national_id in seen:
                row.fail(self.report, "national_id", _(
                    "số định danh %(id)s trùng với dòng %(row)s")
                    % {"id": national_id, "row": seen[national_id].number})
            else:
                seen[national_id] = row
        for chunk in _chunks(sorted(seen)):
            for other in Member.objects.filter(national_id__in=chunk):
                seen[other.national_id].fail(self.report, "national_id", _(
                    "Số định danh %(id)s đã có trong hồ sơ %(code)s (%(name)s).") % {
                    "id": other.national_id, "code": other.member_code, "name": other.full_name})

    def cell(self, row: Row, column: str) -> int | None:
        """The id of the cell a row names; a committee is refused (members belong to cells)."""
        code = row[column]
        if code is None:
            return None
        org = self.tree.by_code.get(code)
        if org is None:
            row.fail(self.report, column, missing(code, self.org_rows))
            return None
        if org.kind not in MEMBER_HOLDING_KINDS:
            row.fail(self.report, column, _(
                "đảng viên gắn với một cấp ủy (%(code)s: %(kind)s) thay vì một chi bộ")
                % {"code": code, "kind": OrgKind(org.kind).label})
            return None
        return org.pk

    def _event(self, row: Row) -> lifecycle.Event:
        org_id = None
        if row["event"] in lifecycle.NEEDS_ORG:
            org_id = self.cell(row, "org_code")
        elif row["org_code"] is not None:
            row.fail(self.report, "org_code", _("chỉ ghi chi bộ cho sự kiện transfer và readmit"))
        return lifecycle.Event(row["event"], row["effective_on"], org_id)

    def _plan_new(self, row: Row, event_rows: list[Row]) -> None:
        org_id = self.cell(row, "org_code") if row.ok else None
        facts = [self._event(event_row) for event_row in event_rows]
        self._check_birth(row)
        if not row.ok:
            for event_row in event_rows:
                event_row.fail(self.report, "member_code", failed_row(row["member_code"], row))
            return
        values = {name: self._profile_value(row, name) for name in PROFILE}
        values.update(self._name_keys(values["full_name"]), member_code=row["member_code"],
                      joined_org_id=org_id, admitted_on=row["admitted_on"],
                      official_on=row["official_on"], org_since=row["org_since"])
        start = lifecycle.Start(row["admitted_on"], org_id, row["official_on"], row["org_since"])
        self._replay(Plan(row["member_code"], row, event_rows, values), start, facts)

    def _check_birth(self, row: Row) -> None:
        """Born before the admission (the members app's check, as for a page)."""
        if row.ok:
            try:
                require_birth_before_admission(row["birth_date"], row["admitted_on"])
            except RuleViolation as error:
                row.fail(self.report, "birth_date", " ".join(error.messages))

    def _name_keys(self, full_name: str) -> dict[str, str]:
        """The normalized name and its search and sort keys (set_name_keys), once per name:
        a province has many namesakes, and the sort key costs more than anything else here."""
        keys = self._names.get(full_name)
        if keys is None:
            names = SimpleNamespace(full_name=full_name)
            set_name_keys(names)
            keys = self._names[full_name] = vars(names)
        return keys

    @staticmethod
    def _profile_value(row: Row, name: str):
        """The cell's value, or the model's default for an empty cell (ethnicity: Kinh)."""
        value = row[name]
        return PROFILE_DEFAULTS[name] if value is None else value

    def _plan_stored(self, events: dict[str, list[Row]]) -> None:
        """Events of members already in the database: replayed after their stored facts."""
        codes = sorted(events)
        stored = by_code(Member, codes, field="member_code")
        stored_facts = defaultdict(list)
        for chunk in _chunks([member.pk for member in stored.values()]):
            for member_id, kind, day, org_id, seq in MemberEvent.objects.filter(
                    member_id__in=chunk).order_by("member_id", "seq").values_list(
                    "member_id", "event", "effective_on", "org_id", "seq"):
                stored_facts[member_id].append((lifecycle.Event(kind, day, org_id), seq))
        for code in codes:
            event_rows, member = events[code], stored.get(code)
            if member is None:
                for row in event_rows:
                    row.fail(self.report, "member_code", unknown_code(code))
                continue
            facts = stored_facts[member.pk]
            start = lifecycle.Start(member.admitted_on, member.joined_org_id, member.official_on,
                                    member.org_since)
            plan = Plan(code, None, event_rows, stored=member, offset=len(facts),
                        next_seq=max((seq for _, seq in facts), default=0) + 1)
            new = [self._event(row) for row in event_rows]
            self._replay(plan, start, [fact for fact, _ in facts] + new)

    def _replay(self, plan: Plan, start: lifecycle.Start, facts: list[lifecycle.Event]) -> None:
        rows = [plan.row] if plan.row else []
        if not all(row.ok for row in rows + plan.event_rows):
            return  # a bad cell already reported; a replay of the rest would mislead
        try:
            timeline = lifecycle.replay(start, facts, self.rules)
        except lifecycle.LifecycleError as error:
            self._refuse(plan, error)
            return
        plan.fields, plan.segments = derive(timeline, self.tree.merges)
        plan.flows = flow_values(timeline, self.tree.merges, plan.stored or plan.values,
                                 self.paths)
        self.plans.append(plan)

    def _refuse(self, plan: Plan, error: lifecycle.LifecycleError) -> None:
        """Put the replay's error on its row: the members.csv row (index None) or the event."""
        if error.index is not None and error.index >= plan.offset:
            plan.event_rows[error.index - plan.offset].fail(self.report, error.field,
                                                            error.message)
        elif plan.row is not None:
            plan.row.fail(self.report, error.field, error.message)
        else:  # a stored fact that the bundle's tree no longer allows
            plan.event_rows[0].fail(self.report, "member_code", error.message)

    # writing --------------------------------------------------------------------------------
    def write(self) -> tuple[int, int]:
        """Store the planned members, their events, periods and flow facts; (members, events)
        added."""
        new = [plan for plan in self.plans if plan.row is not None]
        insert_rows(Member, (plan.values | plan.fields for plan in new))
        ids = self._new_ids([plan.code for plan in new])
        stored = [plan.stored for plan in self.plans if plan.stored is not None]
        for plan in self.plans:
            if plan.stored is not None:
                for name, value in plan.fields.items():
                    setattr(plan.stored, name, value)
                ids[plan.code] = plan.stored.pk
        if stored:
            Member.objects.bulk_update(stored, list(self.plans[0].fields), batch_size=1000)
        for chunk in _chunks([member.pk for member in stored]):
            MemberPeriod.objects.filter(member_id__in=chunk).delete()
            MemberFlow.objects.filter(member_id__in=chunk).delete()
        # generators: each table's rows made as they are written, not all held at once
        events = insert_rows(MemberEvent, (
            {"member_id": ids[plan.code], "seq": plan.next_seq + position, "event": row["event"],
             "effective_on": row["effective_on"], "org_id": self._event_org(row),
             "decision_no": row["decision_no"] or "", "note": row["note"] or ""}
            for plan in self.plans for position, row in enumerate(plan.event_rows)))
        insert_rows(MemberPeriod, ({"member_id": ids[plan.code], **values}
                                   for plan in self.plans
                                   for values in period_values(plan.segments,
                                                               plan.stored or plan.values,
                                                               self.paths)))
        insert_rows(MemberFlow, ({"member_id": ids[plan.code], **values}
                                 for plan in self.plans for values in plan.flows))
        self.refs = {plan.code: MemberRef(ids[plan.code], plan.stored.full_name if plan.stored
                                          else plan.values["full_name"]) for plan in self.plans}
        return len(new), events

    @staticmethod
    def _new_ids(codes: list[str]) -> dict[str, int]:
        ids: dict[str, int] = {}
        for chunk in _chunks(codes):
            ids.update(Member.objects.filter(member_code__in=chunk).values_list(
                "member_code", "pk"))
        return ids

    def _event_org(self, row: Row) -> int | None:
        if row["event"] not in lifecycle.NEEDS_ORG or row["org_code"] is None:
            return None
        return self.tree.by_code[row["org_code"]].pk
