"""API of the yearly ratings report of an organization's subtree (chibo.ratings.report), with
the page's rules (chibo.ratings.report_views): outside the caller's scope 404, without
`stats.view` there 403, a year that cannot be read 400, a province's template that cannot be
used 409 with the reason."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from chibo.accounts.policy import Capability, require
from chibo.core.errors import ErrorOut
from chibo.core.validation import api_code
from chibo.organizations.models import Organization
from chibo.ratings import report
from chibo.stats.reports import TemplateError

router = Router(tags=["ratings"])


class RatingsReportQuery(Schema):
    org: api_code(64)
    year: int


@router.get("/report", response={200: None, 409: ErrorOut}, url_name="ratings_report")
def ratings_report(request, query: Query[RatingsReportQuery]):
    """"Báo cáo kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên" of `org`'s
    subtree for `year` (YYYY), as an Excel workbook."""
    organization = get_object_or_404(Organization.objects.visible_to(request.user),
                                     code=query.org)
    require(request.user, Capability.VIEW_STATS, organization)
    try:
        built = report.build(organization, report.parse_year(query.year))
    except report.BadYear as error:
        raise HttpError(400, str(error)) from error
    except TemplateError as error:
        raise HttpError(409, str(error)) from error
    content, content_type = report.render(built)
    return HttpResponse(content, content_type=content_type, headers={
        "Content-Disposition": content_disposition_header(True, report.filename(built))})
