"""API of the organization tree: list and read as of a date, create, update, reorganize."""

from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from chibo.accounts.policy import Capability, require
from chibo.core.concurrency import IF_MATCH, IF_MATCH_REQUIRED, IfMatch, if_match, send_version
from chibo.core.exceptions import RuleViolation
from chibo.core.validation import api_code, api_date, api_text
from chibo.organizations import queries, services
from chibo.organizations.choices import ChangeKind, OrgKind, Sector
from chibo.organizations.models import Organization, Reorganization, Village

router = Router(tags=["organizations"])


class OrganizationOut(Schema):
    code: str
    name: str = Field(description="the name on `as_of`")
    kind: OrgKind
    sector: str = Field(description="the sector on `as_of`")
    parent: str | None = Field(description="the parent's code on `as_of`")
    village: str | None
    established_on: date
    ended_on: date | None
    merged_into: str | None
    children: int = Field(description="number of child organizations on `as_of`")


Code = api_code(64)
Name = api_text(Organization, "name", required=True)


class OrganizationIn(Schema):
    code: Code
    name: Name
    kind: OrgKind
    sector: Sector | None = None
    parent: Code | None = None
    established_on: api_date()
    village: Code | None = None


class OrganizationPatch(Schema):
    name: Name | None = None
    sector: Sector | None = None
    village: api_code(required=False) | None = Field(
        None, description="village code; empty string unlinks")


class ReorganizationIn(Schema):
    change: ChangeKind
    effective_on: api_date()
    new_parent: Code | None = None
    new_name: api_text(Reorganization, "new_name") = ""
    new_sector: Sector | None = Field(
        None, description="for `rename`: the sector from `effective_on` (default: unchanged)")
    into: Code | None = None
    decision_no: api_text(Reorganization, "decision_no") = ""
    note: api_text(Reorganization, "note") = ""


class ReorganizationOut(Schema):
    org: str
    change: str
    effective_on: date


def _out(node: queries.TreeNode) -> dict:
    org, period = node.org, node.period
    return {
        "code": org.code, "name": period.name, "kind": org.kind, "sector": period.sector,
        "parent": period.parent.code if period.parent else None,
        "village": org.village.code if org.village else None,
        "established_on": org.established_on, "ended_on": org.ended_on,
        "merged_into": org.merged_into.code if org.merged_into else None,
        "children": node.child_count,
    }


def _visible(request, code: str, capability=Capability.VIEW_ORGS) -> Organization:
    return get_object_or_404(Organization.objects.visible_to(request.user, capability), code=code)


def _referenced(request, code: str | None, field: str) -> Organization | None:
    """An organization named in the input: unknown or out of scope is an input error."""
    if not code:
        return None
    org = Organization.objects.visible_to(request.user).filter(code=code).first()
    if org is None:
        raise RuleViolation(_("Không có tổ chức mã %(code)s.") % {"code": code}, field=field)
    return org


def _village(request, code: str | None) -> Village | None:
    """A village named in the input, among those the caller may see."""
    if not code:
        return None
    village = Village.objects.visible_to(request.user).filter(code=code).first()
    if village is None:
        raise RuleViolation(_("Không có thôn mã %(code)s.") % {"code": code}, field="village")
    return village


@router.get("", response=list[OrganizationOut])
def list_organizations(request, parent: Code | None = None, as_of: api_date() | None = None):
    """The children of `parent` on `as_of` (default today), or the caller's top organizations."""
    day = as_of or timezone.localdate()
    if parent:
        nodes = queries.children(request.user, _visible(request, parent), day)
    else:
        nodes = queries.top_nodes(request.user, day)
    return [_out(node) for node in nodes]


def _read(request, org: Organization, day: date, response: HttpResponse) -> dict:
    """The organization as of `day`, its version in the answer's `ETag`."""
    period = queries.visible_periods(request.user, day).filter(organization=org).first()
    if period is None:
        raise Http404(_("Tổ chức không tồn tại vào ngày này."))
    send_version(response, org)
    return _out(queries.with_child_counts([period], day)[0])


@router.get("/{code}", response=OrganizationOut)
def get_organization(request, code: Code, response: HttpResponse,
                     as_of: api_date() | None = None):
    """An organization as of a day; its `ETag` is the version to send back in `If-Match` to
    change it (the same whatever `as_of`: it versions the stored record)."""
    return _read(request, _visible(request, code), as_of or timezone.localdate(), response)


@router.post("", response={201: OrganizationOut})
def create_organization(request, payload: OrganizationIn, response: HttpResponse):
    parent = _referenced(request, payload.parent, "parent")
    if parent is not None:
        require(request.user, Capability.MANAGE_ORGS, parent)
    data = services.NewOrganization(
        code=payload.code, name=payload.name, kind=payload.kind, sector=payload.sector or "",
        parent=parent, established_on=payload.established_on,
        village=_village(request, payload.village),
    )
    org = services.create_organization(data, actor=request.user)
    day = max(org.established_on, timezone.localdate())
    return Status(201, _read(request, org, day, response))


@router.patch("/{code}", response={200: OrganizationOut, **IF_MATCH_REQUIRED})
def update_organization(request, code: Code, payload: OrganizationPatch, response: HttpResponse,
                        if_match_header: IfMatch = None):
    """Correct the name, sector or village. Send `If-Match` with the organization's `ETag`:
    without it the answer is 428, and 412 (nothing written) when it has changed since."""
    org = _visible(request, code)
    require(request.user, Capability.MANAGE_ORGS, org)  # 403 before 428 or 412
    versions = if_match(if_match_header, required=True)
    changes = payload.dict(exclude_unset=True)
    if "village" in changes:
        changes["village"] = _village(request, changes["village"])
    org = services.update_organization(org, actor=request.user, version=versions, **changes)
    return _read(request, org, timezone.localdate(), response)


@router.post("/{code}/reorganizations", response={201: ReorganizationOut, **IF_MATCH})
def reorganize(request, code: Code, payload: ReorganizationIn, response: HttpResponse,
               if_match_header: IfMatch = None):
    """A dated change (move, rename, merge, dissolve). With `If-Match` (the organization's
    `ETag`), refused (412) when the organization has changed since it was read; the answer's
    `ETag` is its new version."""
    org = _visible(request, code)
    change = services.reorganize(
        org, actor=request.user, change=payload.change, effective_on=payload.effective_on,
        new_parent=_referenced(request, payload.new_parent, "new_parent"),
        new_name=payload.new_name, new_sector=payload.new_sector,
        into=_referenced(request, payload.into, "into"),
        decision_no=payload.decision_no, note=payload.note,
        version=if_match(if_match_header, required=False),
    )
    send_version(response, org)
    return Status(201, {"org": org.code, "change": change.change,
                        "effective_on": change.effective_on})
