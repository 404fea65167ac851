"""The liaison's forms: the working side's introduction (1-213) and end, the residence cell's
yearly opinion (3-213)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import (
    CodeField,
    LineField,
    LongTextField,
    date_field,
    style_fields,
)
from chibo.liaison.choices import Feedback
from chibo.liaison.models import Liaison


class IntroduceForm(forms.Form):
    member_code = CodeField(label=_("Mã đảng viên"), max_length=64)
    introduced_on = date_field(_("Ngày giới thiệu"))
    org_code = CodeField(label=_("Mã đảng ủy cơ sở nơi cư trú"), max_length=64)
    cell_code = CodeField(label=_("Mã chi bộ nơi cư trú"), max_length=64, required=False)
    exempt_from_meetings = forms.BooleanField(
        label=_("Miễn sinh hoạt nơi cư trú"), required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text=_("Lực lượng vũ trang ở doanh trại, người làm việc lưu động, đi học tập "
                    "trung 12 tháng trở lên (Quy định 213-QĐ/TW)."))
    letter_no = LineField(label=_("Số giấy giới thiệu"), required=False,
                          max_length=Liaison._meta.get_field("letter_no").max_length)
    address = LineField(label=_("Địa chỉ nơi cư trú"), required=False,
                        max_length=Liaison._meta.get_field("address").max_length)
    note = LongTextField(label=_("Ghi chú"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class EndForm(forms.Form):
    ended_on = date_field(_("Ngày thôi giữ mối liên hệ"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class OpinionForm(forms.Form):
    year = forms.IntegerField(label=_("Năm nhận xét"), min_value=1930, max_value=2100)
    feedback = forms.ChoiceField(label=_("Nhận xét chung"), choices=Feedback.choices)
    comment = LongTextField(label=_("Nội dung nhận xét"), required=False, rows=4,
                            help_text=_("Việc thực hiện nghĩa vụ công dân, tham gia sinh hoạt "
                                        "và hoạt động nơi cư trú."))
    written_on = date_field(_("Ngày nhận xét"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
