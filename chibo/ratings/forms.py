"""The committee's decision form (chibo.ratings.views.decide): one subject's rating for a year;
the exception fields open when a ratings finding refuses it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import CodeField, DateInput, LongTextField, PlausibleDateField, style_fields
from chibo.findings.forms import ExceptionFieldsMixin
from chibo.members.forms import OneSubjectMixin
from chibo.ratings.choices import Level

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class DecisionForm(OneSubjectMixin, ExceptionFieldsMixin, forms.Form):
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=1930, max_value=2100)
    member_code = CodeField(label=_("Mã đảng viên"), max_length=64, required=False)
    org_code = CodeField(label=_("Hoặc mã tổ chức đảng"), max_length=64, required=False)
    level = forms.ChoiceField(label=_("Xếp loại"), choices=Level.choices)
    score = forms.DecimalField(label=_("Điểm"), required=False, min_value=0, max_value=100,
                               max_digits=5, decimal_places=2,
                               help_text=_("Theo 366-QĐ/TW, từ năm 2025; để trống nếu không "
                                           "chấm điểm."))
    decided_on = PlausibleDateField(label=_("Ngày quyết định"), widget=DateInput(),
                                    input_formats=DATE_FORMATS)
    note = LongTextField(label=_("Ghi chú"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_exception_fields()
        style_fields(self)


