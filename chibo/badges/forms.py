"""The badges forms: a proposal for an award day, and the provincial committee's award, whose
exception fields open when a badges finding refuses it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.badges.choices import EarlyReason
from chibo.badges.rules import MILESTONES
from chibo.core.forms import (
    CodeField,
    LineField,
    LongTextField,
    date_field,
    style_fields,
)
from chibo.findings.forms import ExceptionFieldsMixin


def year_choices():
    return [(m, _("%(n)s năm") % {"n": m}) for m in MILESTONES]


def reasons():
    return [("", _("Không")), *EarlyReason.choices]


class BadgeFields(forms.Form):
    member_code = CodeField(label=_("Mã đảng viên"), max_length=64)
    years = forms.TypedChoiceField(label=_("Huy hiệu"), choices=year_choices, coerce=int)
    early_reason = forms.ChoiceField(label=_("Trao sớm"), choices=reasons, required=False)
    note = LongTextField(label=_("Ghi chú"), required=False, rows=2)


class ProposalForm(BadgeFields):
    award_day = date_field(_("Đợt trao"), help_text=_("3/2, 19/5, 2/9 hoặc 7/11"))
    proposed_on = date_field(_("Ngày đề nghị"))
    field_order = ["member_code", "years", "award_day", "early_reason", "proposed_on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class AwardForm(ExceptionFieldsMixin, BadgeFields):
    awarded_on = date_field(_("Ngày trao"))
    decision_no = LineField(label=_("Số quyết định"), max_length=100, required=False)
    field_order = ["member_code", "years", "awarded_on", "early_reason", "decision_no", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_exception_fields()
        style_fields(self)
