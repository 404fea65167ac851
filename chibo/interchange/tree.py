"""A bundle's organizations, villages and reorganizations, applied through the organization
services, and the resulting tree loaded once for the member and post checks.

Order. The services build dated periods and refuse a change dated before a later recorded change
of the same subtree, so the bundle's tree rows are replayed as history happened: one sweep in
date order over organizations (by `established_on`) and org_changes (by `effective_on`); on one
day, creations before changes, a parent before its children, and changes in file order. A
village is created right after its commune (villages of communes already in the database come
first), so that the cells created later can point at it. An organization established after some
changes of its ancestors is therefore placed where its parent stands on that day.

Members come after the whole tree (see chibo.interchange.importer): a member's cell must exist on
the day of each fact, which the final tree answers for every day because periods keep the past.
The services' dissolution check sees no bundle member at that point, so `recheck_dissolutions`
runs the same registered occupancy checks again once the members are written, and an error lands
on the org_changes row of the dissolution.

Each row is one service call, which runs in its own savepoint: a refused row (RuleViolation)
writes nothing, becomes an error line and the sweep goes on; rows that name a refused row get
their own error.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial

from django.utils.translation import gettext as _

from chibo.core.exceptions import RuleViolation
from chibo.interchange.progress import Progress
from chibo.interchange.report import Report, Row
from chibo.interchange.schema import ORG_CHANGES, ORGANIZATIONS, VILLAGES
from chibo.organizations import services as org_services
from chibo.organizations.choices import MEMBER_HOLDING_KINDS, ChangeKind
from chibo.organizations.models import Organization, OrgPeriod, Village

# The services' `field` of a RuleViolation -> the column it is about, per file.
ORG_COLUMNS = {"parent": "parent_code", "village": "village_code"}
VILLAGE_COLUMNS = {"commune": "commune_code"}
CHANGE_COLUMNS = {"new_parent": "new_parent_code", "into": "into_code", "org": "org_code"}
CHUNK = 500  # codes per IN (…) query


class RowError(Exception):
    """A row that cannot be applied (its reference does not resolve); already worded."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


def unknown_code(code: str) -> str:
    return _("không tìm thấy mã %(code)s (trong gói và trong cơ sở dữ liệu)") % {"code": code}


def failed_row(code: str, row: Row) -> str:
    return _("%(code)s không dùng được: dòng %(row)s của %(file)s (hoặc dữ liệu đi kèm) có lỗi"
             ) % {"code": code, "row": row.number, "file": row.file}


def missing(code: str, rows: dict[str, Row]) -> str:
    """Why a code names nothing usable: its row in the bundle was refused, or it is unknown."""
    return failed_row(code, rows[code]) if code in rows else unknown_code(code)


def first_rows(rows: Iterable[Row], key: str, report: Report) -> dict[str, Row]:
    """Rows by their code; a code given again is an error on the later row."""
    found: dict[str, Row] = {}
    for row in rows:
        code = row[key]
        if code is None:
            continue
        if code in found:
            row.fail(report, key, _("mã %(code)s trùng với dòng %(row)s") % {
                "code": code, "row": found[code].number})
        else:
            found[code] = row
    return found


def by_code(model, codes: Iterable[str], field: str = "code") -> dict:
    """Rows of `model` already in the database for these codes, in chunked queries."""
    codes = sorted(set(codes) - {None})
    found = {}
    for start in range(0, len(codes), CHUNK):
        chunk = model.objects.filter(**{f"{field}__in": codes[start:start + CHUNK]})
        found.update({getattr(obj, field): obj for obj in chunk})
    return found


def attempt(row: Row, report: Report, columns: dict[str, str], key: str,
            action: Callable[[], object]) -> object | None:
    """Run `action` (one service call); a refusal becomes an error line on `row`.

    No savepoint of its own: each service runs in its own (`transaction.atomic` inside the
    import's transaction), which a refusal rolls back, and a RowError is raised before the
    service is called."""
    try:
        return action()
    except RowError as error:
        row.fail(report, error.column, error.message)
    except RuleViolation as error:
        column = columns.get(error.field, error.field) if error.field else key
        row.fail(report, column, " ".join(error.messages))
    return None


@dataclass
class TreeCounts:
    organizations: int = 0
    villages: int = 0
    changes: int = 0


class TreeImport:
    """Applies organizations.csv, villages.csv and org_changes.csv (see the module's order)."""

    def __init__(self, tables: dict, report: Report, actor, progress: Progress | None = None):
        self.report, self.actor = report, actor
        self.progress = progress or Progress()
        rows = {name: tables[name].rows if name in tables else [] for name in
                (ORGANIZATIONS.name, VILLAGES.name, ORG_CHANGES.name)}
        self.org_rows = first_rows(rows[ORGANIZATIONS.name], "code", report)
        self.village_rows = first_rows(rows[VILLAGES.name], "code", report)
        self.change_rows = [row for row in rows[ORG_CHANGES.name] if row.ok]
        self.created: dict[str, Organization] = {}
        self.villages: dict[str, Village] = {}
        self.dissolutions: list[tuple[Row, Organization]] = []
        self.counts = TreeCounts()
        self.db_orgs = by_code(Organization, self._referenced_org_codes(rows))
        self.db_villages = by_code(Village, (r["village_code"] for r in rows[ORGANIZATIONS.name]
                                             if r["village_code"]))
        self._refuse_stored_codes(Organization, self.org_rows)
        self._refuse_stored_codes(Village, self.village_rows)
        self._depths: dict[str, int] = {}

    def _refuse_stored_codes(self, model, rows: dict[str, Row]) -> None:
        """A code already in the database is the error of a re-imported row (the services would
        say so too, but only after the row's references, which then point at refused rows)."""
        for code in by_code(model, rows):
            rows[code].fail(self.report, "code", _("Mã %(code)s đã được dùng.") % {"code": code})

    @staticmethod
    def _referenced_org_codes(rows) -> set[str]:
        keys = ("parent_code", "commune_code", "org_code", "new_parent_code", "into_code")
        return {row[key] for table in rows.values() for row in table for key in keys
                if row[key]}

    # references -----------------------------------------------------------------------------
    def org(self, row: Row, column: str, day: date) -> Organization | None:
        """The organization a cell names, as it stands when `row` is applied on `day`."""
        code = row[column]
        if code is None:
            return None
        if code in self.created:
            return self.created[code]
        source = self.org_rows.get(code)
        if source is not None:
            if not source.ok:
                raise RowError(column, failed_row(code, source))
            raise RowError(column, _("%(code)s chỉ thành lập từ ngày %(on)s, sau ngày %(day)s")
                           % {"code": code, "on": source["established_on"].isoformat(),
                              "day": day.isoformat()})
        if code in self.db_orgs:
            return self.db_orgs[code]
        raise RowError(column, unknown_code(code))

    def village(self, row: Row, column: str) -> Village | None:
        code = row[column]
        if code is None:
            return None
        if code in self.villages:
            return self.villages[code]
        source = self.village_rows.get(code)
        if source is not None:
            if not source.ok:
                raise RowError(column, failed_row(code, source))
            raise RowError(column, _("thôn %(code)s chưa có: đảng bộ xã %(commune)s của nó thành "
                                     "lập sau chi bộ này") % {"code": code,
                                                              "commune": source["commune_code"]})
        if code in self.db_villages:
            return self.db_villages[code]
        raise RowError(column, unknown_code(code))

    # the sweep ------------------------------------------------------------------------------
    def run(self) -> None:
        pending = defaultdict(list)  # commune code -> its village rows
        for row in self.village_rows.values():
            if row.ok:
                pending[row["commune_code"]].append(row)
        for code in list(pending):
            if code not in self.org_rows:  # a commune already in the database (or unknown)
                self._create_villages(pending.pop(code))
        for step in self._steps():
            step(pending)
        for rows in pending.values():  # communes that were refused
            self._create_villages(rows)

    def _steps(self) -> list[Callable]:
        keyed = [((row["established_on"], 0, self._depth(code), row.number),
                  partial(self._create_org, row))
                 for code, row in self.org_rows.items() if row.ok]
        keyed += [((row["effective_on"], 1, 0, row.number), partial(self._change, row))
                  for row in self.change_rows]
        return [step for _, step in sorted(keyed, key=lambda pair: pair[0])]

    def _depth(self, code: str) -> int:
        """How many of its ancestors the bundle itself creates (parents before children)."""
        if code not in self._depths:
            self._depths[code] = 0  # a cycle of parent codes stops here
            parent = self.org_rows[code]["parent_code"]
            if parent in self.org_rows:
                self._depths[code] = 1 + self._depth(parent)
        return self._depths[code]

    def _create_org(self, row: Row, pending: dict) -> None:
        self.progress.advance()
        def create():
            day = row["established_on"]
            return org_services.create_organization(org_services.NewOrganization(
                code=row["code"], name=row["name"], kind=row["kind"], established_on=day,
                parent=self.org(row, "parent_code", day), sector=row["sector"] or "",
                village=self.village(row, "village_code"),
            ), actor=self.actor)

        org = attempt(row, self.report, ORG_COLUMNS, "code", create)
        if org is not None:
            self.created[org.code] = org
            self.counts.organizations += 1
        self._create_villages(pending.pop(row["code"], []))

    def _create_villages(self, rows: list[Row]) -> None:
        self.progress.advance(len(rows))
        for row in rows:
            def create(row=row):
                return org_services.create_village(
                    actor=self.actor, code=row["code"], name=row["name"], kind=row["kind"],
                    commune=self.org(row, "commune_code", date.max),
                    established_on=row["established_on"])

            village = attempt(row, self.report, VILLAGE_COLUMNS, "code", create)
            if village is not None:
                self.villages[village.code] = village
                self.counts.villages += 1

    def _change(self, row: Row, pending: dict) -> None:
        self.progress.advance()
        def change():
            day = row["effective_on"]
            return org_services.reorganize(
                self.org(row, "org_code", day), actor=self.actor, change=row["change"],
                effective_on=day, new_parent=self.org(row, "new_parent_code", day),
                new_name=row["new_name"] or "", new_sector=row["new_sector"] or None,
                into=self.org(row, "into_code", day),
                decision_no=row["decision_no"] or "", note=row["note"] or "")

        done = attempt(row, self.report, CHANGE_COLUMNS, "org_code", change)
        if done is not None:
            self.counts.changes += 1
            if row["change"] == ChangeKind.DISSOLVE:
                self.dissolutions.append((row, done.organization))

    def recheck_dissolutions(self) -> None:
        """The registered occupancy checks again, now that the bundle's members are stored."""
        for row, org in self.dissolutions:
            for check in org_services.OCCUPANCY_CHECKS:
                if message := check(org, row["effective_on"]):
                    row.fail(self.report, "effective_on", message)


class LoadedTree:
    """The whole tree after the bundle's rows, read in two queries, for the checks that run per
    member, event and post without a query each: does this organization exist on that day, is
    it a cell then (as chibo.members.services.cell_exists asks the database), what merged into
    what (for the periods that follow merges)."""

    def __init__(self):
        orgs = list(Organization.objects.all())
        self.by_code = {org.code: org for org in orgs}
        self.by_id = {org.pk: org for org in orgs}
        self.spans: dict[int, list[tuple[date, date]]] = defaultdict(list)
        for org_id, start, end in OrgPeriod.objects.values_list(
                "organization_id", "valid_from", "valid_to"):
            self.spans[org_id].append((start, end))
        self.merges = {org.pk: (org.ended_on, org.merged_into_id) for org in orgs
                       if org.merged_into_id is not None}

    def exists_on(self, org: Organization, day: date) -> bool:
        return any(start <= day < end for start, end in self.spans[org.pk])

    def cell_exists(self, org_id: int, day: date) -> bool:
        org = self.by_id[org_id]
        return org.kind in MEMBER_HOLDING_KINDS and self.exists_on(org, day)

    def label(self, org_id: int) -> str:
        org = self.by_id[org_id]
        return f"{org.name} ({org.code})"
