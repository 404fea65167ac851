"""Forms of the removal pages. They collect input; the services decide (chibo.removal.services)
and check each recorded ground against the records."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.concurrency import VersionedFormMixin
from chibo.core.forms import CodeField, LineField, LongTextField, StyledForm, date_field
from chibo.core.validation import column_length
from chibo.removal import grounds
from chibo.removal.choices import Outcome
from chibo.removal.models import RemovalCase


class ProposalForm(StyledForm):
    """The cell's proposal: the grounds (each recorded one with what the records show of the
    member today, or that they show nothing), the cell's document, the day."""

    grounds = forms.MultipleChoiceField(label=_("Căn cứ đề nghị xóa tên"),
                                        widget=forms.CheckboxSelectMultiple)
    document = LineField(label=_("Văn bản của chi bộ (nghị quyết, biên bản họp)"),
                         max_length=column_length(RemovalCase, "document"), required=False,
                         help_text=_("Bắt buộc với căn cứ không có trong hồ sơ của chibo."))
    proposed_on = date_field(_("Ngày chi bộ đề nghị"))
    note = LongTextField(label=_("Ghi chú"), required=False, rows=2)

    def __init__(self, *args, shown: dict[str, str | None], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grounds"].choices = [
            (ground.key, _label(ground, shown)) for ground in grounds.all_grounds()]
        self.fields["grounds"].widget.attrs.pop("class", None)


def _label(ground, shown: dict[str, str | None]) -> str:
    if not ground.recorded:
        return f"{ground.label} — {_('cần văn bản của chi bộ')}"
    found = shown.get(ground.key)
    return f"{ground.label} — {found or _('hồ sơ chưa cho thấy')}"


class DecisionForm(VersionedFormMixin, StyledForm):
    """The committee's decision on a case (record = the case)."""

    edits_record = False
    outcome = forms.ChoiceField(label=_("Quyết định"), choices=[
        (Outcome.REMOVED, Outcome.REMOVED.label), (Outcome.REJECTED, Outcome.REJECTED.label)])
    decided_on = date_field(_("Ngày quyết định"))
    decision_no = LineField(label=_("Số quyết định"),
                            max_length=column_length(RemovalCase, "decision_no"),
                            required=False)
    decided_by = CodeField(label=_("Mã cấp ủy quyết định"), max_length=64)
