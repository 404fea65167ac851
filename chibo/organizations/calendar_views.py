"""The working calendar's page: a year's days off and worked weekend days, the province's
corrections (added and removed by who may correct them), and a deadline reckoner: the last day
of "within N working days" of a day, as the rules' deadlines are computed."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chibo.core.exceptions import RuleViolation
from chibo.core.forms import submit
from chibo.organizations import calendar
from chibo.organizations.forms import CalendarDayForm, DeadlineForm


def _year(value: str | None, today: date) -> int:
    try:
        year = int(value or today.year)
    except ValueError:
        return today.year
    return year if 1950 <= year <= today.year + 5 else today.year


def _year_url(year: int) -> str:
    return f"{reverse('calendar:year')}?year={year}"


def _reckoned(request, working, today: date) -> dict:
    """The deadline reckoner's form and, when asked, its answer."""
    form = DeadlineForm(request.GET if "start" in request.GET else None)
    if not form.is_bound or not form.is_valid():
        return {"deadline_form": form}
    due = working.nth_working_day_after(form.cleaned_data["start"], form.cleaned_data["days"])
    left = working.working_days_between(today, due)
    return {"deadline_form": form, "due": due, "left": max(left, 0), "overdue": max(-left, 0)}


@require_http_methods(["GET", "POST"])
def year(request):
    today = timezone.localdate()
    may_correct = calendar.may_correct(request.user)
    form = CalendarDayForm(request.POST or None) if may_correct else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if submit(request, form, lambda data: calendar.correct_day(actor=request.user, **data),
                  _("Đã ghi điều chỉnh lịch làm việc.")) is not None:
            return redirect(_year_url(form.cleaned_data["day"].year))
    shown = _year(request.GET.get("year"), today)
    working = calendar.working_calendar()
    return render(request, "organizations/calendar.html", {
        "year": shown, "years": [shown - 1, shown + 1], "today": today,
        "days": working.exceptions(shown), "form": form, "may_correct": may_correct,
        "working_days": working.working_days_between(date(shown - 1, 12, 31),
                                                     date(shown, 12, 31)),
        **_reckoned(request, working, today),
    })


@require_POST
def remove(request, day: str):
    try:
        parsed = date.fromisoformat(day)
    except ValueError as error:
        raise Http404(day) from error
    try:  # who may not correct the calendar is refused by the service (403)
        calendar.remove_correction(parsed, actor=request.user)
    except RuleViolation as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Đã bỏ điều chỉnh ngày %(day)s.")
                         % {"day": parsed.strftime("%d/%m/%Y")})
    return redirect(_year_url(parsed.year))
