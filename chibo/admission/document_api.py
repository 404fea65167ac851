"""API of the admission downloads, with the pages' rules (chibo.admission.document_views): a
candidate's form (6-KNĐ, 8-KNĐ, 9-KNĐ) as a Word file, for `admission.manage` on the
candidate's cell; the report "Công tác phát triển đảng viên" of an organization's subtree and a
period as an Excel file, for `stats.view` there. Outside the caller's scope: 404. A form before
its step, or a province's template that cannot be used: 409 with the reason."""

from enum import StrEnum

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from chibo.accounts.policy import Capability, require
from chibo.admission import documents, report
from chibo.admission.api import CandidateCode
from chibo.admission.capabilities import MANAGE_ADMISSION
from chibo.admission.models import Candidate
from chibo.core.errors import ErrorOut
from chibo.core.validation import api_code, api_date
from chibo.organizations.models import Organization
from chibo.stats.forms import PeriodForm
from chibo.stats.reports import TemplateError

router = Router(tags=["admission"])

FormKey = StrEnum("FormKey", {key.replace("-", "_").upper(): key for key in documents.FORMS})
Day = api_date()
FILE = {200: None, 409: ErrorOut}


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    return HttpResponse(content, content_type=content_type,
                        headers={"Content-Disposition": content_disposition_header(True, name)})


@router.get("/candidates/{code}/forms/{form}", response=FILE, url_name="admission_form")
def candidate_form(request, code: CandidateCode, form: FormKey):
    """The candidate's form filled from the file (.docx), once its step is recorded."""
    candidate = get_object_or_404(
        Candidate.objects.visible_to(request.user, Capability.VIEW_MEMBERS).select_related(
            "cell", "sponsor1", "sponsor2", "decided_by"), code=code)
    require(request.user, MANAGE_ADMISSION, candidate.cell)
    chosen = documents.FORMS[form.value]
    try:
        content = documents.render(chosen, candidate)
    except (documents.FormNotReady, documents.FormTemplateError) as refusal:
        raise HttpError(409, " ".join(refusal.messages)) from refusal
    return _attachment(content, documents.CONTENT_TYPE, documents.filename(chosen, candidate))


class ReportQuery(Schema):
    org: api_code(64)
    date_from: Day | None = Field(None, alias="from")
    date_to: Day | None = Field(None, alias="to")


@router.get("/report", response=FILE, url_name="admission_report")
def admission_report(request, query: Query[ReportQuery]):
    """"Công tác phát triển đảng viên" (.xlsx) of `org`'s subtree from `from` to `to`
    (YYYY-MM-DD; default: 1 January of `to`'s year to today); stocks as of `to`."""
    organization = get_object_or_404(Organization.objects.visible_to(request.user),
                                     code=query.org)
    require(request.user, Capability.VIEW_STATS, organization)
    # the page's form judges the period, so that both ways in refuse with the same words
    period = PeriodForm.of(query.date_from, query.date_to)
    if not period.is_valid():
        raise HttpError(400, period.error_text())
    try:
        built = report.build(organization, *period.period())
    except TemplateError as error:
        raise HttpError(409, str(error)) from error
    content, content_type = report.xlsx(built)
    return _attachment(content, content_type, report.filename(built))
