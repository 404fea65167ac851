from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.audit.registry import ACTIONS
from chibo.core.forms import DateInput, style_fields


class TrailFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Thao tác"), required=False)
    actor = forms.CharField(label=_("Người thực hiện"), required=False, max_length=150)
    object_type = forms.CharField(label=_("Loại đối tượng"), required=False, max_length=64)
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DateInput())
    request_id = forms.CharField(label=_("Mã yêu cầu"), required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actions = sorted((name, str(label)) for name, label in ACTIONS.items())
        self.fields["action"].choices = [("", "—"), *actions]
        style_fields(self)

    def apply(self, records):
        if not self.is_valid():
            return records
        data = self.cleaned_data
        if data["action"]:
            records = records.filter(action=data["action"])
        if data["actor"]:
            records = records.filter(actor_name=data["actor"])
        if data["object_type"]:
            records = records.filter(object_type=data["object_type"])
        if data["request_id"]:
            records = records.filter(request_id=data["request_id"])
        if data["date_from"]:
            records = records.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            records = records.filter(at__date__lte=data["date_to"])
        return records
