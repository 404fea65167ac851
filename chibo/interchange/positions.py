"""positions.csv: the post checks of chibo.members.services (`post_place` for the place and
dates, `require_secretary_free` for one secretary at a time) run on each row against the loaded
tree and the posts known so far, then one bulk write."""

from collections import defaultdict

from chibo.core.exceptions import RuleViolation
from chibo.interchange.bulk import insert_rows
from chibo.interchange.membership import MemberRef
from chibo.interchange.progress import Progress
from chibo.interchange.report import Report, Row
from chibo.interchange.schema import POSITIONS
from chibo.interchange.tree import CHUNK, LoadedTree, RowError, by_code, missing
from chibo.members.choices import PostRole
from chibo.members.models import Member, Position
from chibo.members.services import post_place, require_secretary_free
from chibo.organizations.models import Village

POST_COLUMNS = {"org": "org_code", "village": "village_code"}


class PositionImport:
    def __init__(self, tables: dict, report: Report, tree: LoadedTree, *,
                 members: dict[str, MemberRef], bundle_rows: dict[str, dict[str, Row]],
                 progress: Progress | None = None):
        """`members`: the members the bundle adds or extends, by code; `bundle_rows`: the
        bundle's rows by code per file (for the message about a reference to a refused row)."""
        self.report, self.tree, self.bundle_rows = report, tree, bundle_rows
        self.progress = progress or Progress()
        self.rows = [row for row in tables[POSITIONS.name].rows if row.ok] \
            if POSITIONS.name in tables else []
        self.members = dict(members)
        self.members.update(self._stored_members(bundle_rows["members.csv"]))
        self.villages = by_code(Village, (row["village_code"] for row in self.rows
                                          if row["village_code"]))
        self.positions: list[Position] = []

    def _stored_members(self, bundle_members: dict[str, Row]) -> dict[str, MemberRef]:
        """Members already in the database that the posts name. A code of the bundle's own
        members.csv is never looked up there: if the bundle refused that member, the post's
        reference is to the refused row."""
        codes = sorted({row["member_code"] for row in self.rows} - set(self.members)
                       - set(bundle_members))
        found = {}
        for start in range(0, len(codes), CHUNK):
            found.update({code: MemberRef(pk, name) for code, pk, name in Member.objects.filter(
                member_code__in=codes[start:start + CHUNK]).values_list(
                "member_code", "pk", "full_name")})
        return found

    def check(self) -> None:
        holders = self._stored_secretaries()
        for row in self.rows:
            self.progress.advance()
            try:
                position = self._position(row)
                if position.role == PostRole.SECRETARY:
                    held = holders[position.org_id]
                    require_secretary_free(position.org.name, position.start_on,
                                           position.end_on, held)
                    held.append((position.start_on, position.end_on,
                                 self.members[row["member_code"]].full_name))
            except RowError as error:
                row.fail(self.report, error.column, error.message)
            except RuleViolation as error:
                column = POST_COLUMNS.get(error.field, error.field or "role")
                row.fail(self.report, column, " ".join(error.messages))
            else:
                self.positions.append(position)

    def _stored_secretaries(self) -> dict[int, list]:
        """(start_on, end_on, holder) of the secretary posts already stored, per organization
        that the bundle's secretary rows name."""
        org_ids = sorted({self.tree.by_code[row["org_code"]].pk for row in self.rows
                          if row["role"] == PostRole.SECRETARY
                          and row["org_code"] in self.tree.by_code})
        holders = defaultdict(list)
        for start in range(0, len(org_ids), CHUNK):
            stored = Position.objects.filter(
                role=PostRole.SECRETARY, org_id__in=org_ids[start:start + CHUNK])
            for org_id, start_on, end_on, name in stored.order_by("start_on", "id").values_list(
                    "org_id", "start_on", "end_on", "member__full_name"):
                holders[org_id].append((start_on, end_on, name))
        return holders

    def _position(self, row: Row) -> Position:
        org, village = post_place(
            row["role"], org=self._ref(row, "org_code", self.tree.by_code, "organizations.csv"),
            village=self._ref(row, "village_code", self.villages, "villages.csv"),
            start_on=row["start_on"], end_on=row["end_on"], org_exists_on=self.tree.exists_on,
            village_exists_on=lambda v, day: v.established_on is None or v.established_on <= day)
        member = self._ref(row, "member_code", self.members, "members.csv")
        return Position(member_id=member.pk, role=row["role"], org=org, village=village,
                        start_on=row["start_on"], end_on=row["end_on"])

    def _ref(self, row: Row, column: str, known: dict, file: str):
        code = row[column]
        if code is None:
            return None
        if code not in known:
            raise RowError(column, missing(code, self.bundle_rows.get(file, {})))
        return known[code]

    def write(self) -> int:
        insert_rows(Position, [{"member_id": p.member_id, "role": p.role, "org_id": p.org_id,
                                "village_id": p.village_id, "start_on": p.start_on,
                                "end_on": p.end_on} for p in self.positions])
        return len(self.positions)
