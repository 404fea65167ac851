"""The page and download of the yearly ratings report of an organization's subtree
(chibo.ratings.report), Excel.

Who may read it: an organization outside the user's scope looks absent (404); in scope, the
subtree's statistics need `stats.view` there (403 without). A year that cannot be read answers
400 with the reason; a province's template that cannot be used 409 with the file and the row
at fault, as plain text.
"""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from chibo.accounts.policy import Capability, require
from chibo.organizations.views import visible_org
from chibo.ratings import report
from chibo.stats.reports import TemplateError

TEXT = "text/plain; charset=utf-8"


class YearForm(forms.Form):
    """The year of the report (default: the last year whose review is done)."""

    year = forms.IntegerField(label=_("Năm đánh giá"), required=False)

    def clean_year(self) -> int:
        year = self.cleaned_data.get("year") or timezone.localdate().year - 1
        try:
            return report.parse_year(year)
        except report.BadYear as error:
            raise forms.ValidationError(str(error)) from None


def _allowed_org(request, code: str):
    org = visible_org(request, code)
    require(request.user, Capability.VIEW_STATS, org)
    return org


def report_page(request, code: str):
    """The year form; its button downloads the report."""
    org = _allowed_org(request, code)
    form = YearForm(request.GET or None)
    return render(request, "ratings/report_form.html", {"org": org, "form": form})


def report_download(request, code: str):
    org = _allowed_org(request, code)
    form = YearForm(request.GET)
    if not form.is_valid():
        return HttpResponse(" ".join(form.errors.get("year", [])), status=400,
                            content_type=TEXT)
    try:
        built = report.build(org, form.cleaned_data["year"])
    except TemplateError as error:
        return HttpResponse(str(error), status=409, content_type=TEXT)
    content, content_type = report.render(built)
    return HttpResponse(content, content_type=content_type, headers={
        "Content-Disposition": content_disposition_header(True, report.filename(built))})
