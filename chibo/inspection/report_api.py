"""API of the report "Báo cáo công tác kiểm tra, giám sát và thi hành kỷ luật đảng" of an
organization's subtree and a period, with the page's rules (chibo.inspection.report_views):
outside the caller's scope 404, without `inspection.view` there 403, a period that cannot be
read 400, a province's template that cannot be used 409 with the reason."""

from typing import Literal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from chibo.accounts.policy import require
from chibo.core.errors import ErrorOut
from chibo.core.validation import api_code, api_date
from chibo.inspection import report
from chibo.inspection.capabilities import VIEW_INSPECTION
from chibo.organizations.models import Organization
from chibo.stats.forms import PeriodForm
from chibo.stats.reports import TemplateError

router = Router(tags=["inspection"])

Day = api_date()


class InspectionReportQuery(Schema):
    org: api_code(64)
    date_from: Day | None = Field(None, alias="from")
    date_to: Day | None = Field(None, alias="to")
    format: Literal["xlsx", "docx"] = "xlsx"


@router.get("/report", response={200: None, 409: ErrorOut}, url_name="inspection_report")
def inspection_report(request, query: Query[InspectionReportQuery]):
    """"Báo cáo công tác kiểm tra, giám sát và thi hành kỷ luật đảng" of `org`'s subtree from
    `from` to `to` (YYYY-MM-DD; default: 1 January of `to`'s year to today), as `format`
    (.xlsx or .docx)."""
    organization = get_object_or_404(Organization.objects.visible_to(request.user),
                                     code=query.org)
    require(request.user, VIEW_INSPECTION, organization)
    # the page's form judges the period, so that both ways in refuse with the same words
    period = PeriodForm.of(query.date_from, query.date_to)
    if not period.is_valid():
        raise HttpError(400, period.error_text())
    try:
        built = report.build(organization, *period.period())
    except TemplateError as error:
        raise HttpError(409, str(error)) from error
    content, content_type = report.render(built, query.format)
    return HttpResponse(content, content_type=content_type, headers={
        "Content-Disposition": content_disposition_header(
            True, report.filename(built, query.format))})
