"""The page and downloads of the report "Báo cáo công tác kiểm tra, giám sát và thi hành kỷ
luật đảng" of an organization's subtree and a period (chibo.inspection.report), Excel or Word.

Who may read it: an organization outside the user's scope looks absent (404); in scope, the
numbers of the subtree's inspection and discipline cases need `inspection.view` there (403
without: the committee and inspection commission of the subtree read them, as the cases). A
period that cannot be read answers 400 with the reasons; a province's template that cannot be
used 409 with the file and the row at fault, as plain text.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from chibo.accounts.policy import require
from chibo.inspection import report
from chibo.inspection.capabilities import VIEW_INSPECTION
from chibo.organizations.views import visible_org
from chibo.stats.forms import PeriodForm
from chibo.stats.reports import TemplateError

TEXT = "text/plain; charset=utf-8"


def _allowed_org(request, code: str):
    org = visible_org(request, code)
    require(request.user, VIEW_INSPECTION, org)
    return org


def report_page(request, code: str):
    """The period form; its two buttons download the report as Excel or Word."""
    org = _allowed_org(request, code)
    form = PeriodForm(request.GET or None)
    return render(request, "inspection/report_form.html", {"org": org, "form": form})


def report_download(request, code: str, kind: str):
    if kind not in report.KINDS:
        raise Http404(kind)
    org = _allowed_org(request, code)
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return HttpResponse(form.error_text(), status=400, content_type=TEXT)
    try:
        built = report.build(org, *form.period())
    except TemplateError as error:
        return HttpResponse(str(error), status=409, content_type=TEXT)
    content, content_type = report.render(built, kind)
    return HttpResponse(content, content_type=content_type, headers={
        "Content-Disposition": content_disposition_header(True, report.filename(built, kind))})
