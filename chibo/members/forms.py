"""Forms of the member pages. They collect input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.concurrency import VersionedFormMixin
from chibo.core.forms import (
    CodeField,
    DateInput,
    EmailField,
    LineField,
    LongTextField,
    PhoneField,
    PlausibleDateField,
    style_fields,
)
from chibo.findings.forms import ExceptionFieldsMixin
from chibo.members import photos
from chibo.members.choices import (
    EventKindChoices,
    Gender,
    PostRole,
    ProfessionalLevel,
    TheoryLevel,
)
from chibo.organizations.forms import OrgCodeField

BLANK = [("", "—")]


class OneSubjectMixin:
    """A form naming its subject by `member_code` or `org_code` (a member or an organization
    inspected, disciplined, rated): exactly one of the two."""

    def clean(self):
        data = super().clean()
        if bool(data.get("member_code")) == bool(data.get("org_code")) and \
                "member_code" not in self.errors and "org_code" not in self.errors:
            self.add_error("member_code", _("Ghi mã đảng viên hoặc mã tổ chức đảng (một trong "
                                            "hai)."))
        return data


class AdmissionForm(ExceptionFieldsMixin, forms.Form):
    member_code = CodeField(label=_("Mã đảng viên (số lý lịch)"), max_length=64)
    full_name = LineField(label=_("Họ và tên"), max_length=150)
    gender = forms.ChoiceField(label=_("Giới tính"), choices=Gender.choices)
    birth_date = PlausibleDateField(label=_("Ngày sinh"), widget=DateInput())
    ethnicity = LineField(label=_("Dân tộc"), max_length=50, initial="Kinh")
    religion = LineField(label=_("Tôn giáo"), max_length=50, required=False)
    national_id = LineField(label=_("Số định danh cá nhân"), max_length=12, required=False)
    general_education = LineField(label=_("Giáo dục phổ thông"), max_length=10,
                                  required=False, initial="12/12")
    professional_level = forms.ChoiceField(label=_("Chuyên môn"), required=False,
                                           choices=BLANK + ProfessionalLevel.choices)
    theory_level = forms.ChoiceField(label=_("Lý luận chính trị"), required=False,
                                     choices=BLANK + TheoryLevel.choices)
    admitted_on = PlausibleDateField(label=_("Ngày quyết định kết nạp"), widget=DateInput())
    org_since = PlausibleDateField(
        label=_("Sinh hoạt tại chi bộ từ ngày"), required=False, widget=DateInput(),
        help_text=_("Chỉ điền khi đảng viên từ nơi khác chuyển đến (sau ngày kết nạp)."))
    official_on = PlausibleDateField(label=_("Ngày công nhận chính thức"), required=False,
                                     widget=DateInput())
    age_exception = LineField(label=_("Quyết định cho kết nạp ngoài độ tuổi"),
                              max_length=100, required=False)
    phone = PhoneField(label=_("Điện thoại"), max_length=20, required=False)
    occupation = LineField(label=_("Nghề nghiệp"), max_length=255, required=False)
    residence = LineField(label=_("Nơi cư trú"), max_length=255, required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("Tôi đã kiểm tra: đây không phải người đã có hồ sơ"), required=False)

    PROFILE = ("ethnicity", "religion", "national_id", "general_education",
               "professional_level", "theory_level", "age_exception", "phone", "occupation",
               "residence")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_exception_fields()
        style_fields(self)
        self.fields["confirm_duplicate"].widget.attrs["class"] = "form-check-input"


class PhotoForm(forms.Form):
    """The photo part of the profile page; the content check is the service's."""

    photo = forms.FileField(label=_("Ảnh (JPEG, PNG hoặc WebP, tối đa 2 MB)"), required=False,
                            widget=forms.ClearableFileInput(attrs={
                                "accept": "image/jpeg,image/png,image/webp"}))
    remove_photo = forms.BooleanField(label=_("Xóa ảnh hiện có"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean_photo(self):
        """An oversized upload is refused from its announced size, before it is read into
        memory (the content check comes later, in the service)."""
        upload = self.cleaned_data.get("photo")
        if upload and upload.size > photos.MAX_BYTES:
            raise forms.ValidationError(photos.too_large_message())
        return upload

    def data_to_store(self) -> tuple[bool, bytes | None]:
        """(whether the photo changes, the new image or None to remove it)."""
        upload = self.cleaned_data.get("photo")
        if upload:
            return True, upload.read()
        return bool(self.cleaned_data.get("remove_photo")), None


class ProfileForm(VersionedFormMixin, ExceptionFieldsMixin, forms.Form):
    full_name = LineField(label=_("Họ và tên"), max_length=150)
    gender = forms.ChoiceField(label=_("Giới tính"), choices=Gender.choices)
    birth_date = PlausibleDateField(label=_("Ngày sinh"), widget=DateInput())
    ethnicity = LineField(label=_("Dân tộc"), max_length=50)
    religion = LineField(label=_("Tôn giáo"), max_length=50, required=False)
    national_id = LineField(label=_("Số định danh cá nhân"), max_length=12, required=False)
    phone = PhoneField(label=_("Điện thoại"), max_length=20, required=False)
    email = EmailField(label=_("Thư điện tử"), required=False)
    hometown = LineField(label=_("Quê quán"), max_length=255, required=False)
    residence = LineField(label=_("Nơi cư trú"), max_length=255, required=False)
    occupation = LineField(label=_("Nghề nghiệp"), max_length=255, required=False)
    workplace = LineField(label=_("Nơi làm việc"), max_length=255, required=False)
    card_number = LineField(label=_("Số thẻ đảng viên"), max_length=30, required=False)
    general_education = LineField(label=_("Giáo dục phổ thông"), max_length=10,
                                  required=False)
    professional_level = forms.ChoiceField(label=_("Chuyên môn"), required=False,
                                           choices=BLANK + ProfessionalLevel.choices)
    theory_level = forms.ChoiceField(label=_("Lý luận chính trị"), required=False,
                                     choices=BLANK + TheoryLevel.choices)
    notes = LongTextField(label=_("Ghi chú"), required=False,
                          widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_exception_fields()
        style_fields(self)


class EventForm(VersionedFormMixin, ExceptionFieldsMixin, forms.Form):
    edits_record = False  # an event recorded on the file, against the file the officer saw

    effective_on = PlausibleDateField(label=_("Ngày hiệu lực"), widget=DateInput())
    org = OrgCodeField(label=_("Mã chi bộ"), required=False)
    decision_no = LineField(label=_("Số quyết định"), max_length=100, required=False)
    note = LongTextField(label=_("Ghi chú"), required=False,
                         widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, event: str, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        if event in ("transfer", "readmit"):
            self.fields["org"].queryset = orgs
            self.fields["org"].required = True
            self.fields["org"].label = (_("Mã chi bộ chuyển đến") if event == "transfer"
                                        else _("Mã chi bộ kết nạp lại"))
        else:
            del self.fields["org"]
        if event in ("official", "readmit"):  # the events the finding rules judge
            self.add_exception_fields()
        style_fields(self)

    @property
    def title(self) -> str:
        return EventKindChoices(self.event).label


class EndPostForm(VersionedFormMixin, forms.Form):
    edits_record = False

    end_on = PlausibleDateField(label=_("Thôi giữ chức vụ từ sau ngày (ngày cuối)"),
                                widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class PostForm(forms.Form):
    role = forms.ChoiceField(label=_("Chức vụ"), choices=PostRole.choices)
    org = OrgCodeField(label=_("Mã tổ chức (chức vụ đảng, cán bộ xã)"), required=False)
    village = CodeField(label=_("Mã thôn (trưởng thôn, trưởng ban công tác Mặt trận)"),
                        required=False, max_length=64)
    start_on = PlausibleDateField(label=_("Từ ngày"), widget=DateInput())
    end_on = PlausibleDateField(label=_("Đến ngày"), required=False, widget=DateInput())

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        style_fields(self)
