"""Forms of the meeting pages. They collect input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.concurrency import VersionedFormMixin
from chibo.core.forms import DateInput, LineField, LongTextField, PlausibleDateField, style_fields
from chibo.meetings.choices import AttendanceStatus, GuestRole, MeetingKind


def _checkboxes(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput):
            field.widget.attrs["class"] = "form-check-input"


class MeetingForm(VersionedFormMixin, forms.Form):
    """Scheduling a meeting (no `record`) or changing its schedule (`record=meeting`)."""

    kind = forms.ChoiceField(label=_("Loại sinh hoạt"), choices=MeetingKind.choices)
    combined_thematic = forms.BooleanField(
        label=_("Kết hợp sinh hoạt chuyên đề (ít nhất 120 phút)"), required=False)
    is_model = forms.BooleanField(label=_("Sinh hoạt chi bộ mẫu (mời bí thư chi bộ khác)"),
                                  required=False)
    date = PlausibleDateField(label=_("Ngày sinh hoạt"), widget=DateInput(),
                              input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    start_time = forms.TimeField(label=_("Giờ bắt đầu"), required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}))
    topic = LineField(label=_("Chủ đề"), max_length=255)
    place = LineField(label=_("Địa điểm"), max_length=255, required=False)
    online_link = forms.URLField(label=_("Đường dẫn họp trực tuyến"), max_length=500,
                                 required=False, assume_scheme="https")
    agenda = LongTextField(label=_("Chương trình sinh hoạt"), required=False,
                           widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
        _checkboxes(self)


class GuestForm(forms.Form):
    role = forms.ChoiceField(label=_("Tư cách"), choices=GuestRole.choices)
    full_name = LineField(label=_("Họ và tên"), max_length=150)
    title = LineField(label=_("Chức vụ, đơn vị"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Tệp tài liệu (PDF, Word, ODT)"))
    publish = forms.BooleanField(label=_("Công bố ngay cho đảng viên"), required=False,
                                 initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
        _checkboxes(self)


class AbsenceForm(forms.Form):
    """A member's notice of absence: the staff meeting page and the handbook share it."""

    reason = LineField(label=_("Lý do vắng mặt"), max_length=255,
                       widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


TASK_ROWS = 5


class CloseForm(VersionedFormMixin, forms.Form):
    """The whole closing on one page: one row per member of the cell that day (status, reason,
    spoke), the duration, minutes, conclusion, preparation, tasks and guests who came."""

    edits_record = False  # the closing, recorded on the meeting as the officer saw it

    duration_minutes = forms.IntegerField(label=_("Thời lượng (phút)"), min_value=1,
                                          max_value=1440)
    agenda_prepared = forms.BooleanField(label=_("Bí thư chuẩn bị chương trình, nội dung"),
                                         required=False)
    committee_prepared = forms.BooleanField(label=_("Chi ủy họp chuẩn bị trước"), required=False)
    draft_resolution = forms.BooleanField(label=_("Có dự thảo nghị quyết"), required=False)
    minutes = LongTextField(label=_("Biên bản"), required=False,
                            widget=forms.Textarea(attrs={"rows": 6}))
    minutes_complete = forms.BooleanField(label=_("Sổ biên bản ghi đầy đủ"), required=False)
    conclusion = LongTextField(label=_("Kết luận, nghị quyết của chi bộ"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, expected, guests, advance=None, **kwargs):
        super().__init__(*args, **kwargs)
        advance = advance or {}
        self.expected = expected
        self.member_rows = []
        choices_active = [(v, label) for v, label in AttendanceStatus.choices
                          if v != AttendanceStatus.EXEMPT]
        for e in expected:
            pk = e.member.pk
            if e.exempt:
                self.member_rows.append((e, None, None, None))
                continue
            notice = advance.get(pk)
            status = forms.ChoiceField(label=e.member.full_name, choices=choices_active,
                                       initial=AttendanceStatus.EXCUSED if notice
                                       else AttendanceStatus.PRESENT)
            name = e.member.full_name
            reason = LineField(
                label=_("Lý do"), required=False, max_length=255, initial=notice or "",
                widget=forms.TextInput(attrs={"aria-label": _("Lý do vắng: %(name)s")
                                              % {"name": name}}))
            spoke = forms.BooleanField(
                label=_("Phát biểu"), required=False,
                widget=forms.CheckboxInput(attrs={"aria-label": _("Phát biểu: %(name)s")
                                                  % {"name": name}}))
            self.fields[f"status_{pk}"] = status
            self.fields[f"reason_{pk}"] = reason
            self.fields[f"spoke_{pk}"] = spoke
            self.member_rows.append((e, f"status_{pk}", f"reason_{pk}", f"spoke_{pk}"))
        member_choices = [("", "—")] + [(str(e.member.pk), e.member.full_name)
                                        for e in expected if not e.exempt]
        self.task_rows = []
        for i in range(TASK_ROWS):
            self.fields[f"task_member_{i}"] = forms.ChoiceField(
                label=_("Đảng viên"), choices=member_choices, required=False)
            self.fields[f"task_text_{i}"] = LineField(label=_("Nhiệm vụ"), required=False,
                                                      max_length=500)
            self.fields[f"task_due_{i}"] = PlausibleDateField(
                label=_("Thời hạn"), required=False, widget=DateInput(),
                input_formats=["%d/%m/%Y", "%Y-%m-%d"])
            self.task_rows.append((f"task_member_{i}", f"task_text_{i}", f"task_due_{i}"))
        self.guest_rows = []
        for guest in guests:
            self.fields[f"guest_{guest.pk}"] = forms.BooleanField(
                label=guest.full_name, required=False, initial=guest.attended)
            self.guest_rows.append(f"guest_{guest.pk}")
        style_fields(self)
        _checkboxes(self)

    def clean(self):
        data = super().clean()
        for member_field, text_field, due_field in self.task_rows:
            filled = [bool(data.get(name)) for name in (member_field, text_field, due_field)]
            if any(filled) and not all(filled):
                self.add_error(text_field, _("Một nhiệm vụ cần đủ đảng viên, nội dung và thời "
                                             "hạn."))
        return data

    def task_entries(self):
        members = {str(e.member.pk): e.member for e in self.expected}
        data = self.cleaned_data
        return [(members[data[m]], data[t], data[d]) for m, t, d in self.task_rows
                if data.get(m) and data.get(t) and data.get(d)]

    # Bound fields for the template, row by row.
    def attendance_rows(self):
        return [(e, *(self[name] if name else None for name in (s, r, k)))
                for e, s, r, k in self.member_rows]

    def task_fields(self):
        return [tuple(self[name] for name in row) for row in self.task_rows]

    def guest_fields(self):
        return [self[name] for name in self.guest_rows]

    def check_fields(self):
        return [self[name] for name in ("agenda_prepared", "committee_prepared",
                                        "draft_resolution", "minutes_complete")]
