"""The period of the admission report: the statistics pages' dates (`from`, `to` in the query
string, dd/mm/yyyy or YYYY-MM-DD, the start before the end), without their as-of day: the report
counts its stocks on the period's last day."""

from datetime import date

from django.utils import timezone

from chibo.stats.forms import StatsForm


class PeriodForm(StatsForm):
    as_of = None  # the report's day is the period's end

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
