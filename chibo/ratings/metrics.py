"""The ratings keys (spec METRICS-v2.md, "Ratings"), each with the records behind its number.

`rated.orgs`, `rated.orgs.<level>`, `rated.orgs.good_plus` count the ratings of `year` (the
year of `to`, whatever the period's start: "Readings") of organizations of kind `cell`,
`grassroots_*` and `partial_committee`; `rated.members…` the same for members. A rating is
placed on its subject's last day in the tree in the year (chibo.ratings.placement): the
organization itself, a member's cell that day.

`judge` says which keys count one rating; the counts (for every target at once) and the records
(for one organization) both read `placed`, so a number and its records cannot disagree.
"""

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chibo.core.fields import path_ids
from chibo.ratings.choices import GOOD_PLUS, Level
from chibo.ratings.models import Rating
from chibo.ratings.placement import Places
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


def placed(year: int) -> list[tuple[int, list[str], str]]:
    """(rating id, its keys, the path it stands at) of the counted ratings of `year`."""
    rows = list(Rating.objects.filter(year=year).values_list(
        "pk", "org_id", "member_id", "level", "org__kind").order_by())
    places = Places((member for _pk, _org, member, *_rest in rows if member),
                    (org for _pk, org, *_rest in rows if org))
    found = []
    for pk, org, member, level, kind in rows:
        if org is not None and kind not in RATED_KINDS:
            continue
        place = places.place(year=year, member_id=member, org_id=org)
        if place is not None:
            found.append((pk, judge(level, org is not None), place.path))
    return found


def counts(targets, date_to: date, keys) -> dict[int, dict[str, int]]:
    keys = [key for key in KEYS if key in keys]
    values = {target: dict.fromkeys(keys, 0) for target in targets}
    wanted, targets = set(keys), set(targets)
    if not wanted:
        return values
    for _pk, found, path in placed(date_to.year):
        for target in targets.intersection(path_ids(path)):
            for key in wanted.intersection(found):
                values[target][key] += 1
    return values


def records(org, date_to: date, key: str) -> QuerySet:
    """The ratings behind one number of `org`'s subtree."""
    if key not in KEYS:
        raise KeyError(key)
    ids = [pk for pk, found, path in placed(date_to.year)
           if key in found and org.pk in path_ids(path)]
    return Rating.objects.filter(pk__in=ids).select_related(
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
