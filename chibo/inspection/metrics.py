"""Inspection, supervision and discipline (spec METRICS-v2.md, "Inspection and supervision",
"Discipline"): the keys, each with the records behind its number.

Placement (METRICS-v2 "Placement", "Readings"):
- an inspection subject (one lượt) on its inspection's `start_on`: an organization subject at
  the organization itself (its path that day, through merges by then), a member at their cell
  that day (the member's period, whose path is the cell's then);
- `inspections.own.<body>`, `supervisions.own.<body>`: an inspection counts for S when its
  conducting organization, as it was on `start_on` (merges by then followed), is S itself; a
  later merge hands nothing on;
- a discipline decision on the day before `decided_on`: the organization, or the member's cell
  at that day's end; counted by `decided_on` in the period and by `form` as decided.

A committee member is derived from the posts on the day (secretary, deputy secretary, standing
member, committee member of any organization): on `start_on` for a subject, the day before
`decided_on` for a decision; never typed.

`judge_subject` and `judge_discipline` say which keys count one record and where it stands:
the counts (for every target subtree at once) and the records (for one organization) both read
them, so a number and its records cannot disagree. The period's records are read in one
statement each, then placed without a query per record (chibo.inspection.placement).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache

from django.db.models import (
    Case,
    CharField,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from chibo.core.db import DateText, plain_rows
from chibo.core.fields import path_ids
from chibo.core.querysets import path_scope_q
from chibo.inspection.capabilities import VIEW_INSPECTION
from chibo.inspection.choices import (
    INSPECTION_KINDS,
    MEMBER_FORMS,
    ORG_FORMS,
    VIOLATIONS,
    Body,
    Conclusion,
    Form,
    Kind,
)
from chibo.inspection.models import Discipline, Inspection, InspectionSubject
from chibo.inspection.placement import Committee, MemberDays, TreeOnDays, day_before
from chibo.organizations.models import Organization, OrgPeriod
from chibo.stats.groups import Label, MetricGroup

# The subject keys by the kinds of inspection they count (METRICS-v2).
SUBJECT_PREFIXES = {
    "inspected": INSPECTION_KINDS,
    "inspected_on_signs": (Kind.INSPECTION_ON_SIGNS,),
    "supervised_thematic": (Kind.SUPERVISION_THEMATIC,),
    "supervised_regular": (Kind.SUPERVISION_REGULAR,),
}
SUBJECT_KEYS = tuple(f"{prefix}.{part}" for prefix in SUBJECT_PREFIXES
                     for part in ("orgs", "members", "members.committee"))
CONCLUSION_KEYS = ("inspected.orgs.violation", "inspected.members.violation",
                   "inspected.orgs.discipline_proposed", "inspected.members.discipline_proposed")
OWN_KEYS = tuple(f"{what}.own.{body}" for what in ("inspections", "supervisions")
                 for body in Body.values)
INSPECTION_KEYS = (*SUBJECT_KEYS, *CONCLUSION_KEYS, *OWN_KEYS)
DISCIPLINE_KEYS = ("disciplined.orgs", *(f"disciplined.orgs.{form}" for form in ORG_FORMS),
                   "disciplined.members", "disciplined.members.committee",
                   *(f"disciplined.members.{form}" for form in MEMBER_FORMS))
KEYS = (*INSPECTION_KEYS, *DISCIPLINE_KEYS)
# Who may read the records behind these keys (the counts stay under the statistics' own).
RECORDS_CAPABILITY = VIEW_INSPECTION


@dataclass(frozen=True)
class Query:
    as_of: date
    date_from: date
    date_to: date


# --- inspection subjects -----------------------------------------------------------------------

def judge_subject(kind: str, is_org: bool, committee_member: bool, concluded: str) -> list[str]:
    """The subject keys that count a subject of an inspection of `kind` that started in the
    period; `concluded`: its conclusion if concluded by `to`, else ""."""
    found = []
    for prefix, kinds in SUBJECT_PREFIXES.items():
        if kind in kinds:
            found.append(f"{prefix}.orgs" if is_org else f"{prefix}.members")
            if not is_org and committee_member:
                found.append(f"{prefix}.members.committee")
    if kind in INSPECTION_KINDS and concluded in VIOLATIONS:
        subject = "orgs" if is_org else "members"
        found.append(f"inspected.{subject}.violation")
        if concluded == Conclusion.VIOLATION_DISCIPLINE_PROPOSED:
            found.append(f"inspected.{subject}.discipline_proposed")
    return found


def _subjects(query: Query, orgs, *, members: bool, committee: bool = True) -> list[tuple]:
    """(id, kind, conclusion if given by `to` else "", path, committee member) of the subjects
    of the inspections that started in the period: the path each stood at on the start day —
    a member's period, an organization's own period then (a subject exists on the start day:
    the import and the services check it) — and whether a member held a party post that day
    (always False when `committee` is not asked). Under `orgs` at some time when given (a
    superset of their subtrees', placed exactly by the caller; no condition for a whole tree).

    One statement each for the members and the organizations, through the periods' and posts'
    indexes by member or organization: a province's year of subjects without reading their
    periods into Python (grouping them in SQL cost more than it saved: a subject's path is
    nearly its own)."""
    start_on = F("inspection__start_on")
    via = "member__periods" if members else "org__periods"
    near = Q()
    if orgs is not None and not Organization.objects.filter(pk__in=orgs,
                                                            parent__isnull=True).exists():
        near = path_scope_q(_paths(orgs), f"{via}__path")
    in_period = InspectionSubject.objects.filter(
        inspection__start_on__gte=query.date_from, inspection__start_on__lte=query.date_to,
        **{"member__isnull" if members else "org__isnull": False})
    rows = in_period.filter(
        Q(**{f"{via}__valid_from__lte": start_on, f"{via}__valid_to__gt": start_on}) & near,
    ).annotate(concluded=Case(When(concluded_on__lte=query.date_to, then=F("conclusion")),
                              default=Value(""), output_field=CharField()))
    found = plain_rows(rows.values_list("pk", "inspection__kind", "concluded", f"{via}__path",
                                        "member_id", DateText("inspection__start_on")
                                        ).order_by())
    if not (members and committee):
        return [(pk, kind, concluded, path, False)
                for pk, kind, concluded, path, _member, _day in found]
    # Whether a member subject held a party post on the start day, from their posts read once
    # (placement.Committee), not a correlated EXISTS over the posts: SQLite 3.40 answered that
    # one wrongly once the planner had statistics (ANALYZE, which every import runs), counting
    # posts that began after the day (tests/test_inspection_example.py).
    # A subtree's few members by their ids; a whole tree's by the period's subjects in SQL.
    held = Committee([row[4] for row in found] if near else in_period.values("member_id"))
    return [(pk, kind, concluded, path, held.holds(member, day))
            for pk, kind, concluded, path, member, day in found]


def _sides(keys) -> dict[bool, bool]:
    """{members?: committee asked?} for the sides (member or organization subjects) that
    `keys` need: a question about organizations reads no member subject, and the posts are
    read only for the committee keys."""
    sides = {}
    for key in set(keys) & {*SUBJECT_KEYS, *CONCLUSION_KEYS}:
        members = ".members" in key
        sides[members] = sides.get(members, False) or key.endswith(".committee")
    return sides


def placed_subjects(query: Query, orgs=None, keys=KEYS) -> list[tuple[int, list[str], str]]:
    """(subject id, its keys, the path it stands at) of the subjects counted in the period,
    reading only the sides that `keys` need."""
    placed = []
    for members, committee in _sides(keys).items():
        for pk, kind, concluded, path, in_committee in _subjects(
                query, orgs, members=members, committee=committee):
            found = _judged(kind, not members, in_committee, concluded)
            if found:
                placed.append((pk, found, path))
    return placed


@cache
def _judged(kind: str, is_org: bool, committee: bool, concluded: str) -> list[str]:
    """`judge_subject` once for each of the few dozen distinct facts among thousands of rows
    (the list is shared: never change it)."""
    return judge_subject(kind, is_org, bool(committee), concluded)


def counted_subjects(query: Query, orgs, keys=KEYS) -> list[tuple[list[str], str, int]]:
    """(keys, path, how many subjects) of the subjects counted in the period."""
    counted = Counter()
    for members, committee in _sides(keys).items():
        counted.update((kind, concluded, path, bool(in_committee), members)
                       for _pk, kind, concluded, path, in_committee in _subjects(
                           query, orgs, members=members, committee=committee))
    found = []
    for (kind, concluded, path, in_committee, members), n in counted.items():
        judged = _judged(kind, not members, in_committee, concluded)
        if judged:
            found.append((judged, path, n))
    return found


def _paths(orgs) -> list[str]:
    """Every path the organizations `orgs` had (a superset of their subtrees on any day)."""
    return list(OrgPeriod.objects.filter(organization__in=orgs).values_list("path", flat=True))


def own_inspections(query: Query) -> list[tuple[int, str, int]]:
    """(inspection id, its own key, the organization it counts for) of the period's
    inspections: the conducting organization as it was on `start_on`."""
    rows = list(Inspection.objects.filter(
        start_on__gte=query.date_from, start_on__lte=query.date_to).values_list(
        "pk", "kind", "by_body", "org_id", "start_on").order_by())
    tree = TreeOnDays(set())
    found = []
    for pk, kind, body, org, start_on in rows:
        what = "inspections" if Kind.is_inspection(kind) else "supervisions"
        found.append((pk, f"{what}.own.{body}", tree.followed(org, start_on)))
    return found


# --- discipline --------------------------------------------------------------------------------

DISCIPLINE_FIELDS = ("pk", "org_id", "member_id", "form", "decided_on")


def judge_discipline(row: dict, committee_member: bool) -> list[str]:
    if row["org_id"] is not None:
        return ["disciplined.orgs", f"disciplined.orgs.{row['form']}"]
    found = ["disciplined.members", f"disciplined.members.{row['form']}"]
    if committee_member:
        found.append("disciplined.members.committee")
    return found


def placed_disciplines(query: Query) -> list[tuple[int, list[str], str]]:
    """(decision id, its keys, the path it stands at) of the decisions of the period."""
    rows = list(Discipline.objects.filter(
        decided_on__gte=query.date_from, decided_on__lte=query.date_to
    ).values(*DISCIPLINE_FIELDS).order_by())
    members = [row["member_id"] for row in rows if row["member_id"]]
    days, committee = MemberDays(members), Committee(members)
    tree = TreeOnDays({row["org_id"] for row in rows if row["org_id"]})
    placed = []
    for row in rows:
        day = day_before(row["decided_on"])
        if row["org_id"]:
            path, in_committee = tree.path(row["org_id"], day), False
        else:
            stint = days.on(row["member_id"], day)
            path = stint.path if stint else None
            in_committee = committee.holds(row["member_id"], day)
        if path is not None:
            placed.append((row["pk"], judge_discipline(row, in_committee), path))
    return placed


# --- counts and records ------------------------------------------------------------------------

def counts(orgs, targets, query: Query, keys) -> dict[int, dict[str, int]]:
    keys = [key for key in KEYS if key in keys]
    values = {target: dict.fromkeys(keys, 0) for target in targets}
    wanted, targets = set(keys), set(targets)
    placed = []
    if wanted & {*SUBJECT_KEYS, *CONCLUSION_KEYS}:
        placed += counted_subjects(query, orgs, wanted)
    if wanted & set(DISCIPLINE_KEYS):
        placed += [(found, path, 1) for _pk, found, path in placed_disciplines(query)]
    for found, path, n in placed:
        for target in targets.intersection(path_ids(path)):
            for key in wanted.intersection(found):
                values[target][key] += n
    if wanted & set(OWN_KEYS):
        for _pk, key, org in own_inspections(query):
            if org in targets and key in wanted:
                values[org][key] += 1
    return values


def records(org, query: Query, key: str) -> QuerySet:
    """The rows behind one number of `org`'s subtree: subjects, inspections or decisions."""
    if key in OWN_KEYS:
        ids = [pk for pk, own, conductor in own_inspections(query)
               if own == key and conductor == org.pk]
        return Inspection.objects.filter(pk__in=ids).select_related("org").order_by("code")
    if key in SUBJECT_KEYS or key in CONCLUSION_KEYS:
        ids = [pk for pk, found, path in placed_subjects(query, [org.pk], (key,))
               if key in found and org.pk in path_ids(path)]
        return InspectionSubject.objects.filter(pk__in=ids).select_related(
            "inspection", "org", "member", "member__cell").order_by(
            "inspection__code", F("org__code").asc(nulls_first=True),
            F("member__member_code").asc(nulls_first=True))
    if key in DISCIPLINE_KEYS:
        ids = [pk for pk, found, path in placed_disciplines(query)
               if key in found and org.pk in path_ids(path)]
        return Discipline.objects.filter(pk__in=ids).select_related(
            "org", "member", "member__cell").order_by("code")
    raise KeyError(key)


def _subject_of(row) -> dict:
    if row.org_id:
        return {"name": row.org.name, "code": row.org.code, "org": row.org.code}
    return {"name": row.member.full_name, "code": row.member.member_code,
            "member_code": row.member.member_code, "full_name": row.member.full_name,
            "org": row.member.cell.code}


def describe(row) -> dict | None:
    if isinstance(row, InspectionSubject):
        return {"type": "inspection_subject", "inspection": row.inspection.code,
                "kind": row.inspection.kind, "start_on": row.inspection.start_on.isoformat(),
                **_subject_of(row), "conclusion": row.conclusion,
                "concluded_on": row.concluded_on.isoformat() if row.concluded_on else None}
    if isinstance(row, Inspection):
        return {"type": "inspection", "code": row.code, "name": row.title or row.code,
                "kind": row.kind, "by_body": row.by_body, "org": row.org.code,
                "start_on": row.start_on.isoformat(),
                "end_on": row.end_on.isoformat() if row.end_on else None}
    if isinstance(row, Discipline):
        return {"type": "discipline", "discipline": row.code, **_subject_of(row),
                "form": row.form, "standing_form": row.standing_form,
                "decided_on": row.decided_on.isoformat(),
                "effective_on": row.effective_day.isoformat()}
    return None


def present(item: dict) -> None:
    if "kind" in item:
        item["kind_label"] = Kind(item["kind"]).label
    if item.get("conclusion"):
        item["conclusion_label"] = Conclusion(item["conclusion"]).label
    if item.get("form"):
        item["form_label"] = Form(item["form"]).label


def _query(window) -> Query:
    return Query(window.as_of, window.date_from, window.date_to)


def _group(key: str, label, metrics: tuple[Label, ...], order: int) -> MetricGroup:
    return MetricGroup(
        key=key, label=label, metrics=metrics, flow=True, order=order,
        counts=lambda window, keys: counts(window.orgs, window.targets, _query(window), keys),
        records=lambda org, request, key: records(org, Query(
            request.as_of, request.date_from, request.date_to), key),
        describe=describe, present=present, records_capability=RECORDS_CAPABILITY)


_SUBJECT_LABELS = {
    "inspected": (_("Lượt tổ chức đảng được kiểm tra"), _("Lượt đảng viên được kiểm tra"),
                  _("trong đó cấp ủy viên")),
    "inspected_on_signs": (_("Lượt tổ chức đảng được kiểm tra khi có dấu hiệu vi phạm"),
                           _("Lượt đảng viên được kiểm tra khi có dấu hiệu vi phạm"),
                           _("trong đó cấp ủy viên")),
    "supervised_thematic": (_("Lượt tổ chức đảng được giám sát chuyên đề"),
                            _("Lượt đảng viên được giám sát chuyên đề"),
                            _("trong đó cấp ủy viên")),
    "supervised_regular": (_("Lượt tổ chức đảng được giám sát thường xuyên"),
                           _("Lượt đảng viên được giám sát thường xuyên"),
                           _("trong đó cấp ủy viên")),
}


def _inspection_labels() -> tuple[Label, ...]:
    labels = []
    for prefix, (orgs, members, committee) in _SUBJECT_LABELS.items():
        labels += [Label(f"{prefix}.orgs", orgs), Label(f"{prefix}.members", members),
                   Label(f"{prefix}.members.committee", committee, f"{prefix}.members")]
        if prefix == "inspected":
            labels += [
                Label("inspected.orgs.violation", _("Tổ chức đảng được kiểm tra có vi phạm"),
                      "inspected.orgs"),
                Label("inspected.orgs.discipline_proposed",
                      _("Tổ chức đảng vi phạm đến mức phải xem xét kỷ luật"),
                      "inspected.orgs.violation"),
                Label("inspected.members.violation", _("Đảng viên được kiểm tra có vi phạm"),
                      "inspected.members"),
                Label("inspected.members.discipline_proposed",
                      _("Đảng viên vi phạm đến mức phải xem xét kỷ luật"),
                      "inspected.members.violation"),
            ]
    labels += [
        Label("inspections.own.committee", _("Cuộc kiểm tra do cấp ủy tiến hành")),
        Label("inspections.own.standing_committee", _("Cuộc kiểm tra do Ban Thường vụ tiến hành")),
        Label("inspections.own.inspection_commission",
              _("Cuộc kiểm tra do Ủy ban Kiểm tra tiến hành")),
        Label("supervisions.own.committee", _("Cuộc giám sát do cấp ủy tiến hành")),
        Label("supervisions.own.standing_committee",
              _("Cuộc giám sát do Ban Thường vụ tiến hành")),
        Label("supervisions.own.inspection_commission",
              _("Cuộc giám sát do Ủy ban Kiểm tra tiến hành")),
    ]
    return tuple(labels)


INSPECTION = _group("inspection", _("Kiểm tra, giám sát"), _inspection_labels(),
                    order=97)
DISCIPLINE = _group("discipline", _("Thi hành kỷ luật đảng"), (
    Label("disciplined.orgs", _("Tổ chức đảng bị kỷ luật")),
    Label("disciplined.orgs.reprimand", _("Khiển trách"), "disciplined.orgs"),
    Label("disciplined.orgs.warning", _("Cảnh cáo"), "disciplined.orgs"),
    Label("disciplined.orgs.dissolution", _("Giải tán"), "disciplined.orgs"),
    Label("disciplined.members", _("Đảng viên bị kỷ luật")),
    Label("disciplined.members.committee", _("trong đó cấp ủy viên"), "disciplined.members"),
    Label("disciplined.members.reprimand", _("Khiển trách"), "disciplined.members"),
    Label("disciplined.members.warning", _("Cảnh cáo"), "disciplined.members"),
    Label("disciplined.members.dismissal", _("Cách chức"), "disciplined.members"),
    Label("disciplined.members.expulsion", _("Khai trừ"), "disciplined.members"),
), order=98)
