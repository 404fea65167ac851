"""Forms of the library pages. They collect input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DateInput, LineField, LongTextField, PlausibleDateField, style_fields
from chibo.documents.choices import DocumentKind
from chibo.documents.services import max_document_bytes
from chibo.organizations.forms import OrgCodeField

BLANK = [("", _("Tất cả các loại"))]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=DocumentKind.choices)
    number = LineField(label=_("Số, ký hiệu"), required=False, max_length=64,
                       help_text=_("Ví dụ: 21-NQ/TW"))
    title = LineField(label=_("Trích yếu"), max_length=300)
    issuing_body = LineField(label=_("Cơ quan ban hành"), max_length=200)
    issued_on = PlausibleDateField(label=_("Ngày ban hành"), required=False, widget=DateInput())
    summary = LongTextField(label=_("Tóm tắt"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))
    key_points = LongTextField(label=_("Những điểm cốt lõi (mỗi ý một dòng)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 5}))
    audience = OrgCodeField(label=_("Gửi đến (mã tổ chức; gồm mọi tổ chức trực thuộc)"))
    file = forms.FileField(label=_("Tệp (PDF, Word)"), required=False)

    def __init__(self, *args, audience_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].queryset = audience_queryset
        self.fields["file"].help_text = _("Tối đa %(n)s MB.") % {
            "n": max_document_bytes() // 1048576}
        self.fields["file"].widget.attrs["accept"] = ".pdf,.doc,.docx,.odt"
        style_fields(self)
