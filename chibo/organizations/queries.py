"""Reading the tree as of a date, always through the user's scope."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from chibo.core.fields import path_ids
from chibo.core.text import search_key
from chibo.organizations.choices import OrgKind
from chibo.organizations.models import Organization, OrgPeriod, Reorganization, Village


@dataclass
class TreeNode:
    """An organization as it stood on a day, with the number of its children that day."""

    period: OrgPeriod
    child_count: int = 0

    @property
    def org(self) -> Organization:
        return self.period.organization


def visible_periods(user, day: date):
    return OrgPeriod.objects.visible_to(user).as_of(day).select_related(
        "organization", "organization__village", "organization__merged_into", "parent"
    )


def with_child_counts(periods: list[OrgPeriod], day: date) -> list[TreeNode]:
    ids = [p.organization_id for p in periods]
    counts = dict(
        OrgPeriod.objects.as_of(day).filter(parent_id__in=ids)
        .values_list("parent_id").annotate(n=Count("id")).values_list("parent_id", "n")
    )
    return [TreeNode(p, counts.get(p.organization_id, 0)) for p in periods]


def children(user, parent: Organization, day: date) -> list[TreeNode]:
    """The children of `parent` on `day` that the user may see, by kind then name (in the
    Vietnamese order of the name they had that day)."""
    periods = list(visible_periods(user, day).filter(parent=parent).order_by(
        "organization__kind", "sort_key", "organization__code"
    ))
    return with_child_counts(periods, day)


def top_nodes(user, day: date) -> list[TreeNode]:
    """Where the user's tree starts on `day`: the organizations of their outermost grants (the
    roots, for a system administrator), as they stood that day."""
    from chibo.accounts.policy import Capability, scope_paths
    from chibo.core.querysets import outermost

    paths = scope_paths(user, Capability.VIEW_ORGS)
    periods = visible_periods(user, day)
    if paths is None:
        periods = periods.filter(parent__isnull=True)
    else:
        periods = periods.filter(organization__path__in=outermost(paths))
    return with_child_counts(list(periods.order_by("depth", "sort_key", "organization__code")),
                             day)


def ancestors(period: OrgPeriod, day: date, among: QuerySet | None = None) -> list[OrgPeriod]:
    """The ancestors of `period` on `day`, from the top down, among `among` (default: all)."""
    ids = path_ids(period.path)[:-1]
    among = OrgPeriod.objects.as_of(day) if among is None else among
    found = {p.organization_id: p for p in among.filter(organization_id__in=ids)}
    return [found[i] for i in ids if i in found]


def breadcrumb(user, period: OrgPeriod, day: date) -> list[OrgPeriod]:
    """The ancestors of `period` on `day` that the user may see, from the top down."""
    return ancestors(period, day, visible_periods(user, day))


def breadcrumbs(user, periods: list[OrgPeriod], day: date) -> dict[int, list[OrgPeriod]]:
    """`breadcrumb` for many periods at once (one query): period pk -> its visible ancestors."""
    wanted = {int(part) for p in periods for part in p.path.split("/")[:-2] if part}
    found = {p.organization_id: p for p in visible_periods(user, day).filter(
        organization_id__in=wanted)}
    return {p.pk: [found[int(i)] for i in p.path.split("/")[:-2] if i and int(i) in found]
            for p in periods}


def search(user, text: str, day: date, limit: int = 50) -> list[OrgPeriod]:
    """Organizations in scope whose name on `day` (ignoring diacritics) or code matches."""
    key = search_key(text)
    if not key:
        return []
    return list(
        visible_periods(user, day)
        .filter(Q(search_key__contains=key) | Q(organization__code__iexact=text.strip()))
        .order_by("depth", "sort_key", "organization__code")[:limit]
    )


def subtree_size(period: OrgPeriod, day: date) -> list[tuple[str, int]]:
    """(kind label, count) of the organizations below `period` on `day`, in the kinds' order."""
    counts = dict(
        OrgPeriod.objects.as_of(day).in_subtree(period.path).exclude(pk=period.pk)
        .values_list("organization__kind").annotate(n=Count("id"))
    )
    return [(kind.label, counts[kind]) for kind in OrgKind if counts.get(kind)]


def villages_of(org: Organization):
    """The villages of a commune's committee, in the Vietnamese order of their names."""
    return Village.objects.filter(commune=org).order_by("sort_key", "code")


@dataclass
class HistoryEntry:
    day: date
    text: str
    decision_no: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)


def history(org: Organization) -> list[HistoryEntry]:
    """The dated life of an organization: establishment, changes to it and into it, its end."""
    from django.utils.translation import gettext as _

    entries = [HistoryEntry(org.established_on, _("Thành lập"))]
    changes = Reorganization.objects.filter(Q(organization=org) | Q(into=org)).select_related(
        "organization", "new_parent", "old_parent", "into"
    )
    for change in changes:
        entries.append(HistoryEntry(change.effective_on, describe(change, org),
                                    change.decision_no, change.note))
    return sorted(entries, key=lambda e: e.day)


def describe(change: Reorganization, viewpoint: Organization) -> str:
    from django.utils.translation import gettext as _

    if change.change == "move":
        return _("Chuyển trực thuộc %(new)s (trước đó: %(old)s)") % {
            "new": change.new_parent.name,
            "old": change.old_parent.name if change.old_parent else "—"}
    if change.change == "rename" and change.new_sector:
        return _("Đổi tên từ “%(old)s” thành “%(new)s”; loại hình: %(old_sector)s → "
                 "%(new_sector)s") % {
            "old": change.old_name, "new": change.new_name,
            "old_sector": change.get_old_sector_display() or "—",
            "new_sector": change.get_new_sector_display()}
    if change.change == "rename":
        return _("Đổi tên từ “%(old)s” thành “%(new)s”") % {"old": change.old_name,
                                                             "new": change.new_name}
    if change.change == "merge" and change.into_id == viewpoint.pk:
        return _("Tiếp nhận %(name)s (%(code)s) hợp nhất vào") % {
            "name": change.organization.name, "code": change.organization.code}
    if change.change == "merge":
        return _("Hợp nhất vào %(name)s") % {"name": change.into.name}
    return _("Giải thể")
