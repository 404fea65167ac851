"""API of removal from the list (`/api/v1/removals/cases`): the cases of a subtree, one case, the
cell's proposal and the committee's decision.

Reads need `member.view` where the case lies (a removal is part of the member's file): an
officer who sees the organization without it gets 403, one outside it 404, the anonymous
visitor 401. A proposal needs `removal.propose` on the member's cell, a decision
`removal.decide` on the deciding committee. A ground the records do not show, like any input the
rules refuse, is a 422 naming the field. A decision sent with `If-Match` (the case's `ETag`) is
refused (412) when the case changed since it was read.
"""

from datetime import date

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from chibo.accounts.policy import Capability, require
from chibo.core.concurrency import IF_MATCH, IfMatch, if_match, send_version
from chibo.core.querysets import path_scope_q
from chibo.core.validation import api_code, api_date, api_limit, api_offset, api_text, record_id
from chibo.members.models import Member
from chibo.members.queries import in_reach
from chibo.organizations.models import Organization
from chibo.removal import services
from chibo.removal.capabilities import DECIDE_REMOVAL
from chibo.removal.choices import Outcome
from chibo.removal.models import RemovalCase

router = Router(tags=["removal"])
Code = api_code(64)


class RemovalOut(Schema):
    id: int
    member_code: str
    name: str
    cell: str
    grounds: list[str]
    evidence: dict[str, str] = Field(description="what the records showed of each recorded "
                                                 "ground on the day of the proposal")
    document: str
    proposed_on: date
    note: str
    outcome: str
    decided_on: date | None
    decision_no: str
    decided_by: str | None


class RemovalPage(Schema):
    count: int
    items: list[RemovalOut]
    next: int | None


class RemovalFilters(Schema):
    org: Code
    outcome: Outcome | None = None
    offset: api_offset() = 0
    limit: api_limit(500) = 50


class RemovalIn(Schema):
    member_code: Code
    grounds: list[api_code(32)] = Field(min_length=1, max_length=10, description=(
        "unexcused_absence, unpaid_dues, not_complete_two_years (shown by the records); "
        "card_returned, no_progress, political_standard (with `document`)"))
    proposed_on: api_date()
    document: api_text(RemovalCase, "document") = ""
    note: api_text(RemovalCase, "note") = ""


class RemovalDecisionIn(Schema):
    outcome: Outcome = Field(description="removed or rejected")
    decided_on: api_date()
    decided_by: Code = Field(description="the deciding committee, above the cell")
    decision_no: api_text(RemovalCase, "decision_no") = ""


def _out(case: RemovalCase) -> dict:
    return {"id": case.pk, "member_code": case.member.member_code, "name": case.member.full_name,
            "cell": case.cell.code, "grounds": list(case.grounds),
            "evidence": dict(case.evidence), "document": case.document,
            "proposed_on": case.proposed_on, "note": case.note, "outcome": case.outcome,
            "decided_on": case.decided_on, "decision_no": case.decision_no,
            "decided_by": case.decided_by.code if case.decided_by_id else None}


def _case(request, case_id: int) -> RemovalCase:
    case = get_object_or_404(RemovalCase.objects.visible_to(request.user).select_related(
        "member", "cell", "decided_by"), pk=case_id)
    require(request.user, Capability.VIEW_MEMBERS, case.cell)
    return case


@router.get("/cases", response=RemovalPage)
def list_removals(request, filters: Query[RemovalFilters]):
    """The cases of `org`'s subtree, newest proposal first."""
    org = get_object_or_404(Organization.objects.visible_to(request.user), code=filters.org)
    require(request.user, Capability.VIEW_MEMBERS, org)
    rows = RemovalCase.objects.visible_to(request.user).filter(
        path_scope_q([org.path], "cell__path")).select_related("member", "cell", "decided_by")
    if filters.outcome:
        rows = rows.filter(outcome=filters.outcome)
    count = rows.count()
    offset, limit = filters.offset, filters.limit
    return {"count": count, "items": [_out(c) for c in rows[offset:offset + limit]],
            "next": offset + limit if count > offset + limit else None}


@router.get("/cases/{case_id}", response=RemovalOut)
def get_removal(request, case_id: record_id(), response: HttpResponse):
    """One case; its `ETag` is the version to decide it with."""
    case = _case(request, case_id)
    send_version(response, case)
    return _out(case)


@router.post("/cases", response={201: RemovalOut})
def propose_removal(request, payload: RemovalIn):
    """The cell's proposal to remove one of its members from the list."""
    member = in_reach(request.user, Member, payload.member_code, "member_code")
    case = services.propose_removal(services.NewRemoval(
        member=member, grounds=payload.grounds, proposed_on=payload.proposed_on,
        document=payload.document, note=payload.note), actor=request.user)
    return Status(201, _out(case))


@router.post("/cases/{case_id}/decision", response={200: RemovalOut, **IF_MATCH})
def decide_removal(request, case_id: record_id(), payload: RemovalDecisionIn,
                   response: HttpResponse, if_match_header: IfMatch = None):
    """The committee's decision: `removed` records the member's `remove` event."""
    case = _case(request, case_id)
    require(request.user, DECIDE_REMOVAL, case.cell)  # whoever decides above holds it here
    decided_by = in_reach(request.user, Organization, payload.decided_by, "decided_by")
    case = services.decide_removal(
        case, outcome=payload.outcome, decided_on=payload.decided_on, decided_by=decided_by,
        decision_no=payload.decision_no, actor=request.user,
        version=if_match(if_match_header, required=False))
    send_version(response, case)
    return _out(case)
