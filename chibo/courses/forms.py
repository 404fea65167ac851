"""Forms of the course pages. They collect input; the services decide (chibo.courses.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.concurrency import VersionedFormMixin
from chibo.core.forms import (
    CodeField,
    LineField,
    LongTextField,
    date_field,
    style_fields,
)
from chibo.core.validation import column_length
from chibo.courses.choices import CourseKind, Result
from chibo.courses.models import Course, Enrollment


class CourseForm(forms.Form):
    """Opening a course, organized by the committee of the page."""

    code = CodeField(label=_("Mã lớp"), max_length=column_length(Course, "code"))
    name = LineField(label=_("Tên lớp"), max_length=column_length(Course, "name"))
    kind = forms.ChoiceField(label=_("Loại lớp"), choices=CourseKind.choices)
    start_on = date_field(_("Ngày khai giảng"))
    end_on = date_field(_("Ngày bế giảng"))
    place = LineField(label=_("Địa điểm"), max_length=column_length(Course, "place"),
                      required=False)
    decision_no = LineField(label=_("Số quyết định mở lớp"),
                            max_length=column_length(Course, "decision_no"), required=False)
    note = LongTextField(label=_("Ghi chú"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class EnrollForm(VersionedFormMixin, forms.Form):
    """A learner for the course, named by code or searched by name within the committee's
    subtree (chibo.courses.queries.find_learners)."""

    edits_record = False  # a learner added to the course, as the officer saw it

    learner = LineField(label=_("Mã hoặc họ tên học viên (đảng viên, quần chúng)"),
                        max_length=150,
                        widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class ResultForm(VersionedFormMixin, forms.Form):
    """A learner's result, and the certificate when completed (record=the enrollment)."""

    result = forms.ChoiceField(label=_("Kết quả"), choices=Result.choices)
    certificate_no = LineField(label=_("Số giấy chứng nhận"), required=False,
                               max_length=column_length(Enrollment, "certificate_no"))
    certificate_on = date_field(_("Ngày cấp giấy chứng nhận"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
