"""The ratings keys (spec METRICS-v2.md, "Ratings"), each with the records behind its number.

`rated.orgs`, `rated.orgs.<level>`, `rated.orgs.good_plus` count the ratings of `year` (the
year of `to`, whatever the period's start: "Readings") of organizations of kind `cell`,
`grassroots_*` and `partial_committee`; `rated.members…` the same for members. A rating is
placed on its subject's last day in the tree in the year: the organization itself, a member's
cell that day — read here in SQL (`placed`: one index seek per rating), where the findings read
the same place in Python with the rest of what they judge (chibo.ratings.placement).

`judge` says which keys count one rating; the counts (for every target at once) and the records
(for one organization) both read `placed`, so a number and its records cannot disagree.
"""

from datetime import date

from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from chibo.core.fields import path_ids
from chibo.core.querysets import path_scope_q
from chibo.members.models import MemberPeriod
from chibo.organizations.models import Organization, OrgPeriod
from chibo.ratings.choices import GOOD_PLUS, Level
from chibo.ratings.models import Rating
from chibo.ratings.rules import RATED_KINDS
from chibo.stats.groups import Label, MetricGroup

SUBJECTS = ("orgs", "members")
KEYS = tuple(key for subjects in SUBJECTS for key in (
    f"rated.{subjects}", *(f"rated.{subjects}.{level}" for level in Level.values),
    f"rated.{subjects}.good_plus"))


def judge(level: str, is_org: bool) -> list[str]:
    """The keys that count a rating of `level`."""
    prefix = "rated.orgs" if is_org else "rated.members"
    found = [prefix, f"{prefix}.{level}"]
    if level in GOOD_PLUS:
        found.append(f"{prefix}.good_plus")
    return found


def _place_path(model, subject: str, rating_field: str, year: int) -> Subquery:
    """The path of the subject's span that starts last among those touching `year`: where it
    stood on its last day in the tree in the year (one subject's spans do not overlap; an
    empty span, left by two changes on one day, holds no day)."""
    return Subquery(model.objects.filter(
        **{subject: OuterRef(rating_field)}, valid_from__lte=date(year, 12, 31),
        valid_to__gt=date(year, 1, 1)).filter(valid_to__gt=F("valid_from")).order_by(
        "-valid_from").values("path")[:1])


def _year_q(year: int) -> dict:
    return {"valid_from__lte": date(year, 12, 31), "valid_to__gt": date(year, 1, 1)}


def _paths(org_id: int, year: int) -> list[str]:
    """The paths the organization had in `year`: a subject placed under it stood under one."""
    return list(OrgPeriod.objects.filter(organization_id=org_id, **_year_q(year))
                .values_list("path", flat=True))


def _within(org_id: int, year: int) -> Q:
    """The ratings whose subject stood in the organization's subtree on some day of `year`
    (a superset of those placed there: `place` decides), so that a commune's page does not
    place the whole province's ratings."""
    paths = _paths(org_id, year)
    members = MemberPeriod.objects.filter(path_scope_q(paths, "path"), **_year_q(year))
    orgs = OrgPeriod.objects.filter(path_scope_q(paths, "path"), **_year_q(year))
    return Q(member_id__in=members.values("member_id")) | Q(
        org_id__in=orgs.values("organization_id"))


def placed(year: int, within: int | None = None) -> QuerySet:
    """The counted ratings of `year` (of subjects that stood under the organization `within`
    that year, if given), each annotated with the path it stands at (`place`; None when the
    subject was not in the tree that year: counted nowhere). In SQL, one index seek per rating
    (mperiod_member, period_org), not a history in Python; not filtered on `place`, which
    SQLite would compute twice."""
    members = _place_path(MemberPeriod, "member", "member_id", year)
    orgs = _place_path(OrgPeriod, "organization", "org_id", year)
    rows = Rating.objects.filter(Q(member__isnull=False) | Q(org__kind__in=RATED_KINDS),
                                 year=year)
    if within is not None:
        rows = rows.filter(_within(within, year))
    return rows.annotate(place=Case(When(member__isnull=False, then=members), default=orgs))


def counts(targets, date_to: date, keys) -> dict[int, dict[str, int]]:
    keys = [key for key in KEYS if key in keys]
    values = {target: dict.fromkeys(keys, 0) for target in targets}
    wanted, targets = set(keys), set(targets)
    if not wanted:
        return values
    # One organization (not the whole tree): only the ratings that may stand under it.
    within = next(iter(targets)) if len(targets) == 1 and not _is_root(targets) else None
    groups = placed(date_to.year, within).annotate(is_org=Case(
        When(member__isnull=True, then=Value(True)), default=Value(False))).values_list(
        "place", "level", "is_org").annotate(n=Count("pk")).order_by()
    for path, level, is_org, n in groups:
        if path is None:
            continue
        found = wanted.intersection(judge(level, is_org))
        for target in targets.intersection(path_ids(path)):
            for key in found:
                values[target][key] += n
    return values


def _is_root(targets) -> bool:
    return Organization.objects.filter(pk__in=targets, parent__isnull=True).exists()


def records(org, date_to: date, key: str) -> QuerySet:
    """The ratings behind one number of `org`'s subtree."""
    if key not in KEYS:
        raise KeyError(key)
    subjects, _, level = key.removeprefix("rated.").partition(".")
    year = date_to.year
    # placed under the organization as it stood then (its path may have changed since)
    rows = placed(year, org.pk if org.parent_id else None).filter(
        path_scope_q(_paths(org.pk, year), "place"), member__isnull=subjects == "orgs")
    if level == "good_plus":
        rows = rows.filter(level__in=GOOD_PLUS)
    elif level:
        rows = rows.filter(level=level)
    return Rating.objects.filter(pk__in=rows.values("pk")).select_related(
        "org", "member", "member__cell", "decided_by").order_by(
        "org__code", "member__member_code")


def describe(row) -> dict | None:
    if not isinstance(row, Rating):
        return None
    if row.org_id:
        subject = {"name": row.org.name, "code": row.org.code, "org": row.org.code}
    else:
        subject = {"name": row.member.full_name, "code": row.member.member_code,
                   "member_code": row.member.member_code, "full_name": row.member.full_name,
                   "org": row.member.cell.code}
    return {"type": "rating", "year": row.year, **subject, "level": row.level,
            "score": str(row.score) if row.score is not None else None,
            "decided_on": row.decided_on.isoformat() if row.decided_on else None,
            "decided_by": row.decided_by.code if row.decided_by_id else None}


def present(item: dict) -> None:
    if item.get("level"):
        item["level_label"] = Level(item["level"]).label


def _labels() -> tuple[Label, ...]:
    labels = []
    for subjects, total in (("orgs", _("Tổ chức đảng được xếp loại")),
                            ("members", _("Đảng viên được xếp loại"))):
        prefix = f"rated.{subjects}"
        labels.append(Label(prefix, total))
        labels += [Label(f"{prefix}.{level}", level.label, prefix) for level in Level]
        labels.append(Label(f"{prefix}.good_plus", _("Hoàn thành tốt nhiệm vụ trở lên"),
                            prefix))
    return tuple(labels)


GROUP = MetricGroup(
    key="ratings", label=_("Đánh giá, xếp loại chất lượng"), metrics=_labels(), flow=True,
    order=99,
    counts=lambda window, keys: counts(window.targets, window.date_to, keys),
    records=lambda org, request, key: records(org, request.date_to, key),
    describe=describe, present=present)
