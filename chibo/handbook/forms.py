"""Forms of the handbook. Plain widgets: the handbook's own small stylesheet styles them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.concurrency import VersionedFormMixin
from chibo.core.forms import LineField, LongTextField
from chibo.handbook import review_rules
from chibo.ratings.choices import Level


class SearchForm(forms.Form):
    q = LineField(label=_("Tìm tài liệu (không cần dấu)"), required=False, max_length=100)


class SelfReviewForm(VersionedFormMixin, forms.Form):
    """A member's self-review; `record=` the stored draft, if any (another device may save
    it meanwhile)."""

    strengths = LongTextField(
        label=_("Ưu điểm"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Tư tưởng chính trị; phẩm chất đạo đức, lối sống; ý thức tổ chức kỷ luật; "
                    "kết quả thực hiện nhiệm vụ được giao."))
    shortcomings = LongTextField(label=_("Hạn chế, khuyết điểm và nguyên nhân"),
                                 required=False, widget=forms.Textarea(attrs={"rows": 4}))
    manifestations = forms.MultipleChoiceField(
        label=_("Biểu hiện suy thoái, “tự diễn biến”, “tự chuyển hóa” tự nhận thấy"),
        required=False, widget=forms.CheckboxSelectMultiple)
    manifestation_notes = LongTextField(label=_("Giải thích về các biểu hiện đã đánh dấu"),
                                        required=False,
                                        widget=forms.Textarea(attrs={"rows": 3}))
    remedies = LongTextField(label=_("Biện pháp khắc phục"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    self_score = forms.IntegerField(label=_("Điểm tự chấm (thang 100)"), required=False,
                                    min_value=0, max_value=100,
                                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    proposed_rating = forms.ChoiceField(label=_("Tự xếp loại"), required=False,
                                        choices=[("", "—"), *Level.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manifestations"].choices = [
            (item.code, f"{item.code}. {item.text}")
            for group in review_rules.manifestation_groups() for item in group["items"]]

    def manifestation_groups(self):
        """The checkboxes grouped as in the resolution (A, B, C), for the template."""
        boxes = {box.data["value"]: box for box in self["manifestations"]}
        return [{"code": g["code"], "title": g["title"],
                 "boxes": [boxes[item.code] for item in g["items"]]}
                for g in review_rules.manifestation_groups()]

