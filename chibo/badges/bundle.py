"""badges.csv of the bundle (spec BUNDLE-v2.md): every Check is an error naming
`FILE:ROW:COLUMN` and nothing is written; the rules of the regulations (party age, the award
day, the delay after a discipline) are findings, not errors (chibo.badges.findings).

Errors: `years` not a milestone (30, 40, 45 … 90); a member's milestone twice (in the bundle or
already stored); the member not active on `awarded_on`, or, `posthumous`, not dead before it.
"""

from django.db.models import F
from django.utils.translation import gettext as _

from chibo.badges.choices import EarlyReason
from chibo.badges.models import Badge, record_key
from chibo.badges.rules import FILE, MILESTONES, POSTHUMOUS
from chibo.inspection.placement import MemberDays
from chibo.interchange.bulk import insert_rows
from chibo.interchange.names import Named
from chibo.interchange.report import Row
from chibo.interchange.schema import INT, Column, FileSpec, choice_column, code_column, date_column
from chibo.interchange.sections import ImportContext, Section
from chibo.interchange.tree import RowError
from chibo.members.choices import MemberStatus
from chibo.members.models import Member

BADGES = FileSpec(FILE, (
    code_column("member_code", True), Column("years", INT, True), date_column("awarded_on", True),
    choice_column("early_reason", EarlyReason),
))


def import_badges(context: ImportContext) -> dict[str, int]:
    if not context.tables.get(BADGES.name):
        return {}
    step = BadgesImport(context)
    step.check()
    context.provided["badges"] = set(step.accepted)
    if context.report:
        return {BADGES.name: 0}
    insert_rows(Badge, step.accepted.values())
    return {BADGES.name: len(step.accepted)}


class BadgesImport:
    def __init__(self, context: ImportContext):
        self.context, self.report = context, context.report
        self.rows = context.rows(BADGES)
        self.accepted: dict[str, dict] = {}  # record key -> values

    def check(self) -> None:
        self.named = Named(self.context, {row["member_code"] for row in self.rows})
        ids = set(self.named.members.values())
        self.days = MemberDays(ids)
        self.deaths = dict(Member.objects.filter(pk__in=ids, status=MemberStatus.DIED)
                           .values_list("pk", "ended_on"))
        self.stored = set(Badge.objects.values_list("member_id", "years"))
        seen: dict[tuple, Row] = {}
        for row in self.rows:
            try:
                self._badge(row, seen)
            except RowError as error:
                row.fail(self.report, error.column, error.message)

    def _badge(self, row: Row, seen: dict) -> None:
        member, years, day = self.named.member(row), row["years"], row["awarded_on"]
        if years not in MILESTONES:
            raise RowError("years", _("%(years)s không phải mốc Huy hiệu Đảng (30, 40, 45 … 90 "
                                      "năm)") % {"years": years})
        key = (member, years)
        if key in seen:
            raise RowError("years", _("đảng viên đã có huy hiệu %(years)s năm ở dòng %(row)s")
                           % {"years": years, "row": seen[key].number})
        if key in self.stored:
            raise RowError("years", _("đảng viên đã có huy hiệu %(years)s năm trong cơ sở dữ "
                                      "liệu") % {"years": years})
        seen[key] = row
        if row["early_reason"] == POSTHUMOUS:
            died = self.deaths.get(member)
            if died is None or died >= day:
                raise RowError("awarded_on", _("truy tặng: đảng viên %(code)s chưa từ trần "
                                               "trước ngày %(day)s") % {
                    "code": row["member_code"], "day": day.isoformat()})
        elif self.days.on(member, day) is None:
            raise RowError("awarded_on", _("đảng viên %(code)s không sinh hoạt đảng vào ngày "
                                           "%(day)s") % {"code": row["member_code"],
                                                         "day": day.isoformat()})
        self.accepted[record_key(row["member_code"], years)] = {
            "member_id": member, "years": years, "awarded_on": day,
            "early_reason": str(row["early_reason"] or ""), "decision_no": "",
            "decided_by_id": None, "note": ""}


def _badges() -> list[dict]:
    rows = Badge.objects.values("years", "awarded_on", "early_reason",
                                member_code=F("member__member_code"))
    rows = [{**row, "early_reason": row["early_reason"] or None} for row in rows]
    return sorted(rows, key=lambda row: (row["member_code"], row["years"]))


def _existing(context: ImportContext, name: str, codes: set[str]) -> set[str]:
    """The badges (`member_code|years`) of the bundle or the database: the findings' records."""
    if name != BADGES.name:
        return set()
    accepted = context.provided.get("badges", set())
    stored = {record_key(code, years) for code, years in Badge.objects.values_list(
        "member__member_code", "years")}
    return codes & (accepted | stored)


# After the members (and their deaths) and the discipline decisions (the findings read them).
SECTION = Section(key="badges", files=(BADGES,), run=import_badges,
                  export={BADGES.name: _badges}, depends_on=("members", "inspection"),
                  order=75, version=2, existing=_existing)
