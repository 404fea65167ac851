"""Forms of the admission pages. They collect input; the services decide.

Each step of a file is an action form on the candidate (`edits_record = False`: made against
the file the officer saw, chibo.core.concurrency) with the exception fields
(chibo.findings.forms), which the page shows once the service has refused the step for a rule.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.concurrency import VersionedFormMixin
from chibo.core.forms import (
    CodeField,
    EmailField,
    LineField,
    PhoneField,
    date_field,
    style_fields,
)
from chibo.findings.forms import EXCEPTION_FIELDS, ExceptionFieldsMixin
from chibo.members.choices import Gender, ProfessionalLevel, TheoryLevel

BLANK = [("", "—")]


class CandidateForm(forms.Form):
    """A new candidate on the cell's list."""

    code = CodeField(label=_("Mã hồ sơ quần chúng"), max_length=64)
    full_name = LineField(label=_("Họ và tên"), max_length=150)
    gender = forms.ChoiceField(label=_("Giới tính"), choices=Gender.choices)
    birth_date = date_field(_("Ngày sinh"))
    listed_on = date_field(_("Ngày vào danh sách quần chúng ưu tú"))
    ethnicity = LineField(label=_("Dân tộc"), max_length=50, required=False, initial="Kinh")
    religion = LineField(label=_("Tôn giáo"), max_length=50, required=False)
    national_id = LineField(label=_("Số định danh cá nhân"), max_length=12, required=False)
    phone = PhoneField(label=_("Điện thoại"), required=False)
    email = EmailField(label=_("Thư điện tử"), required=False)
    hometown = LineField(label=_("Quê quán"), max_length=255, required=False)
    residence = LineField(label=_("Nơi cư trú"), max_length=255, required=False)
    occupation = LineField(label=_("Nghề nghiệp"), max_length=255, required=False)
    general_education = LineField(label=_("Giáo dục phổ thông"), max_length=10,
                                  required=False, initial="12/12")
    professional_level = forms.ChoiceField(label=_("Chuyên môn"), required=False,
                                           choices=BLANK + ProfessionalLevel.choices)
    theory_level = forms.ChoiceField(label=_("Lý luận chính trị"), required=False,
                                     choices=BLANK + TheoryLevel.choices)

    PERSON = ("full_name", "gender", "birth_date")
    PROFILE = ("ethnicity", "religion", "national_id", "phone", "email", "hometown",
               "residence", "occupation", "general_education", "professional_level",
               "theory_level")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class ReadmissionForm(forms.Form):
    """A readmission starts from the former member's file: the person comes from it."""

    member_code = CodeField(label=_("Mã đảng viên (hồ sơ cũ)"), max_length=64)
    code = CodeField(label=_("Mã hồ sơ quần chúng"), max_length=64)
    listed_on = date_field(_("Ngày vào danh sách quần chúng ưu tú"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class StepForm(VersionedFormMixin, ExceptionFieldsMixin, forms.Form):
    """A step recorded on the candidate's file, against the file the officer saw."""

    edits_record = False
    exceptions = True  # the step can break a finding rule: it takes an exception

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.exceptions:
            self.add_exception_fields()
        style_fields(self)
        for each in self.fields.values():
            if isinstance(each.widget, forms.CheckboxInput):
                each.widget.attrs["class"] = "form-check-input"

    @property
    def exception_shown(self) -> bool:
        """The exception fields are shown once a rule refused the step, or when filled."""
        return self.exceptions and super().exception_shown

    def step_fields(self):
        return [self[name] for name in self.fields
                if name not in EXCEPTION_FIELDS and not self.fields[name].widget.is_hidden]

    def exception_fields(self):
        return [self[name] for name in EXCEPTION_FIELDS if name in self.fields]


class CertificateForm(StepForm):
    day = date_field(_("Ngày cấp giấy chứng nhận lớp nhận thức về Đảng"))


class SponsorsForm(StepForm):
    sponsor1 = forms.ChoiceField(label=_("Đảng viên giới thiệu thứ nhất"), required=False)
    sponsor2 = forms.ChoiceField(label=_("Đảng viên giới thiệu thứ hai"), required=False)
    youth_union = forms.BooleanField(label=_("Đoàn thanh niên giới thiệu (thay một đảng viên)"),
                                     required=False)

    def __init__(self, *args, sponsors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sponsors = {str(member.pk): member for member in sponsors}
        choices = BLANK + [(pk, f"{m.full_name} ({m.member_code})")
                           for pk, m in self.sponsors.items()]
        self.fields["sponsor1"].choices = self.fields["sponsor2"].choices = choices

    def member(self, name: str):
        return self.sponsors.get(self.cleaned_data.get(name) or "")


class BackgroundForm(StepForm):
    day = date_field(_("Ngày thẩm tra xong lý lịch"))


class CellResolutionForm(StepForm):
    day = date_field(_("Ngày nghị quyết chi bộ"))
    votes_for = forms.IntegerField(label=_("Số đảng viên chính thức tán thành"), min_value=0,
                                   max_value=10_000)
    votes_total = forms.IntegerField(label=_("Số đảng viên chính thức của chi bộ"),
                                     min_value=1, max_value=10_000)
    age_exception_no = LineField(
        label=_("Văn bản đồng ý kết nạp người trên 60 tuổi"), max_length=100, required=False,
        help_text=_("Chỉ khi người vào Đảng trên 60 tuổi và cấp ủy tỉnh đã đồng ý."))

    def clean(self):
        data = super().clean()
        votes_for, total = data.get("votes_for"), data.get("votes_total")
        if votes_for is not None and total is not None and votes_for > total:
            self.add_error("votes_for", _("Số tán thành lớn hơn số đảng viên chính thức của "
                                          "chi bộ."))
        return data


class CommitteeResolutionForm(StepForm):
    day = date_field(_("Ngày nghị quyết đảng ủy cơ sở"))


class DecisionForm(StepForm):
    day = date_field(_("Ngày quyết định kết nạp"))
    decision_no = LineField(label=_("Số quyết định"), max_length=100)
    decided_by = forms.ChoiceField(label=_("Cấp ủy quyết định"))
    member_code = CodeField(label=_("Mã đảng viên (số lý lịch)"), max_length=64,
                            help_text=_("Kết nạp lại: mã hồ sơ đảng viên cũ."))

    def __init__(self, *args, committees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.committees = {str(org.pk): org for org in committees}
        self.fields["decided_by"].choices = [(pk, org.name)
                                             for pk, org in self.committees.items()]

    def committee(self):
        return self.committees[self.cleaned_data["decided_by"]]


class CeremonyForm(StepForm):
    day = date_field(_("Ngày tổ chức lễ kết nạp"))
    extension_no = LineField(
        label=_("Văn bản cấp ủy cấp trên đồng ý làm lễ muộn"), max_length=100, required=False,
        help_text=_("Chỉ khi lễ kết nạp muộn hơn 30 ngày làm việc sau quyết định."))


class OutcomeForm(StepForm):
    """Withdrawal or rejection: the file ends, no rule to except."""

    exceptions = False
    day = date_field(_("Ngày"))


class RecognitionForm(StepForm):
    """Recognition as an official member: dated the day the 12 months of probation end (the
    rule), whenever it is decided; recorded on the member's file."""

    decision_no = LineField(label=_("Số quyết định công nhận đảng viên chính thức"),
                            max_length=100, required=False)
