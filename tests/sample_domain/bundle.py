"""sample_visits.csv: one row per visit, after the tree (a visit names an organization).

The import step checks that each row's organization exists on its day (in the tree the bundle
has just written, or already stored) and writes the accepted rows in bulk; the export sorts
the rows by every column, so that export → import → export gives the same file.
"""

from django.db.models import F

from chibo.interchange.bulk import insert_rows
from chibo.interchange.schema import INT, Column, FileSpec, code_column, date_column, text_column
from chibo.interchange.sections import ImportContext, Section
from chibo.interchange.tree import LoadedTree, missing
from tests.sample_domain.models import SampleVisit

SAMPLE_VISITS = FileSpec("sample_visits.csv", (
    code_column("org_code", True), date_column("day", True), Column("visitors", INT),
    text_column("note", SampleVisit),
))


def import_visits(context: ImportContext) -> dict[str, int]:
    if SAMPLE_VISITS.name not in context.tables:
        return {}  # a bundle without visits reports no visit count
    tree = LoadedTree()  # the tree as written by the step this one depends on
    accepted = []
    for row in context.rows(SAMPLE_VISITS):
        org = tree.by_code.get(row["org_code"])
        if org is None:
            row.fail(context.report, "org_code", missing(row["org_code"], context.org_rows))
        elif not tree.exists_on(org, row["day"]):
            row.fail(context.report, "day", f"{tree.label(org.pk)} không tồn tại vào ngày "
                                            f"{row['day'].isoformat()}")
        else:
            accepted.append({"organization_id": org.pk, "day": row["day"],
                             "visitors": row["visitors"] or 0, "note": row["note"] or ""})
    if context.report:
        return {SAMPLE_VISITS.name: 0}  # the import keeps nothing
    insert_rows(SampleVisit, accepted)
    return {SAMPLE_VISITS.name: len(accepted)}


def _visits() -> list[dict]:
    rows = SampleVisit.objects.values("day", "visitors", "note",
                                      org_code=F("organization__code"))
    return sorted(rows, key=lambda row: (row["org_code"], row["day"], row["note"],
                                         row["visitors"]))


SECTION = Section(key="sample", files=(SAMPLE_VISITS,), run=import_visits,
                  export={SAMPLE_VISITS.name: _visits}, depends_on=("tree",), order=900)
