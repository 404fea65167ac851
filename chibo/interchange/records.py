"""The records core's bundle sections: the tree, the members with their events, the posts.

The steps run in this order (each section depends on the one before), and every process's
section after them:

1. The tree: organizations, villages and org_changes through the organization services, in date
   order (chibo.interchange.tree explains the order). The services are the one place of the
   tree rules; each row runs in its own savepoint, so a refused row is an error line and the
   others go on.
2. The members: the final tree is loaded once; members and events are replayed by
   chibo.members.lifecycle against it — a member's cell must exist on the day of each fact, which
   the final tree answers for every past day — and written in bulk with their periods (merges
   followed). Dissolutions are then checked again by the registered occupancy checks, now that
   the members are stored: dissolving a cell whose bundle members are still active there is an
   error on the org_changes row.
3. The posts, checked by the members app's post rules and written in bulk.

Each organization is exported as established (the name and parent of its first period) and every
later change as an org_changes row, so that an import replays the history; members as their
starting row as recorded, with their events in recorded order; rows sorted by code then date
(org_changes by date then recorded order, which matters on one day).
"""

from django.db.models import F

from chibo.interchange import exceptions
from chibo.interchange.exporter import cell_text
from chibo.interchange.membership import MemberImport
from chibo.interchange.models import ImportPhase
from chibo.interchange.positions import PositionImport
from chibo.interchange.schema import (
    MEMBER_EVENTS,
    MEMBERS,
    ORG_CHANGES,
    ORGANIZATIONS,
    POSITIONS,
    VILLAGES,
)
from chibo.interchange.sections import ImportContext, Section, register_section
from chibo.interchange.tree import LoadedTree, TreeImport, by_code
from chibo.members.models import Member, MemberEvent, Position
from chibo.organizations.choices import ChangeKind
from chibo.organizations.models import Organization, OrgPeriod, Reorganization, Village


def import_tree(context: ImportContext) -> dict[str, int]:
    tree = TreeImport(context.tables, context.report, context.actor, context.progress)
    tree.run()
    context.tree, context.org_rows, context.village_rows = tree, tree.org_rows, tree.village_rows
    return {ORGANIZATIONS.name: tree.counts.organizations, VILLAGES.name: tree.counts.villages,
            ORG_CHANGES.name: tree.counts.changes}


def import_members(context: ImportContext) -> dict[str, int]:
    context.progress.start(ImportPhase.MEMBERS)
    context.loaded = LoadedTree()
    members = MemberImport(context.tables, context.report, context.loaded, context.org_rows,
                           context.progress)
    members.check()
    context.progress.start(ImportPhase.WRITE)
    added_members, added_events = members.write()
    context.tree.recheck_dissolutions()
    context.members, context.member_rows = members.refs, members.rows
    return {MEMBERS.name: added_members, MEMBER_EVENTS.name: added_events}


def import_positions(context: ImportContext) -> dict[str, int]:
    context.progress.start(ImportPhase.POSITIONS)
    positions = PositionImport(context.tables, context.report, context.loaded,
                               members=context.members,
                               bundle_rows={ORGANIZATIONS.name: context.org_rows,
                                            VILLAGES.name: context.village_rows,
                                            MEMBERS.name: context.member_rows},
                               progress=context.progress)
    positions.check()
    return {POSITIONS.name: positions.write()}


# Which records exist (for exceptions.csv) --------------------------------------------------------
# The accepted rows of the bundle are written by the time another section asks (each step writes
# what it accepted, in the import's transaction), so the database answers for both.

def _existing_tree(context: ImportContext, name: str, codes: set[str]) -> set[str]:
    models = {ORGANIZATIONS.name: Organization, VILLAGES.name: Village}
    return set(by_code(models[name], codes)) if name in models else set()


def _existing_members(context: ImportContext, name: str, codes: set[str]) -> set[str]:
    if name != MEMBERS.name:
        return set()
    return set(by_code(Member, codes, field="member_code"))


# Export ------------------------------------------------------------------------------------------

def _organizations() -> list[dict]:
    codes = dict(Organization.objects.values_list("pk", "code"))
    villages = dict(Village.objects.values_list("pk", "code"))
    first: dict[int, tuple[str, str, int | None]] = {}
    for org_id, name, sector, parent_id in OrgPeriod.objects.order_by(
            "valid_from", "pk").values_list("organization_id", "name", "sector", "parent_id"):
        first.setdefault(org_id, (name, sector, parent_id))
    undone = _same_day_changes()
    rows = []
    for org in Organization.objects.all():
        name, sector, parent_id = first[org.pk]
        name, sector = undone.get((org.pk, ChangeKind.RENAME), (name, sector))
        parent_id = undone.get((org.pk, ChangeKind.MOVE), parent_id)
        rows.append({"code": org.code, "name": name, "kind": org.kind, "sector": sector,
                     "parent_code": codes.get(parent_id), "established_on": org.established_on,
                     "village_code": villages.get(org.village_id)})
    return sorted(rows, key=lambda row: row["code"])


def _same_day_changes() -> dict[tuple[int, str], object]:
    """The original name and sector, or parent, of organizations renamed or moved on the day
    they were established: such a change rewrote the first period in place, and its row
    recorded the old value (the first one recorded that day holds the original)."""
    found: dict[tuple[int, str], object] = {}
    same_day = Reorganization.objects.filter(
        change__in=[ChangeKind.RENAME, ChangeKind.MOVE],
        effective_on=F("organization__established_on")).order_by("pk")
    for org_id, change, old_name, old_sector, old_parent_id in same_day.values_list(
            "organization_id", "change", "old_name", "old_sector", "old_parent_id"):
        found.setdefault((org_id, change), (old_name, old_sector) if change == ChangeKind.RENAME
                         else old_parent_id)
    return found


def _villages() -> list[dict]:
    return sorted(Village.objects.values(
        "code", "name", "kind", "established_on", commune_code=F("commune__code")),
        key=lambda row: row["code"])


def _org_changes() -> list[dict]:
    return list(Reorganization.objects.order_by("effective_on", "pk").values(
        "effective_on", "change", "new_name", "new_sector", "decision_no", "note",
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


def register() -> None:
    """Called by the interchange app's ready(): the three sections every bundle starts with,
    and exceptions.csv, which comes after every section (chibo.interchange.exceptions)."""
    register_section(Section(
        key="tree", files=(ORGANIZATIONS, VILLAGES, ORG_CHANGES), run=import_tree,
        export={ORGANIZATIONS.name: _organizations, VILLAGES.name: _villages,
                ORG_CHANGES.name: _org_changes}, order=10, existing=_existing_tree))
    register_section(Section(
        key="members", files=(MEMBERS, MEMBER_EVENTS), run=import_members,
        export={MEMBERS.name: _members, MEMBER_EVENTS.name: _member_events},
        depends_on=("tree",), order=20, existing=_existing_members))
    register_section(Section(
        key="positions", files=(POSITIONS,), run=import_positions,
        export={POSITIONS.name: _positions}, depends_on=("members",), order=30))
    register_section(exceptions.SECTION)
