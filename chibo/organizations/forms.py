"""Forms for the tree pages. They only collect input; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.concurrency import VersionedFormMixin
from chibo.core.forms import (
    CodeField,
    DateInput,
    LineField,
    LongTextField,
    PlausibleDateField,
    style_fields,
)
from chibo.organizations.choices import ChangeKind, OrgKind, Sector, VillageKind
from chibo.organizations.models import Organization, Village


class OrgCodeField(CodeField):
    """An organization picked by its code, limited to those the user may see."""

    def __init__(self, *, queryset=None, **kwargs):
        self.queryset = queryset
        super().__init__(max_length=64, **kwargs)

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        org = self.queryset.filter(code=code.strip()).first()
        if org is None:
            raise forms.ValidationError(_("Không có tổ chức mã %(code)s trong phạm vi của bạn."),
                                        params={"code": code})
        return org


class AsOfForm(forms.Form):
    as_of = PlausibleDateField(label=_("Tính đến ngày"), required=False, widget=DateInput())
    q = LineField(label=_("Tìm tổ chức"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def day(self):
        if self.is_valid() and self.cleaned_data.get("as_of"):
            return self.cleaned_data["as_of"]
        return timezone.localdate()


class OrganizationForm(forms.Form):
    code = CodeField(label=_("Mã"), max_length=64,
                     help_text=_("Mã ổn định, không dấu cách, ví dụ TQ.SD.X05.C03"))
    name = LineField(label=_("Tên"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại tổ chức"), choices=OrgKind.choices)
    sector = forms.ChoiceField(label=_("Loại hình"), choices=[("", "—"), *Sector.choices],
                               required=False)
    established_on = PlausibleDateField(label=_("Ngày thành lập"), widget=DateInput())
    village = forms.ModelChoiceField(label=_("Thôn, tổ dân phố (chi bộ thôn)"), required=False,
                                     queryset=Village.objects.none())

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if villages is not None:
            self.fields["village"].queryset = villages
        style_fields(self)


class OrganizationEditForm(VersionedFormMixin, forms.Form):
    name = LineField(label=_("Tên"), max_length=255,
                     help_text=_("Sửa lỗi chính tả. Đổi tên theo quyết định thì dùng "
                                 "“Đổi tên” để giữ lịch sử."))
    sector = forms.ChoiceField(label=_("Loại hình"), choices=[("", "—"), *Sector.choices],
                               required=False)
    village = forms.ModelChoiceField(label=_("Thôn, tổ dân phố (chi bộ thôn)"), required=False,
                                     queryset=Village.objects.none())

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if villages is not None:
            self.fields["village"].queryset = villages
        style_fields(self)


class ReorganizeForm(VersionedFormMixin, forms.Form):
    """One form for the four changes; `change` decides which fields are asked for."""

    edits_record = False  # a dated change made to the organization the officer saw

    effective_on = PlausibleDateField(label=_("Ngày hiệu lực"), widget=DateInput())
    new_parent = OrgCodeField(label=_("Mã tổ chức cấp trên mới"), required=False)
    new_name = LineField(label=_("Tên mới"), max_length=255, required=False)
    new_sector = forms.ChoiceField(
        label=_("Loại hình mới"), required=False,
        choices=[("", _("— không đổi —")), *Sector.choices],
        help_text=_("Khi đổi cả loại hình, ví dụ thị trấn thành xã."))
    into = OrgCodeField(label=_("Mã tổ chức hợp nhất vào"), required=False)
    decision_no = LineField(label=_("Số quyết định"), max_length=100, required=False)
    note = LongTextField(label=_("Ghi chú"), required=False,
                         widget=forms.Textarea(attrs={"rows": 2}))

    FIELDS_BY_CHANGE = {
        ChangeKind.MOVE: {"new_parent"},
        ChangeKind.RENAME: {"new_name", "new_sector"},
        ChangeKind.MERGE: {"into"},
        ChangeKind.DISSOLVE: set(),
    }

    def __init__(self, *args, change: str, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.change = change
        for name in ("new_parent", "into"):
            self.fields[name].queryset = orgs
        for name in ("new_parent", "new_name", "new_sector", "into"):
            if name not in self.FIELDS_BY_CHANGE[change]:
                del self.fields[name]
            elif name != "new_sector":
                self.fields[name].required = True
        style_fields(self)


class VillageForm(forms.Form):
    code = CodeField(label=_("Mã"), max_length=64)
    name = LineField(label=_("Tên"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại"), choices=VillageKind.choices)
    established_on = PlausibleDateField(label=_("Ngày thành lập"), required=False,
                                        widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


def villages_for(org: Organization):
    """Villages a cell under `org` may be linked to: those of `org` and of its ancestors."""
    return Village.objects.filter(commune_id__in=org.ancestor_ids).order_by("sort_key", "code")


class CalendarDayForm(forms.Form):
    """A correction of the working calendar: the day, whether it is worked, and why."""

    day = PlausibleDateField(label=_("Ngày"), widget=DateInput())
    working = forms.TypedChoiceField(
        label=_("Ngày đó là"), coerce=lambda value: value == "1",
        choices=[("0", _("Ngày nghỉ")), ("1", _("Ngày làm việc"))])
    note = LineField(label=_("Lý do, văn bản công bố"), max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class DeadlineForm(forms.Form):
    """The last day of "within N working days of a day"."""

    start = PlausibleDateField(label=_("Từ ngày"), widget=DateInput())
    days = forms.IntegerField(label=_("Số ngày làm việc"), min_value=1, max_value=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
