"""Download pages of the admission forms (6-KNĐ, 8-KNĐ, 9-KNĐ of a candidate) and of the report
"Công tác phát triển đảng viên" of a period.

Who may download: an organization outside the user's scope looks absent (404). The forms
carry a candidate's personal file (birth date, home, religion, sponsors) and are drafted by
the committees that run the admission: they need `admission.manage` on the candidate's cell
(a statistics reader, `stats.view`, reads numbers, not people's files). The report is numbers
of a subtree: `stats.view` on the organization, as every statistics report.

A form asked before its step answers 409 with the reason as plain text (the link is shown
only once the step is recorded); a province's template that cannot be used answers 409 with
the file and the placeholders at fault.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from chibo.accounts.policy import Capability, require
from chibo.admission import documents, report
from chibo.admission.capabilities import MANAGE_ADMISSION
from chibo.admission.models import Candidate
from chibo.admission.views import visible_candidate
from chibo.organizations.views import visible_org
from chibo.stats.forms import PeriodForm
from chibo.stats.reports import TemplateError

TEXT = "text/plain; charset=utf-8"


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    return HttpResponse(content, content_type=content_type,
                        headers={"Content-Disposition": content_disposition_header(True, name)})


def managed_candidate(request, code: str) -> Candidate:
    """The candidate by code, for who manages the admission in its cell; 404 outside the
    user's scope, 403 without the capability."""
    candidate = visible_candidate(request, code)
    require(request.user, MANAGE_ADMISSION, candidate.cell)
    return candidate


def candidate_forms(request, code: str):
    """The candidate's three forms, each a download once its step is recorded."""
    candidate = managed_candidate(request, code)
    forms = [(form, getattr(candidate, form.step) is not None)
             for form in documents.FORMS.values()]
    return render(request, "admission/candidate_forms.html",
                  {"candidate": candidate, "forms": forms})


def form_download(request, code: str, form: str):
    candidate = managed_candidate(request, code)
    chosen = documents.form_of(form)
    if chosen is None:
        raise Http404(form)
    try:
        content = documents.render(chosen, candidate)
    except (documents.FormNotReady, documents.FormTemplateError) as refusal:
        return HttpResponse(" ".join(refusal.messages), status=409, content_type=TEXT)
    return _attachment(content, documents.CONTENT_TYPE, documents.filename(chosen, candidate))


def report_page(request, code: str):
    """The period form of the report; its button downloads the workbook."""
    org = visible_org(request, code)
    require(request.user, Capability.VIEW_STATS, org)
    form = PeriodForm(request.GET or None)
    return render(request, "admission/report_form.html", {"org": org, "form": form})


def report_download(request, code: str):
    org = visible_org(request, code)
    require(request.user, Capability.VIEW_STATS, org)
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return HttpResponse(form.error_text(), status=400, content_type=TEXT)
    try:
        built = report.build(org, *form.period())
    except TemplateError as error:
        return HttpResponse(str(error), status=409, content_type=TEXT)
    content, content_type = report.xlsx(built)
    return _attachment(content, content_type, report.filename(built))
