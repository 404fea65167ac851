"""The dues pages: the cell's collection sheet of a month, made for the treasurer's phone (each
member a card: the month's due, paid or not, the months of the year still unpaid; a "Thu" form
for each member not paid, which records the month with its receipt), and a receipt to print.
Above a cell the page lists the cells under it and links the members three months behind (the
findings page, `dues.unpaid`)."""

from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chibo.accounts.policy import can, require
from chibo.core.exceptions import RuleViolation
from chibo.core.fields import subtree_range
from chibo.core.forms import PlausibleDateField, style_fields
from chibo.dues import queries, report, rules, services, spreadsheet
from chibo.dues.capabilities import RECORD_DUES, VIEW_DUES
from chibo.dues.choices import Channel
from chibo.dues.models import Receipt
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.organizations.views import visible_org
from chibo.stats.reports import TemplateError

CELL_KINDS = ("cell", "grassroots_cell")


def _month(text: str | None) -> date:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return date(today.year, today.month, 1)


class PayForm(forms.Form):
    member = forms.CharField(max_length=64)
    month = forms.CharField(max_length=7)
    amount = forms.IntegerField(label=gettext_lazy("Số tiền (đồng)"), min_value=1,
                                max_value=10**10)
    paid_on = PlausibleDateField(label=gettext_lazy("Ngày nộp"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


def sheet(request, code: str):
    org = visible_org(request, code)
    require(request.user, VIEW_DUES, org)
    month = _month(request.GET.get("month"))
    context = {"org": org, "month": month, "month_text": rules.month_text(month),
               "previous": rules.month_text(rules.add_months(month, -1)),
               "next": rules.month_text(rules.add_months(month, 1)),
               "today": timezone.localdate(), "title": _("Đảng phí"),
               "can_record_here": can(request.user, RECORD_DUES, org)}
    if org.kind in CELL_KINDS:
        rows = queries.sheet(org, month)
        context |= {"rows": rows, "can_record": can(request.user, RECORD_DUES, org),
                    "paid": sum(1 for row in rows if row.paid),
                    "total": sum(row.payment.amount for row in rows if row.paid)}
    else:
        low, high = subtree_range(org.path)
        context["cells"] = Organization.objects.visible_to(request.user).filter(
            path__gte=low, path__lt=high, kind__in=CELL_KINDS, ended_on__isnull=True
        ).order_by("path")[:500]
        context["behind_url"] = reverse("meetings:findings", args=[org.code]) + (
            f"?tab=records&rule={rules.UNPAID}")
    return render(request, "dues/sheet.html", context)


@require_POST
def pay(request, code: str):
    """Record one member's month from the sheet."""
    org = visible_org(request, code)
    require(request.user, RECORD_DUES, org)
    form = PayForm(request.POST)
    back = reverse("dues:sheet", args=[org.code]) + f"?month={request.POST.get('month', '')}"
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values()
                                         for error in errors))
        return redirect(back)
    data = form.cleaned_data
    member = get_object_or_404(Member, member_code=data["member"])
    try:
        rows = services.record_payments(member, [services.MonthPaid(_month(data["month"]),
                                                                    data["amount"])],
                                        paid_on=data["paid_on"], actor=request.user)
    except RuleViolation as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    receipt = rows[0].receipt
    messages.success(request, _("Đã thu đảng phí tháng %(month)s của %(name)s (biên lai số "
                                "%(receipt)s).") % {"month": f"{rows[0].month:%m/%Y}",
                                                    "name": member.full_name,
                                                    "receipt": receipt.label if receipt
                                                    else "—"})
    return redirect(back)


def receipt(request, code: str, pk: int):
    org = visible_org(request, code)
    require(request.user, VIEW_DUES, org)
    found = get_object_or_404(Receipt.objects.visible_to(request.user).select_related(
        "member", "cell", "issued_by"), pk=pk, cell=org)
    return render(request, "dues/receipt.html", {
        "org": org, "receipt": found, "payments": found.payments.order_by("month"),
        "title": _("Biên lai thu đảng phí")})


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Bảng tính (.xlsx hoặc .csv)"))
    channel = forms.ChoiceField(label=gettext_lazy("Hình thức nộp"), choices=[
        (Channel.PORTAL, Channel.PORTAL.label), (Channel.TRANSFER, Channel.TRANSFER.label)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


MAX_UPLOAD = 5 * 1024 * 1024


def import_sheet(request, code: str):
    """Payments made through another channel, from a spreadsheet: all or nothing, every
    problem named by its row and column (chibo.dues.spreadsheet)."""
    org = visible_org(request, code)
    require(request.user, RECORD_DUES, org)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            problems = [_("1:: tệp lớn quá 5 MB")]
        else:
            try:
                count = spreadsheet.import_payments(
                    org, upload.name, upload.read(), actor=request.user,
                    channel=form.cleaned_data["channel"])
            except spreadsheet.RefusedImport as refused:
                problems = refused.lines
            else:
                messages.success(request, _("Đã nhập %(n)s khoản đảng phí.") % {"n": count})
                return redirect(reverse("dues:sheet", args=[org.code]))
    return render(request, "dues/import.html", {
        "org": org, "form": form, "problems": problems,
        "title": _("Nhập đảng phí nộp qua kênh khác")})


class YearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Năm"), required=False)

    def clean_year(self) -> int:
        year = self.cleaned_data.get("year") or timezone.localdate().year
        try:
            return report.parse_year(year)
        except report.BadYear as error:
            raise forms.ValidationError(str(error)) from None


def report_page(request, code: str):
    org = visible_org(request, code)
    require(request.user, VIEW_DUES, org)
    return render(request, "dues/report_form.html", {"org": org,
                                                     "form": YearForm(request.GET or None)})


def report_download(request, code: str):
    org = visible_org(request, code)
    require(request.user, VIEW_DUES, org)
    form = YearForm(request.GET)
    if not form.is_valid():
        return HttpResponse(" ".join(form.errors.get("year", [])), status=400,
                            content_type="text/plain; charset=utf-8")
    try:
        built = report.build(org, form.cleaned_data["year"])
    except TemplateError as error:
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
    content, content_type = report.render(built)
    return HttpResponse(content, content_type=content_type, headers={
        "Content-Disposition": content_disposition_header(True, report.filename(built))})
