"""exceptions.csv: the exceptions recorded to record findings (spec BUNDLE-v2.md), a section of
version 2 registered by this package and applied after every other section.

A row names a finding key, the record it concerns (its file and its code, or its key columns
joined by `|`) and the decision that allowed it. Checks: the key is a registered finding rule
(chibo.findings.rules) judging records of that file; the record exists, as the section of that
file answers (`Section.existing`: an accepted row of the bundle or a record in the database);
a decision number and day (the same checks as the page's, chibo.findings.services); one
exception per finding and record, in the bundle and in the database. Written in bulk in the
import's transaction (its one `bundle.import` audit record counts them); exported sorted by
finding, file and record.
"""

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.accounts.policy import SYSTEM
from chibo.core.exceptions import RuleViolation
from chibo.findings.models import RecordedException
from chibo.findings.services import Decision, check_decision, rule_for
from chibo.interchange.bulk import insert_rows
from chibo.interchange.report import Row
from chibo.interchange.schema import TEXT, Column, FileSpec, code_column, date_column
from chibo.interchange.sections import ImportContext, Section, section_of
from chibo.interchange.tree import CHUNK

EXCEPTIONS = FileSpec("exceptions.csv", (
    code_column("finding", True), code_column("file", True),
    Column("record", TEXT, True, max_length=255),
    Column("decision_no", TEXT, True, max_length=100), date_column("decided_on", True),
    code_column("decided_by"), Column("note"),
))
KEY = ("finding", "file", "record")
# After every other section: the records it names are written by then.
ORDER = 10_000


def import_exceptions(context: ImportContext) -> dict[str, int]:
    if EXCEPTIONS.name not in context.tables:
        return {}
    rows = [row for row in _first_rows(context.rows(EXCEPTIONS), context) if _check(row,
                                                                                    context)]
    rows = _existing_records(rows, context)
    rows = _not_recorded_yet(rows, context)
    if context.report or not rows:
        return {EXCEPTIONS.name: 0}
    actor, now = context.actor, timezone.now()
    insert_rows(RecordedException, [{
        "finding": row["finding"], "file": row["file"], "record": row["record"],
        "decision_no": row["decision_no"], "decided_on": row["decided_on"],
        "decided_by": row["decided_by"] or "", "note": row["note"] or "",
        "recorded_by_id": None if actor is SYSTEM else getattr(actor, "pk", None),
        "recorded_by_name": getattr(actor, "username", str(actor)), "recorded_at": now,
    } for row in rows])
    return {EXCEPTIONS.name: len(rows)}


def _first_rows(rows: list[Row], context: ImportContext) -> list[Row]:
    """The rows, a finding and record given again being an error on the later row."""
    seen: dict[tuple, Row] = {}
    for row in rows:
        key = tuple(row[name] for name in KEY)
        if key in seen:
            row.fail(context.report, "record", _(
                "ngoại lệ cho %(finding)s của %(record)s trùng với dòng %(row)s") % {
                "finding": row["finding"], "record": row["record"], "row": seen[key].number})
        else:
            seen[key] = row
    return list(seen.values())


def _check(row: Row, context: ImportContext) -> bool:
    """The finding rule and the decision, as the page checks them."""
    try:
        rule_for(row["finding"], row["file"])
        check_decision(Decision(row["decision_no"], row["decided_on"], row["decided_by"] or "",
                                row["note"] or ""))
    except RuleViolation as error:
        row.fail(context.report, error.field or "finding", " ".join(error.messages))
        return False
    return True


def _existing_records(rows: list[Row], context: ImportContext) -> list[Row]:
    """The rows whose record exists, as the section of its file answers; an error on the
    others."""
    by_file: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_file[row["file"]].append(row)
    kept = []
    for name, file_rows in by_file.items():
        section = section_of(name)
        codes = {row["record"] for row in file_rows}
        found = section.existing(context, name, codes) if section and section.existing else set()
        for row in file_rows:
            if row["record"] in found:
                kept.append(row)
            else:
                row.fail(context.report, "record", _(
                    "không có bản ghi %(record)s trong %(file)s (của gói, không lỗi, hay trong "
                    "cơ sở dữ liệu)") % {"record": row["record"], "file": name})
    return sorted(kept, key=lambda row: row.number)


def _not_recorded_yet(rows: list[Row], context: ImportContext) -> list[Row]:
    """The rows whose finding and record have no exception in the database yet."""
    by_rule: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        by_rule[row["finding"], row["file"]].append(row)
    kept = []
    for (finding, file), rule_rows in by_rule.items():
        records = sorted({row["record"] for row in rule_rows})
        stored = set()
        for start in range(0, len(records), CHUNK):
            stored |= set(RecordedException.objects.filter(
                finding=finding, file=file, record__in=records[start:start + CHUNK])
                .values_list("record", flat=True))
        for row in rule_rows:
            if row["record"] in stored:
                row.fail(context.report, "record", _(
                    "đã có ngoại lệ cho %(finding)s của %(record)s trong cơ sở dữ liệu") % {
                    "finding": finding, "record": row["record"]})
            else:
                kept.append(row)
    return kept


def _export() -> list[dict]:
    rows = RecordedException.objects.values(*KEY, "decision_no", "decided_on", "decided_by",
                                            "note")
    return sorted(rows, key=lambda row: tuple(row[name] for name in KEY))


SECTION = Section(key="exceptions", files=(EXCEPTIONS,), run=import_exceptions,
                  export={EXCEPTIONS.name: _export}, order=ORDER, version=2)
