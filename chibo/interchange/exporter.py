"""`export_bundle`: everything in the database as a bundle that imports back to the same records.

Each organization is written as established (the name and parent of its first period) and every
later change as an org_changes row, so that an import replays the history; members as their
starting row as recorded, with their events in recorded order. Every column of spec/BUNDLE.md
is written (empty when there is no value); dates are YYYY-MM-DD, booleans true/false; rows are
sorted by code then date (org_changes by date then recorded order, which matters on one day), so
export → import into an empty database → export gives identical files.
"""

from datetime import date, time
from pathlib import Path

from django.db.models import F

from chibo.interchange.schema import (
    FILES,
    MEMBER_EVENTS,
    MEMBERS,
    ORG_CHANGES,
    ORGANIZATIONS,
    POSITIONS,
    VILLAGES,
    FileSpec,
)
from chibo.interchange.writers import write_bundle
from chibo.meetings import bundle as meeting_bundle
from chibo.members.models import Member, MemberEvent, Position
from chibo.organizations.choices import ChangeKind
from chibo.organizations.models import Organization, OrgPeriod, Reorganization, Village


def export_bundle(path: Path) -> dict[str, int]:
    """Write the bundle at `path` (.zip, .xlsx, else a directory); rows written per file."""
    tables = {spec.name: [spec.keys, *_text_rows(spec, READERS[spec.name]())] for spec in FILES}
    write_bundle(Path(path), tables)
    return {name: len(rows) - 1 for name, rows in tables.items()}


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def _text_rows(spec: FileSpec, records: list[dict]) -> list[list[str]]:
    return [[cell_text(record.get(key)) for key in spec.keys] for record in records]


def _organizations() -> list[dict]:
    codes = dict(Organization.objects.values_list("pk", "code"))
    villages = dict(Village.objects.values_list("pk", "code"))
    first: dict[int, tuple[str, int | None]] = {}
    for org_id, name, parent_id in OrgPeriod.objects.order_by("valid_from", "pk").values_list(
            "organization_id", "name", "parent_id"):
        first.setdefault(org_id, (name, parent_id))
    undone = _same_day_changes()
    rows = []
    for org in Organization.objects.all():
        name, parent_id = first[org.pk]
        name = undone.get((org.pk, ChangeKind.RENAME), name)
        parent_id = undone.get((org.pk, ChangeKind.MOVE), parent_id)
        rows.append({"code": org.code, "name": name, "kind": org.kind, "sector": org.sector,
                     "parent_code": codes.get(parent_id), "established_on": org.established_on,
                     "village_code": villages.get(org.village_id)})
    return sorted(rows, key=lambda row: row["code"])


def _same_day_changes() -> dict[tuple[int, str], object]:
    """The original name or parent of organizations renamed or moved on the day they were
    established: such a change rewrote the first period in place, and its row recorded the old
    value (the first one recorded that day holds the original)."""
    found: dict[tuple[int, str], object] = {}
    same_day = Reorganization.objects.filter(
        change__in=[ChangeKind.RENAME, ChangeKind.MOVE],
        effective_on=F("organization__established_on")).order_by("pk")
    for org_id, change, old_name, old_parent_id in same_day.values_list(
            "organization_id", "change", "old_name", "old_parent_id"):
        found.setdefault((org_id, change), old_name if change == ChangeKind.RENAME
                         else old_parent_id)
    return found


def _villages() -> list[dict]:
    return sorted(Village.objects.values(
        "code", "name", "kind", "established_on", commune_code=F("commune__code")),
        key=lambda row: row["code"])


def _org_changes() -> list[dict]:
    return list(Reorganization.objects.order_by("effective_on", "pk").values(
        "effective_on", "change", "new_name", "decision_no", "note",
        org_code=F("organization__code"), new_parent_code=F("new_parent__code"),
        into_code=F("into__code")))


def _members() -> list[dict]:
    columns = [key for key in MEMBERS.keys if key != "org_code"]
    return sorted(Member.objects.values(*columns, org_code=F("joined_org__code")),
                  key=lambda row: row["member_code"])


def _member_events() -> list[dict]:
    rows = MemberEvent.objects.values("seq", "event", "effective_on", "decision_no", "note",
                                      member_code=F("member__member_code"),
                                      org_code=F("org__code"))
    return sorted(rows, key=lambda row: (row["member_code"], row["seq"]))


def _positions() -> list[dict]:
    rows = Position.objects.values("role", "start_on", "end_on",
                                   member_code=F("member__member_code"),
                                   org_code=F("org__code"), village_code=F("village__code"))
    return sorted(rows, key=lambda row: tuple(cell_text(row[key]) for key in (
        "member_code", "start_on", "role", "org_code", "village_code", "end_on")))


READERS = {
    ORGANIZATIONS.name: _organizations, VILLAGES.name: _villages,
    ORG_CHANGES.name: _org_changes, MEMBERS.name: _members,
    MEMBER_EVENTS.name: _member_events, POSITIONS.name: _positions,
    **meeting_bundle.READERS,
}
