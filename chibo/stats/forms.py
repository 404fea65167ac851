"""The inputs of every statistics page, report and download: the as-of day and the period."""

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DateInput, PlausibleDateField
from chibo.stats import engine


class StatsForm(forms.Form):
    """as_of, from, to (dd/mm/yyyy or YYYY-MM-DD); defaults of spec/METRICS.md when empty."""

    as_of = PlausibleDateField(label=_("Tính đến ngày"), required=False, widget=DateInput())
    date_from = PlausibleDateField(label=_("Kỳ báo cáo từ ngày"), required=False,
                                   widget=DateInput())
    date_to = PlausibleDateField(label=_("đến ngày"), required=False, widget=DateInput())

    PARAMS = {"as_of": "as_of", "date_from": "from", "date_to": "to"}

    def add_prefix(self, field_name):
        # the query string names the period `from` and `to`, as the API does
        return self.PARAMS.get(field_name, field_name)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("Ngày bắt đầu kỳ báo cáo phải trước ngày kết thúc."))
        return data

    def stats_request(self, metrics: str | None = None) -> engine.Request:
        """The engine's request; the form must be valid. UnknownMetric for an unknown key."""
        data = self.cleaned_data
        return engine.Request.parse(data.get("as_of"), data.get("date_from"),
                                    data.get("date_to"), metrics, today=timezone.localdate())

    def error_text(self) -> str:
        """Every error of the form in one line, for a download's 400 answer."""
        parts = []
        for name, errors in self.errors.items():
            field = self.fields.get(name)
            prefix = f"{field.label}: " if field is not None else ""
            parts.extend(f"{prefix}{error}" for error in errors)
        return " ".join(parts)


class PeriodForm(StatsForm):
    """The period of a process's report (admission, inspection): the statistics pages' dates
    without their as-of day, since a report counts its stocks on the period's last day. The
    page, the API and the command judge the period with it, so that all refuse alike."""

    as_of = None

    @classmethod
    def of(cls, date_from: date | None, date_to: date | None) -> "PeriodForm":
        """The form for dates already parsed (the API's query, the command's options)."""
        return cls({"from": date_from.isoformat() if date_from else "",
                    "to": date_to.isoformat() if date_to else ""})

    def clean(self):
        """Empty dates: from 1 January of the end's year to today; then the statistics form's
        check that the start is not after the end."""
        data = self.cleaned_data
        if not self.has_error("date_to"):
            data["date_to"] = data.get("date_to") or timezone.localdate()
            if not self.has_error("date_from"):
                data["date_from"] = data.get("date_from") or date(data["date_to"].year, 1, 1)
        return super().clean()

    def period(self) -> tuple[date, date]:
        """(from, to) of a valid form."""
        return self.cleaned_data["date_from"], self.cleaned_data["date_to"]


def query_of(request: engine.Request) -> str:
    """as_of/from/to of a request as a query string (links keep the same day and period)."""
    return urlencode({"as_of": request.as_of.strftime("%d/%m/%Y"),
                      "from": request.date_from.strftime("%d/%m/%Y"),
                      "to": request.date_to.strftime("%d/%m/%Y")})
