"""Forms of the ratings pages (chibo.ratings.views). They collect input; the services decide.

- `CampaignForm`: the grassroots committee opens the year's review with its deadline;
- `CloseCampaignForm`: the committee has decided (against the campaign it saw);
- `ProposalForm`: the cell proposes a member's level with the manifestations it concluded
  (against the proposal it saw, when one is recorded);
- `DecisionForm`: the committee's decision of one subject's rating; the exception fields open
  when a ratings finding refuses it.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.concurrency import VersionedFormMixin
from chibo.core.forms import CodeField, LongTextField, StyledForm, date_field, style_fields
from chibo.findings.forms import ExceptionFieldsMixin
from chibo.handbook.catalogue import catalogue
from chibo.members.forms import OneSubjectMixin
from chibo.ratings.choices import Level

YEAR_BOUNDS = {"min_value": 1930, "max_value": 2100}


class CampaignForm(StyledForm):
    year = forms.IntegerField(label=_("Năm đánh giá"), **YEAR_BOUNDS)
    opened_on = date_field(_("Ngày mở đợt"))
    deadline = date_field(_("Hạn chi bộ đề xuất"))
    note = LongTextField(label=_("Ghi chú"), required=False, rows=2)


class CloseCampaignForm(VersionedFormMixin, StyledForm):
    """The day the committee closed the campaign (record = the campaign)."""

    edits_record = False
    closed_on = date_field(_("Ngày kết thúc"))


class ProposalForm(VersionedFormMixin, StyledForm):
    """The cell's proposal for one member (record = the proposal recorded, if any)."""

    level = forms.ChoiceField(label=_("Chi bộ đề xuất xếp loại"), choices=Level.choices)
    manifestations = forms.MultipleChoiceField(
        label=_("Biểu hiện suy thoái chi bộ kết luận (nếu có)"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chỉ đánh dấu biểu hiện chi bộ đã kết luận, không phải biểu hiện đảng viên "
                    "tự nhận; có biểu hiện thì chỉ được đề xuất không hoàn thành nhiệm vụ."))
    proposed_on = date_field(_("Ngày chi bộ đề xuất"))
    note = LongTextField(label=_("Ghi chú"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manifestations"].choices = [
            (item.code, f"{item.code}. {item.text}") for item in catalogue().manifestations]
        self.fields["manifestations"].widget.attrs.pop("class", None)


class DecisionForm(OneSubjectMixin, ExceptionFieldsMixin, forms.Form):
    year = forms.IntegerField(label=_("Năm đánh giá"), **YEAR_BOUNDS)
    member_code = CodeField(label=_("Mã đảng viên"), max_length=64, required=False)
    org_code = CodeField(label=_("Hoặc mã tổ chức đảng"), max_length=64, required=False)
    level = forms.ChoiceField(label=_("Xếp loại"), choices=Level.choices)
    score = forms.DecimalField(label=_("Điểm"), required=False, min_value=0, max_value=100,
                               max_digits=5, decimal_places=2,
                               help_text=_("Theo 366-QĐ/TW, từ năm 2025; để trống nếu không "
                                           "chấm điểm."))
    decided_on = date_field(_("Ngày quyết định"))
    note = LongTextField(label=_("Ghi chú"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_exception_fields()
        style_fields(self)
