"""ratings.csv of the bundle (spec BUNDLE-v2.md): every Check is an error naming
`FILE:ROW:COLUMN` and nothing is written; the rules of the regulations (an exempt member rated,
a disciplined subject rated too high, the quota, a score outside its band) are findings, not
errors (chibo.ratings.findings).

Errors: not exactly one subject; an unknown organization or member; a subject rated twice for a
year (in the bundle or already stored); the subject not active (existing) on any day of `year`;
`decided_on` before 1 January of `year`; a score above 100; an unknown `decided_by`.
"""

from decimal import Decimal

from django.db.models import F
from django.utils.translation import gettext as _

from chibo.interchange.bulk import insert_rows
from chibo.interchange.names import Named
from chibo.interchange.report import Row
from chibo.interchange.schema import (
    DECIMAL,
    YEAR,
    Column,
    FileSpec,
    choice_column,
    code_column,
    date_column,
)
from chibo.interchange.sections import ImportContext, Section
from chibo.interchange.tree import RowError, by_code
from chibo.organizations.models import Organization
from chibo.ratings.choices import Level
from chibo.ratings.models import Rating, record_key
from chibo.ratings.placement import Places
from chibo.ratings.rules import FILE

RATINGS = FileSpec(FILE, (
    Column("year", YEAR, True), code_column("org_code"), code_column("member_code"),
    choice_column("level", Level, True), Column("score", DECIMAL), date_column("decided_on"),
    code_column("decided_by"),
))
MAX_SCORE = Decimal(100)


def import_ratings(context: ImportContext) -> dict[str, int]:
    if not context.tables.get(RATINGS.name):
        return {}
    step = RatingsImport(context)
    step.check()
    context.provided["ratings"] = set(step.accepted)
    if context.report:
        return {RATINGS.name: 0}
    insert_rows(Rating, step.accepted.values())
    return {RATINGS.name: len(step.accepted)}


class RatingsImport:
    def __init__(self, context: ImportContext):
        self.context, self.report, self.tree = context, context.report, context.loaded
        self.rows = context.rows(RATINGS)
        self.accepted: dict[str, dict] = {}  # record key -> values

    def check(self) -> None:
        codes = {row["member_code"] for row in self.rows if row["member_code"]}
        self.named = Named(self.context, codes)
        self.members = self.named.members
        self.places = Places(self.members.values(),
                             (org.pk for org in self.tree.by_code.values()))
        self.stored = {(year, org, member) for year, org, member in
                       Rating.objects.values_list("year", "org_id", "member_id")}
        seen: dict[tuple, Row] = {}
        for row in self.rows:
            try:
                self._rating(row, seen)
            except RowError as error:
                row.fail(self.report, error.column, error.message)

    def _rating(self, row: Row, seen: dict) -> None:
        if bool(row["org_code"]) == bool(row["member_code"]):
            raise RowError("org_code", _("cần đúng một trong org_code, member_code"))
        year = row["year"]
        if row["org_code"]:
            org_id, member_id, column = self.named.org(row, "org_code").pk, None, "org_code"
        else:
            org_id, member_id, column = None, self.named.member(row), "member_code"
        key = (year, org_id, member_id)
        if key in seen:
            raise RowError(column, _("đối tượng đã được xếp loại năm %(year)s ở dòng %(row)s")
                           % {"year": year, "row": seen[key].number})
        if key in self.stored:
            raise RowError(column, _("đối tượng đã được xếp loại năm %(year)s trong cơ sở dữ "
                                     "liệu") % {"year": year})
        seen[key] = row
        if not self.places.active_in(year, member_id=member_id, org_id=org_id):
            raise RowError(column, _("%(subject)s không sinh hoạt (không tồn tại) ngày nào "
                                     "trong năm %(year)s") % {"subject": row[column],
                                                              "year": year})
        if row["decided_on"] is not None and row["decided_on"].year < year:
            raise RowError("decided_on", _("ngày quyết định %(day)s trước ngày 1 tháng 1 năm "
                                           "%(year)s") % {"day": row["decided_on"].isoformat(),
                                                          "year": year})
        if row["score"] is not None and row["score"] > MAX_SCORE:
            raise RowError("score", _("điểm %(score)s quá 100") % {"score": row["score"]})
        decided_by = self.named.org(row, "decided_by").pk if row["decided_by"] else None
        self.accepted[record_key(year, row["org_code"], row["member_code"])] = {
            "year": year, "org_id": org_id, "member_id": member_id, "level": str(row["level"]),
            "score": row["score"], "decided_on": row["decided_on"],
            "decided_by_id": decided_by, "note": ""}


# Export -----------------------------------------------------------------------------------------

def score_text(score: Decimal | None) -> str | None:
    """A score as the bundle writes it: no trailing zeros (`97.1`, `90`)."""
    if score is None:
        return None
    text = f"{score:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _ratings() -> list[dict]:
    rows = Rating.objects.values(
        "year", "level", "score", "decided_on", org_code=F("org__code"),
        member_code=F("member__member_code"), deciding=F("decided_by__code"))
    rows = [{**row, "score": score_text(row["score"]), "decided_by": row.pop("deciding")}
            for row in rows]
    return sorted(rows, key=lambda row: (row["year"], row["org_code"] or "",
                                         row["member_code"] or ""))


def _existing(context: ImportContext, name: str, codes: set[str]) -> set[str]:
    """The ratings (`year|org_code|member_code`) and the quota groups
    (`decided_by|year|subjects`, any group of an existing committee and year) of the bundle or
    the database: the records of the ratings findings."""
    if name != RATINGS.name:
        return set()
    accepted = context.provided.get("ratings", set())
    found = codes & accepted
    stored = {record_key(year, org, member) for year, org, member in Rating.objects.values_list(
        "year", "org__code", "member__member_code")}
    found |= codes & stored
    for code in codes - found:
        parts = code.split("|")
        if len(parts) == 3 and parts[2] in ("orgs", "members") and parts[1].isdigit() and (
                parts[0] in context.org_rows or by_code(Organization, {parts[0]})):
            found.add(code)
    return found


# After the members and the tree (the subjects) and the discipline decisions (the findings read
# them).
SECTION = Section(key="ratings", files=(RATINGS,), run=import_ratings,
                  export={RATINGS.name: _ratings}, depends_on=("members", "inspection"),
                  order=70, version=2, existing=_existing)
