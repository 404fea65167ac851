"""Forms of the inspection pages. They collect input; the services decide
(chibo.inspection.services).

A form on an existing case (a subject's conclusion, closing an inspection, an appeal) is made
against the case the officer saw (chibo.core.concurrency); the discipline decision takes the
exception fields (chibo.findings.forms), which the page opens once the service has refused it
for a rule (discipline.*).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.concurrency import VersionedFormMixin
from chibo.core.forms import (
    CodeField,
    LineField,
    LongTextField,
    StyledForm,
    date_field,
    style_fields,
)
from chibo.core.validation import column_length
from chibo.findings.forms import ExceptionFieldsMixin
from chibo.inspection.choices import AppealOutcome, Body, Conclusion, Form, Kind
from chibo.inspection.models import (
    Discipline,
    Inspection,
    InspectionSubject,
    Programme,
    ProgrammeItem,
)
from chibo.members.forms import OneSubjectMixin

BLANK = [("", "—")]


def _line(model, name, label, required=True, **kwargs) -> LineField:
    return LineField(label=label, max_length=column_length(model, name), required=required,
                     **kwargs)


# Programmes ------------------------------------------------------------------------------------

class ProgrammeForm(StyledForm):
    """A programme for one year, or for a congress term (from – to years)."""

    title = _line(Programme, "title", _("Tên chương trình"))
    by_body = forms.ChoiceField(label=_("Chủ thể"), choices=Body.choices)
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=1930, max_value=2100,
                              help_text=_("Chương trình năm: ghi năm; chương trình toàn khóa: "
                                          "ghi năm đầu và năm cuối nhiệm kỳ."))
    term_from = forms.IntegerField(label=_("Nhiệm kỳ từ năm"), required=False, min_value=1930,
                                   max_value=2100)
    term_to = forms.IntegerField(label=_("Nhiệm kỳ đến năm"), required=False, min_value=1930,
                                 max_value=2100)
    note = LongTextField(label=_("Ghi chú"), required=False, rows=2)

    def clean(self):
        data = super().clean()
        year, start, end = data.get("year"), data.get("term_from"), data.get("term_to")
        if year is not None and (start is not None or end is not None):
            self.add_error("year", _("Ghi năm, hoặc nhiệm kỳ, không ghi cả hai."))
        elif year is None and (start is None or end is None) and not self.errors:
            self.add_error("year", _("Cần năm của chương trình, hoặc năm đầu và năm cuối "
                                     "nhiệm kỳ."))
        elif start is not None and end is not None and start > end:
            self.add_error("term_to", _("Năm cuối nhiệm kỳ trước năm đầu."))
        return data


class ProgrammeItemForm(StyledForm):
    """One line of a programme: what, whom, when."""

    kind = forms.ChoiceField(label=_("Loại"), choices=Kind.choices)
    content = _line(ProgrammeItem, "content", _("Nội dung"))
    subject_text = _line(ProgrammeItem, "subject", _("Đối tượng"), required=False)
    subject_org = CodeField(label=_("Mã tổ chức đảng là đối tượng"), max_length=64,
                            required=False)
    planned_from = date_field(_("Dự kiến từ ngày"))
    planned_to = date_field(_("Dự kiến đến ngày"))


# Inspections -----------------------------------------------------------------------------------

class InspectionForm(StyledForm):
    """Opening an inspection or supervision, by the organization of the page."""

    code = CodeField(label=_("Mã cuộc"), max_length=column_length(Inspection, "code"),
                     required=False, help_text=_("Để trống: chibo cấp mã tiếp theo."))
    kind = forms.ChoiceField(label=_("Loại"), choices=Kind.choices)
    by_body = forms.ChoiceField(label=_("Chủ thể"), choices=Body.choices)
    title = _line(Inspection, "title", _("Nội dung"), required=False)
    start_on = date_field(_("Ngày bắt đầu"))
    end_on = date_field(_("Ngày kết thúc"), required=False)
    decision_no = _line(Inspection, "decision_no", _("Số quyết định"), required=False)
    programme_item = forms.ChoiceField(label=_("Theo chương trình"), required=False,
                                       help_text=_("Để trống: ngoài chương trình (khi có dấu "
                                                   "hiệu vi phạm)."))
    note = LongTextField(label=_("Ghi chú"), required=False, rows=2)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {str(item.pk): item for item in items}
        self.fields["programme_item"].choices = BLANK + [
            (pk, f"{item.programme.title}: {item.content}") for pk, item in self.items.items()]

    def item(self):
        return self.items.get(self.cleaned_data.get("programme_item") or "")


class SubjectForm(OneSubjectMixin, VersionedFormMixin, StyledForm):
    """A subject added to the inspection: a member (by code) or an organization (by code)."""

    edits_record = False  # a subject added to the inspection, as the officer saw it

    member_code = CodeField(label=_("Mã đảng viên"), max_length=64, required=False)
    org_code = CodeField(label=_("Hoặc mã tổ chức đảng"), max_length=64, required=False)


class ConclusionForm(VersionedFormMixin, StyledForm):
    """A subject's conclusion with its document (number and date), and the follow-up it asks
    for (record = the subject)."""

    conclusion = forms.ChoiceField(label=_("Kết luận"), choices=Conclusion.choices)
    concluded_on = date_field(_("Ngày kết luận"))
    conclusion_no = _line(InspectionSubject, "conclusion_no", _("Số văn bản kết luận"),
                          required=False)
    conclusion_doc_on = date_field(_("Ngày văn bản kết luận"), required=False)
    follow_up = LongTextField(label=_("Yêu cầu khắc phục"), required=False, rows=2)
    follow_up_due = date_field(_("Hạn khắc phục"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("follow_up_due") and not (data.get("follow_up") or "").strip():
            self.add_error("follow_up", _("Hạn khắc phục cần yêu cầu khắc phục."))
        if bool(data.get("conclusion_no")) != bool(data.get("conclusion_doc_on")) \
                and "conclusion_doc_on" not in self.errors:
            self.add_error("conclusion_no" if not data.get("conclusion_no")
                           else "conclusion_doc_on",
                           _("Văn bản kết luận cần cả số và ngày."))
        return data


class FollowUpDoneForm(VersionedFormMixin, StyledForm):
    """The day the subject put right what the conclusion asked (record = the subject)."""

    edits_record = False
    done_on = date_field(_("Ngày hoàn thành khắc phục"))


class CloseForm(VersionedFormMixin, StyledForm):
    """Closing the inspection (record = the inspection)."""

    edits_record = False
    end_on = date_field(_("Ngày kết thúc"))


# Discipline ------------------------------------------------------------------------------------

class DisciplineForm(OneSubjectMixin, ExceptionFieldsMixin, StyledForm):
    """A discipline decision by the organization of the page, on a member or an organization of
    its subtree; the exception fields open when a discipline rule refuses it."""

    code = CodeField(label=_("Mã quyết định"), max_length=column_length(Discipline, "code"),
                     required=False, help_text=_("Để trống: chibo cấp mã tiếp theo."))
    member_code = CodeField(label=_("Mã đảng viên bị kỷ luật"), max_length=64, required=False)
    org_code = CodeField(label=_("Hoặc mã tổ chức đảng bị kỷ luật"), max_length=64,
                         required=False)
    form = forms.ChoiceField(label=_("Hình thức kỷ luật"), choices=Form.choices)
    by_body = forms.ChoiceField(label=_("Chủ thể quyết định"), choices=Body.choices)
    violation_on = date_field(_("Ngày vi phạm"))
    decided_on = date_field(_("Ngày quyết định"))
    decision_no = _line(Discipline, "decision_no", _("Số quyết định"), required=False)
    effective_on = date_field(_("Ngày hiệu lực"), required=False,
                         help_text=_("Để trống: có hiệu lực từ ngày quyết định."))
    inspection = CodeField(label=_("Mã cuộc kiểm tra đề nghị"), max_length=64, required=False)
    note = LongTextField(label=_("Ghi chú"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_exception_fields()
        style_fields(self)


class AppealForm(VersionedFormMixin, StyledForm):
    """The day the appeal was lodged, and the day the decision was received when the appeal
    came more than 30 working days after the decision (record = the decision)."""

    edits_record = False
    appealed_on = date_field(_("Ngày khiếu nại"))
    received_on = date_field(_("Ngày nhận quyết định"), required=False,
                        help_text=_("Cần khi khiếu nại sau 30 ngày làm việc kể từ ngày quyết "
                                    "định: thời hạn khiếu nại tính từ ngày nhận."))


class AppealDecisionForm(VersionedFormMixin, StyledForm):
    """How the appeal was decided; a changed form names the new one (record = the decision)."""

    edits_record = False
    outcome = forms.ChoiceField(label=_("Kết quả giải quyết"), choices=AppealOutcome.choices)
    decided_on = date_field(_("Ngày giải quyết"))
    form = forms.ChoiceField(label=_("Hình thức mới (khi thay đổi)"), required=False,
                             choices=BLANK + Form.choices)

    def clean(self):
        data = super().clean()
        changed = data.get("outcome") == AppealOutcome.CHANGED
        if changed and not data.get("form"):
            self.add_error("form", _("Thay đổi hình thức cần hình thức mới."))
        elif not changed and data.get("form"):
            self.add_error("form", _("Chỉ ghi hình thức mới khi thay đổi hình thức kỷ luật."))
        return data
