"""The fields with which an officer records an exception in the same step as a page action that
would otherwise be refused for breaking a finding rule (docs/architecture.md).

A form mixes in `ExceptionFieldsMixin`, calls `add_exception_fields()` in its __init__ (the
fields come last), and passes `exception_decision()` to its service, which records the exception
only when the action does break a rule.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import LineField, LongTextField, PlausibleDateField
from chibo.findings.services import Decision

EXCEPTION_FIELDS = ("exception_no", "exception_on", "exception_by", "exception_note")


class ExceptionFieldsMixin:
    # Set by the view when the service refused the step for a finding: the fields then show.
    refused_for_rule = False

    def add_exception_fields(self) -> None:
        self.fields["exception_no"] = LineField(
            label=_("Số quyết định cho phép ngoại lệ"), max_length=100, required=False,
            help_text=_("Chỉ điền khi cấp có thẩm quyền đã cho phép trường hợp trái quy định "
                        "(tuổi kết nạp, thời gian dự bị, kết nạp lại); ngoại lệ được ghi cùng "
                        "thao tác này."))
        self.fields["exception_on"] = PlausibleDateField(
            label=_("Ngày quyết định cho phép"), required=False,
            widget=forms.DateInput(format="%d/%m/%Y", attrs={
                "placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}))
        self.fields["exception_by"] = LineField(
            label=_("Cấp quyết định (mã tổ chức)"), max_length=64, required=False)
        self.fields["exception_note"] = LongTextField(
            label=_("Ghi chú về ngoại lệ"), required=False,
            widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        if any(cleaned.get(name) for name in EXCEPTION_FIELDS):
            if not (cleaned.get("exception_no") or "").strip():
                self.add_error("exception_no", _("Cần số quyết định cho phép ngoại lệ."))
            if not cleaned.get("exception_on") and "exception_on" not in self.errors:
                self.add_error("exception_on", _("Cần ngày quyết định cho phép ngoại lệ."))
            by = cleaned.get("exception_by") or ""
            if any(ch.isspace() for ch in by.strip()):
                self.add_error("exception_by", _("Mã tổ chức không có dấu cách."))
        return cleaned

    def exception_decision(self) -> Decision | None:
        """The decision the officer gave, or None when the exception fields are empty."""
        data = self.cleaned_data
        if not data.get("exception_no"):
            return None
        return Decision(decision_no=data["exception_no"].strip(),
                        decided_on=data["exception_on"],
                        decided_by=(data.get("exception_by") or "").strip(),
                        note=data.get("exception_note") or "")

    @property
    def exception_shown(self) -> bool:
        """The exception fields are shown once a rule refused the step, or when filled."""
        return self.refused_for_rule or any(self.data.get(self.add_prefix(name))
                                            for name in EXCEPTION_FIELDS)

    def decision_fields(self):
        """The form's own fields (the page lays the exception fields out apart)."""
        return [self[name] for name in self.fields if name not in EXCEPTION_FIELDS]

    def exception_fields(self):
        return [self[name] for name in EXCEPTION_FIELDS]

    def service_data(self) -> dict:
        """The cleaned data without the exception fields (what the service takes besides)."""
        return {k: v for k, v in self.cleaned_data.items() if k not in EXCEPTION_FIELDS}
