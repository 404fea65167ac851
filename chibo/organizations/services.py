"""Every change to the organization tree: establish, edit, move, rename, merge, dissolve.

Each service runs in one transaction, checks the actor's permission and the rules, writes the
periods, and appends one audit record. Changes that reshape the tree take effect on a date and
must be recorded in date order for the part of the tree they touch: a change dated before a
later recorded change of the same subtree is refused, because the later one was decided on the
tree as it then stood.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, Min
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chibo.accounts.policy import Capability, require
from chibo.audit.anchors import anchor_after_commit
from chibo.audit.services import record_change
from chibo.core.concurrency import Expected, check_version
from chibo.core.exceptions import PermissionDenied, RuleViolation
from chibo.core.fields import moved_path, subtree_range
from chibo.core.text import search_key, title_sort_key
from chibo.organizations.choices import (
    ALLOWED_PARENT_KINDS,
    MEMBER_HOLDING_KINDS,
    ChangeKind,
    OrgKind,
    Sector,
    VillageKind,
)
from chibo.organizations.models import (
    END_OF_TIME,
    Organization,
    OrgPeriod,
    Reorganization,
    Village,
)
from chibo.organizations.paths import lock_placements

# Checks that an organization holds nobody on a day, registered by the apps that hold people
# (members). Each returns an error message, or None when the organization is empty.
OccupancyCheck = Callable[[Organization, date], str | None]
OCCUPANCY_CHECKS: list[OccupancyCheck] = []


def register_occupancy_check(check: OccupancyCheck) -> None:
    if check not in OCCUPANCY_CHECKS:
        OCCUPANCY_CHECKS.append(check)


# What other apps do when an organization merges into another (members follow the merge).
MergeHook = Callable[[Organization, Organization, date], None]
MERGE_HOOKS: list[MergeHook] = []


def register_merge_hook(hook: MergeHook) -> None:
    if hook not in MERGE_HOOKS:
        MERGE_HOOKS.append(hook)


# What other apps do when a subtree takes a new place from a day: (old prefix, new prefix, day,
# the path that stays behind — a merging organization's own — or None). Rows that store their
# organization's path (member periods, flow facts) are re-placed like the tree's periods.
ReplaceHook = Callable[[str, str, date, str | None], None]
REPLACE_HOOKS: list[ReplaceHook] = []


def register_replace_hook(hook: ReplaceHook) -> None:
    if hook not in REPLACE_HOOKS:
        REPLACE_HOOKS.append(hook)


def _d(day: date) -> str:
    return date_format(day, "d/m/Y")


def snapshot(org: Organization) -> dict:
    """The audited view of an organization."""
    return {
        "code": org.code, "name": org.name, "kind": org.kind, "sector": org.sector,
        "parent": org.parent.code if org.parent_id else None,
        "village": org.village.code if org.village_id else None,
        "established_on": org.established_on, "ended_on": org.ended_on,
        "merged_into": org.merged_into.code if org.merged_into_id else None,
    }


# Reading periods -----------------------------------------------------------------------------

def period_on(org: Organization, day: date) -> OrgPeriod | None:
    return OrgPeriod.objects.as_of(day).filter(organization=org).first()


def _require_period(org: Organization, day: date, field: str) -> OrgPeriod:
    period = period_on(org, day)
    if period is None:
        raise RuleViolation(
            _("%(name)s (%(code)s) không tồn tại vào ngày %(day)s.")
            % {"name": org.name, "code": org.code, "day": _d(day)},
            code="not_active", field=field,
        )
    return period


def _require_date_order(org: Organization, period: OrgPeriod, day: date, field: str) -> None:
    """Refuse a change dated before a later recorded change of this organization or its subtree.

    A later change shows as a period of the subtree that starts after `day`, or as one that holds
    on `day` and ends later: moved away, renamed, merged or dissolved after it (a descendant that
    left later must be refused too, or its recorded move would start from a place that the
    back-dated change has rewritten)."""
    subtree = OrgPeriod.objects.in_subtree(period.path)
    ends = subtree.as_of(day).filter(valid_to__lt=END_OF_TIME)
    if org.ended_on is not None:  # its own dissolution has its own message, below
        ends = ends.exclude(organization=org)
    when = min(filter(None, [
        subtree.filter(valid_from__gt=day).aggregate(first=Min("valid_from"))["first"],
        ends.aggregate(first=Min("valid_to"))["first"],
    ]), default=None)
    if when is not None:
        raise RuleViolation(
            _("%(name)s đã có thay đổi ngày %(later)s, sau ngày %(day)s: hãy ghi các thay đổi "
              "theo thứ tự thời gian.")
            % {"name": org.name, "later": _d(when), "day": _d(day)},
            code="date_order", field=field,
        )
    if org.ended_on is not None and org.ended_on > day:
        raise RuleViolation(
            _("%(name)s đã được ghi giải thể ngày %(later)s, sau ngày %(day)s: hãy ghi các thay "
              "đổi theo thứ tự thời gian.")
            % {"name": org.name, "later": _d(org.ended_on), "day": _d(day)},
            code="date_order", field=field,
        )


def _require_open_parent(parent: Organization, day: date, field: str) -> OrgPeriod:
    """The period of `parent` on `day`, which must still be its latest one.

    One query: the parent's periods that end after `day`, in order. The first holds on `day`
    when it has started by then; a second one is a later change."""
    periods = list(OrgPeriod.objects.filter(organization=parent, valid_to__gt=day)
                   .order_by("valid_from")[:2])
    if not periods or periods[0].valid_from > day:
        raise RuleViolation(
            _("Tổ chức cấp trên %(name)s chưa thành lập hoặc đã giải thể vào ngày %(day)s.")
            % {"name": parent.name, "day": _d(day)},
            code="parent_not_active", field=field,
        )
    period = periods[0]
    if len(periods) > 1 or period.valid_to != END_OF_TIME or parent.ended_on is not None:
        raise RuleViolation(
            _("Tổ chức cấp trên %(name)s đã có thay đổi sau ngày %(day)s: hãy ghi các thay đổi "
              "theo thứ tự thời gian.") % {"name": parent.name, "day": _d(day)},
            code="date_order", field=field,
        )
    return period


def _require_kind_fits(kind: str, parent: Organization | None, field: str) -> None:
    allowed = ALLOWED_PARENT_KINDS[kind]
    if parent is None:
        if allowed:
            raise RuleViolation(
                _("%(kind)s phải trực thuộc một tổ chức cấp trên.")
                % {"kind": OrgKind(kind).label}, code="kind", field=field,
            )
        return
    if parent.kind not in allowed:
        raise RuleViolation(
            _("%(kind)s không thể trực thuộc %(parent_kind)s (%(parent)s).")
            % {"kind": OrgKind(kind).label, "parent_kind": OrgKind(parent.kind).label,
               "parent": parent.name},
            code="kind", field=field,
        )


def _require_village_free(village: Village, org: Organization | None, start: date) -> None:
    """At most one cell per village at any time."""
    others = Organization.objects.filter(village=village).exclude(ended_on__lte=start)
    if org is not None:
        others = others.exclude(pk=org.pk)
    other = others.first()
    if other is not None:
        raise RuleViolation(
            _("%(village)s đã có chi bộ %(cell)s (%(code)s) đang hoạt động.")
            % {"village": village.name, "cell": other.name, "code": other.code},
            code="village_taken", field="village",
        )


def _sync_latest(org_ids) -> None:
    """Copy each organization's latest period onto the organization row."""
    latest: dict[int, OrgPeriod] = {}
    for period in OrgPeriod.objects.filter(organization_id__in=org_ids).order_by("valid_from"):
        latest[period.organization_id] = period
    orgs = list(Organization.objects.filter(pk__in=latest))
    for org in orgs:
        period = latest[org.pk]
        org.name, org.parent_id, org.path = period.name, period.parent_id, period.path
        org.depth, org.search_key = period.depth, period.search_key
        org.sort_key, org.sector = period.sort_key, period.sector
    Organization.objects.bulk_update(
        orgs, ["name", "parent", "path", "depth", "search_key", "sort_key", "sector"],
        batch_size=500,
    )
    _follow_merges(org_ids)


def _follow_merges(org_ids) -> None:
    """Place organizations merged into these under them, for access: whoever now holds the
    successor also reads the history of what merged into it. Their periods keep the past."""
    targets = {o.pk: o for o in Organization.objects.filter(pk__in=org_ids)}
    while targets:
        merged = list(Organization.objects.filter(merged_into__in=targets))
        for org in merged:
            target = targets[org.merged_into_id]
            org.path, org.depth = f"{target.path}{org.pk}/", target.depth + 1
        Organization.objects.bulk_update(merged, ["path", "depth"], batch_size=500)
        targets = {o.pk: o for o in merged}


def _fresh(*orgs: Organization) -> None:
    """Read the rows again inside the transaction: permissions and the audit's "before" must see
    each organization where it is now, not where the caller's copy last saw it."""
    for org in orgs:
        org.refresh_from_db()


def _recheck(actor, org: Organization) -> None:
    """Re-check the permission on the saved row, inside the transaction (no moving out of scope)."""
    require(actor, Capability.MANAGE_ORGS, Organization.objects.get(pk=org.pk))


# Establishing and editing ---------------------------------------------------------------------

@dataclass
class NewOrganization:
    code: str
    name: str
    kind: str
    established_on: date
    parent: Organization | None = None
    sector: str = ""
    village: Village | None = None


def _check_new(data: NewOrganization) -> OrgPeriod | None:
    code = (data.code or "").strip()
    if not code or any(ch.isspace() for ch in code):
        raise RuleViolation(_("Mã tổ chức không được để trống hoặc chứa dấu cách."), field="code")
    if Organization.objects.filter(code=code).exists():
        raise RuleViolation(_("Mã %(code)s đã được dùng.") % {"code": code}, code="duplicate",
                            field="code")
    if not (data.name or "").strip():
        raise RuleViolation(_("Tên tổ chức không được để trống."), field="name")
    if data.kind not in ALLOWED_PARENT_KINDS:
        raise RuleViolation(_("Loại tổ chức không hợp lệ."), field="kind")
    _require_kind_fits(data.kind, data.parent, "parent")
    parent_period = None
    if data.parent is not None:
        if data.parent.established_on > data.established_on:
            raise RuleViolation(
                _("Tổ chức cấp trên %(parent)s thành lập ngày %(day)s, sau ngày thành lập của "
                  "tổ chức này.") % {"parent": data.parent.name,
                                     "day": _d(data.parent.established_on)},
                code="parent_younger", field="established_on",
            )
        parent_period = _require_open_parent(data.parent, data.established_on, "parent")
    if data.village is not None:
        if data.kind not in MEMBER_HOLDING_KINDS:
            raise RuleViolation(_("Chỉ chi bộ mới gắn với thôn, tổ dân phố."), field="village")
        _require_village_free(data.village, None, data.established_on)
    return parent_period


@transaction.atomic
def create_organization(data: NewOrganization, *, actor) -> Organization:
    """Establish an organization under its parent from `established_on`."""
    if data.parent is None and not actor.is_superuser:
        raise PermissionDenied(_("Chỉ quản trị hệ thống mới lập được tổ chức gốc."))
    require(actor, Capability.MANAGE_ORGS, data.parent)
    parent_period = _check_new(data)
    org = Organization.objects.create(
        code=data.code.strip(), name=data.name.strip(), kind=data.kind, sector=data.sector or "",
        village=data.village, established_on=data.established_on, parent=data.parent,
        path="", depth=0, search_key=search_key(data.name),
        sort_key=title_sort_key(data.name),
    )
    org.path = (parent_period.path if parent_period else "") + f"{org.pk}/"
    org.depth = parent_period.depth + 1 if parent_period else 0
    org.save(update_fields=["path", "depth"])
    OrgPeriod.objects.create(
        organization=org, parent=data.parent, name=org.name, search_key=org.search_key,
        sort_key=org.sort_key, sector=org.sector, path=org.path, depth=org.depth,
        valid_from=data.established_on,
    )
    # The re-check on the row as saved: its path was made here from the parent's period as read
    # inside this transaction, not from the caller's copy of the parent.
    require(actor, Capability.MANAGE_ORGS, org)
    record_change("organization.create", actor=actor, obj=org, after=snapshot(org))
    return org


@transaction.atomic
def update_organization(org: Organization, *, actor, name: str | None = None,
                        sector: str | None = None, village=...,
                        version: Expected = None) -> Organization:
    """Correct an organization's details. A name (a sector) fixed here is corrected in every
    period of the current name (sector); a dated change of name and sector is
    `rename_organization`. Refused when the organization changed since the `version` the
    caller saw (chibo.core.concurrency; None: not checked)."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    require(actor, Capability.MANAGE_ORGS, org)  # on the row as it is, not the caller's copy
    check_version(org, version)
    before = snapshot(org)
    if name is not None and name.strip() != org.name:
        if not name.strip():
            raise RuleViolation(_("Tên tổ chức không được để trống."), field="name")
        OrgPeriod.objects.filter(organization=org, name=org.name).update(
            name=name.strip(), search_key=search_key(name), sort_key=title_sort_key(name)
        )
        org.name, org.search_key = name.strip(), search_key(name)
        org.sort_key = title_sort_key(name)
    if sector is not None and sector != org.sector:
        if sector and sector not in Sector.values:
            raise RuleViolation(_("Loại hình không hợp lệ."), field="sector")
        OrgPeriod.objects.filter(organization=org, sector=org.sector).update(sector=sector)
        org.sector = sector
    if village is not ... and village != org.village:
        if village is not None:
            if org.kind not in MEMBER_HOLDING_KINDS:
                raise RuleViolation(_("Chỉ chi bộ mới gắn với thôn, tổ dân phố."),
                                    field="village")
            _require_village_free(village, org, org.established_on)
        org.village = village
    org.save()
    record_change("organization.update", actor=actor, obj=org, before=before,
                  after=snapshot(org))
    return org


# Reorganizations ---------------------------------------------------------------------------

def _record_reorganization(org, change, day, **fields) -> Reorganization:
    anchor_after_commit()  # a reorganization is anchored outside the database (docs/security.md)
    return Reorganization.objects.create(organization=org, change=change, effective_on=day,
                                         **fields)


def _replace(old_prefix: str, new_prefix: str, day: date, *, roots: list[int],
             new_parent: Organization, leave: Organization | None = None) -> None:
    """From `day`, give what stands under `old_prefix` the place under `new_prefix`.

    `roots` (the organizations at the top of what moves) get `new_parent`; every path below
    follows by replacing the prefix, in a few statements whatever the size of the subtree. A
    period that began before `day` ends on `day` and a copy in the new place starts then; one
    that begins on `day` is changed in place. `leave` (an organization merging away) keeps its
    place: it ends on `day`. Organization rows follow their latest period, and so do the rows of
    organizations merged into them (placed under their successor for access) — but not the
    rows of dissolved organizations, which keep the place where they ended.

    The date-order rule (`_require_date_order`) has made sure that nothing in the subtree
    changes after `day`, so the periods that hold on `day` are the latest ones."""
    lock_placements(exclusive=True)
    shift = new_prefix.count("/") - old_prefix.count("/")
    periods = OrgPeriod.objects.as_of(day).in_subtree(old_prefix)
    if leave is not None:
        periods = periods.exclude(organization=leave)
    copies = [OrgPeriod(
        organization_id=p.organization_id, name=p.name, search_key=p.search_key,
        sort_key=p.sort_key, sector=p.sector,
        parent_id=new_parent.pk if p.organization_id in roots else p.parent_id,
        path=new_prefix + p.path[len(old_prefix):], depth=p.depth + shift,
        valid_from=day, valid_to=p.valid_to,
    ) for p in periods.filter(valid_from__lt=day)]
    periods.filter(valid_from=day).update(path=moved_path(old_prefix, new_prefix),
                                          depth=F("depth") + shift)
    periods.filter(valid_from__lt=day).update(valid_to=day)
    OrgPeriod.objects.bulk_create(copies, batch_size=500)
    OrgPeriod.objects.filter(organization_id__in=roots, valid_from=day).update(parent=new_parent)
    for hook in REPLACE_HOOKS:
        hook(old_prefix, new_prefix, day, old_prefix if leave is not None else None)

    rows = Organization.objects.in_subtree(old_prefix)
    for path in rows.filter(ended_on__isnull=False, merged_into__isnull=True).values_list(
            "path", flat=True):  # dissolved, with what merged into them before
        rows = rows.exclude(path__gte=path, path__lt=subtree_range(path)[1])
    if leave is not None:
        rows = rows.exclude(pk=leave.pk)
    rows.update(path=moved_path(old_prefix, new_prefix), depth=F("depth") + shift)
    Organization.objects.filter(pk__in=roots).update(parent=new_parent)


def _check_new_place(org, period, new_parent, day, field) -> OrgPeriod:
    parent_period = _require_open_parent(new_parent, day, field)
    # The cycle before the kinds: the kinds alone would refuse it too (a kind never fits under
    # itself or its descendants), but with a message that hides the real fault.
    if parent_period.path.startswith(period.path):
        raise RuleViolation(
            _("Không thể đưa %(name)s vào trực thuộc chính nó hoặc tổ chức cấp dưới của nó "
              "(%(parent)s).") % {"name": org.name, "parent": new_parent.name},
            code="cycle", field=field,
        )
    _require_kind_fits(org.kind, new_parent, field)
    return parent_period


@transaction.atomic
def move_organization(org: Organization, *, actor, new_parent: Organization, effective_on: date,
                      decision_no: str = "", note: str = "") -> Reorganization:
    """Move `org` with its whole subtree under `new_parent` from `effective_on`."""
    _fresh(org, new_parent)
    require(actor, Capability.MANAGE_ORGS, org)
    require(actor, Capability.MANAGE_ORGS, new_parent)
    before = snapshot(org)
    period = _require_period(org, effective_on, "effective_on")
    _require_date_order(org, period, effective_on, "effective_on")
    if period.parent_id == new_parent.pk:
        raise RuleViolation(
            _("%(name)s đã trực thuộc %(parent)s.") % {"name": org.name, "parent": new_parent.name},
            code="same_parent", field="new_parent",
        )
    parent_period = _check_new_place(org, period, new_parent, effective_on, "new_parent")
    old_parent_id = period.parent_id
    _replace(period.path, f"{parent_period.path}{org.pk}/", effective_on, roots=[org.pk],
             new_parent=new_parent)
    org.refresh_from_db()
    _recheck(actor, org)
    change = _record_reorganization(
        org, ChangeKind.MOVE, effective_on, new_parent=new_parent, old_parent_id=old_parent_id,
        decision_no=decision_no, note=note,
    )
    record_change("organization.move", actor=actor, obj=org, before=before,
                  after={**snapshot(org), "effective_on": effective_on, "decision_no": decision_no})
    return change


@transaction.atomic
def rename_organization(org: Organization, *, actor, new_name: str, effective_on: date,
                        new_sector: str | None = None, decision_no: str = "",
                        note: str = "") -> Reorganization:
    """Give `org` a new name from `effective_on`, and a new sector when `new_sector` is given (a
    town's committee renamed as a commune's); earlier dates keep the old name and sector."""
    _fresh(org)
    require(actor, Capability.MANAGE_ORGS, org)
    new_name = (new_name or "").strip()
    if not new_name:
        raise RuleViolation(_("Tên mới không được để trống."), field="new_name")
    if new_sector and new_sector not in Sector.values:
        raise RuleViolation(_("Loại hình không hợp lệ."), field="new_sector")
    before = snapshot(org)
    period = _require_period(org, effective_on, "effective_on")
    _require_date_order(org, period, effective_on, "effective_on")
    if new_sector == period.sector:
        new_sector = None  # unchanged: recorded as no change of sector
    if period.name == new_name and not new_sector:
        raise RuleViolation(_("Tên mới trùng tên hiện tại."), field="new_name")
    old_name, old_sector = period.name, period.sector
    sector = new_sector or period.sector
    if period.valid_from == effective_on:
        period.name, period.search_key = new_name, search_key(new_name)
        period.sort_key, period.sector = title_sort_key(new_name), sector
        period.save(update_fields=["name", "search_key", "sort_key", "sector"])
    else:
        OrgPeriod.objects.create(
            organization=org, parent_id=period.parent_id, name=new_name,
            search_key=search_key(new_name), sort_key=title_sort_key(new_name), sector=sector,
            path=period.path, depth=period.depth,
            valid_from=effective_on, valid_to=period.valid_to,
        )
        period.valid_to = effective_on
        period.save(update_fields=["valid_to"])
    _sync_latest([org.pk])
    org.refresh_from_db()
    change = _record_reorganization(org, ChangeKind.RENAME, effective_on, new_name=new_name,
                                    old_name=old_name, new_sector=new_sector or "",
                                    old_sector=old_sector, decision_no=decision_no, note=note)
    record_change("organization.rename", actor=actor, obj=org, before=before,
                  after={**snapshot(org), "effective_on": effective_on, "decision_no": decision_no})
    return change


def _close(org: Organization, period: OrgPeriod, day: date, merged_into=None) -> None:
    period.valid_to = day
    period.save(update_fields=["valid_to"])
    org.ended_on, org.merged_into = day, merged_into
    org.save(update_fields=["ended_on", "merged_into"])


def _require_can_end(org: Organization, period: OrgPeriod, day: date) -> None:
    if day <= org.established_on:
        raise RuleViolation(_("Ngày giải thể phải sau ngày thành lập (%(day)s).")
                            % {"day": _d(org.established_on)}, field="effective_on")
    _require_date_order(org, period, day, "effective_on")


@transaction.atomic
def dissolve_organization(org: Organization, *, actor, effective_on: date,
                          decision_no: str = "", note: str = "",
                          capability: str = Capability.MANAGE_ORGS) -> Reorganization:
    """End `org` from `effective_on`. It must hold no organizations and no members then.
    `capability`: what allows the actor (`org.manage`; a discipline decision of dissolution
    takes effect under `inspection.manage`)."""
    _fresh(org)
    require(actor, capability, org)
    before = snapshot(org)
    period = _require_period(org, effective_on, "effective_on")
    _require_can_end(org, period, effective_on)
    child = (OrgPeriod.objects.filter(parent=org, valid_to__gt=effective_on)
             .select_related("organization").first())
    if child is not None:
        raise RuleViolation(
            _("Không thể giải thể %(name)s: còn tổ chức trực thuộc %(child)s (%(code)s) vào ngày "
              "%(day)s.") % {"name": org.name, "child": child.name,
                             "code": child.organization.code, "day": _d(effective_on)},
            code="not_empty", field="effective_on",
        )
    for check in OCCUPANCY_CHECKS:
        if message := check(org, effective_on):
            raise RuleViolation(message, code="not_empty", field="effective_on")
    _close(org, period, effective_on)
    change = _record_reorganization(org, ChangeKind.DISSOLVE, effective_on,
                                    decision_no=decision_no, note=note)
    record_change("organization.dissolve", actor=actor, obj=org, before=before,
                  after={**snapshot(org), "decision_no": decision_no})
    return change


@transaction.atomic
def merge_organization(org: Organization, *, actor, into: Organization, effective_on: date,
                       decision_no: str = "", note: str = "") -> Reorganization:
    """Merge `org` into `into` from `effective_on`: its child organizations move under `into`,
    its members count in `into` (members follow merges), and `org` ends."""
    _fresh(org, into)
    require(actor, Capability.MANAGE_ORGS, org)
    require(actor, Capability.MANAGE_ORGS, into)
    before = snapshot(org)
    period = _require_period(org, effective_on, "effective_on")
    _require_can_end(org, period, effective_on)
    if into.pk == org.pk:
        raise RuleViolation(_("Không thể hợp nhất một tổ chức vào chính nó."), code="cycle",
                            field="into")
    into_period = _require_open_parent(into, effective_on, "into")
    if into_period.path.startswith(period.path):
        raise RuleViolation(_("Không thể hợp nhất %(name)s vào tổ chức cấp dưới của nó.")
                            % {"name": org.name}, code="cycle", field="into")
    if org.kind in MEMBER_HOLDING_KINDS and into.kind not in MEMBER_HOLDING_KINDS:
        raise RuleViolation(_("Đảng viên của một chi bộ chỉ có thể hợp nhất vào một chi bộ."),
                            code="kind", field="into")
    if org.kind not in MEMBER_HOLDING_KINDS and into.kind != org.kind:
        raise RuleViolation(
            _("%(kind)s chỉ có thể hợp nhất vào một %(same)s.")
            % {"kind": OrgKind(org.kind).label, "same": OrgKind(org.kind).label.lower()},
            code="kind", field="into")
    children = list(Organization.objects.filter(
        pk__in=OrgPeriod.objects.as_of(effective_on).filter(parent=org).values("organization")))
    for child in children:
        _require_kind_fits(child.kind, into, "into")
    # The children, with their subtrees, go under `into`; `org` stays where it ends. Rows merged
    # into `org` earlier are placed again below, under `org`'s own new place.
    _replace(period.path, into_period.path, effective_on, roots=[c.pk for c in children],
             new_parent=into, leave=org)
    _close(org, period, effective_on, merged_into=into)
    _follow_merges([into.pk])
    for hook in MERGE_HOOKS:
        hook(org, into, effective_on)
    change = _record_reorganization(org, ChangeKind.MERGE, effective_on, into=into,
                                    decision_no=decision_no, note=note)
    record_change("organization.merge", actor=actor, obj=org, before=before,
                  after={**snapshot(org), "decision_no": decision_no})
    return change


def reorganize(org: Organization, *, actor, change: str, effective_on: date,
               new_parent: Organization | None = None, new_name: str = "",
               new_sector: str | None = None, into: Organization | None = None,
               decision_no: str = "", note: str = "",
               version: Expected = None) -> Reorganization:
    """One entry point for a reorganization named by its kind (API, bundle import, forms).
    With the `version` of `org` the caller saw, refused when the organization changed since
    (chibo.core.concurrency): checked and made in one transaction."""
    if version is not None:
        with transaction.atomic():
            lock_placements(exclusive=True)  # first, as a move takes it: see update_member
            locked = Organization.objects.select_for_update().get(pk=org.pk)
            require(actor, Capability.MANAGE_ORGS, locked)  # a refusal before a stale version
            check_version(locked, version)
            return reorganize(org, actor=actor, change=change, effective_on=effective_on,
                              new_parent=new_parent, new_name=new_name, new_sector=new_sector,
                              into=into, decision_no=decision_no, note=note)
    common = {"actor": actor, "effective_on": effective_on, "decision_no": decision_no,
              "note": note}
    if change == ChangeKind.MOVE:
        if new_parent is None:
            raise RuleViolation(_("Cần chọn tổ chức cấp trên mới."), field="new_parent")
        return move_organization(org, new_parent=new_parent, **common)
    if change == ChangeKind.RENAME:
        return rename_organization(org, new_name=new_name, new_sector=new_sector, **common)
    if change == ChangeKind.MERGE:
        if into is None:
            raise RuleViolation(_("Cần chọn tổ chức hợp nhất vào."), field="into")
        return merge_organization(org, into=into, **common)
    if change == ChangeKind.DISSOLVE:
        return dissolve_organization(org, **common)
    raise RuleViolation(_("Loại thay đổi không hợp lệ: %(change)s") % {"change": change},
                        field="change")


# Villages --------------------------------------------------------------------------------------

def _village_snapshot(village: Village) -> dict:
    return {"code": village.code, "name": village.name, "kind": village.kind,
            "commune": village.commune.code, "established_on": village.established_on}


@transaction.atomic
def create_village(*, actor, code: str, name: str, kind: str, commune: Organization,
                   established_on: date | None = None) -> Village:
    require(actor, Capability.MANAGE_ORGS, commune)
    code = (code or "").strip()
    if not code or any(ch.isspace() for ch in code):
        raise RuleViolation(_("Mã thôn không được để trống hoặc chứa dấu cách."), field="code")
    if Village.objects.filter(code=code).exists():
        raise RuleViolation(_("Mã %(code)s đã được dùng.") % {"code": code}, field="code")
    if not (name or "").strip():
        raise RuleViolation(_("Tên thôn không được để trống."), field="name")
    if kind not in VillageKind.values:
        raise RuleViolation(_("Loại thôn không hợp lệ."), field="kind")
    if commune.kind != OrgKind.GRASSROOTS_COMMITTEE and commune.kind != OrgKind.GRASSROOTS_CELL:
        raise RuleViolation(_("Thôn, tổ dân phố phải thuộc một đảng bộ xã, phường, thị trấn."),
                            field="commune")
    village = Village.objects.create(code=code, name=name.strip(), kind=kind, commune=commune,
                                     established_on=established_on, search_key=search_key(name),
                                     sort_key=title_sort_key(name))
    record_change("village.create", actor=actor, obj=village, org=commune,
                  after=_village_snapshot(village))
    return village
