"""Forms of the handbook. Plain widgets: the handbook's own small stylesheet styles them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.concurrency import VersionedFormMixin
from chibo.core.forms import LineField, LongTextField
from chibo.handbook import catalogue, review_rules
from chibo.ratings.choices import Level


class SearchForm(forms.Form):
    q = LineField(label=_("Tìm tài liệu (không cần dấu)"), required=False, max_length=100)


class SelfReviewForm(VersionedFormMixin, forms.Form):
    """A member's self-review of `year`; `record=` the stored draft, if any (another device
    may save it meanwhile). The score is asked only when the year's rules score
    (review_rules.score_bands_for)."""

    achievements = LongTextField(
        label=_("Thành tích trong năm"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Khen thưởng, kết quả nổi bật của đồng chí trong năm (nếu có)."))
    strengths = LongTextField(
        label=_("Ưu điểm"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Tư tưởng chính trị; phẩm chất đạo đức, lối sống; ý thức tổ chức kỷ luật; "
                    "kết quả thực hiện nhiệm vụ được giao."))
    shortcomings = LongTextField(label=_("Hạn chế, khuyết điểm và nguyên nhân"),
                                 required=False, widget=forms.Textarea(attrs={"rows": 4}))
    manifestations = forms.MultipleChoiceField(
        label=_("Tự soi, tự sửa: biểu hiện suy thoái, “tự diễn biến”, “tự chuyển hóa” đồng chí "
                "tự nhận thấy"),
        required=False, widget=forms.CheckboxSelectMultiple)
    signs = forms.MultipleChoiceField(label=_("Dấu hiệu cụ thể"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    manifestation_notes = LongTextField(label=_("Giải thích về các biểu hiện đã đánh dấu"),
                                        required=False,
                                        widget=forms.Textarea(attrs={"rows": 3}))
    remedies = LongTextField(label=_("Những điều sẽ sửa chữa, khắc phục"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    self_score = forms.IntegerField(label=_("Điểm tự chấm (thang 100)"), required=False,
                                    min_value=0, max_value=100,
                                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    proposed_rating = forms.ChoiceField(label=_("Tự xếp loại"), required=False,
                                        choices=[("", "—"), *Level.choices])

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue.catalogue()
        self.fields["manifestations"].choices = [
            (item.code, f"{item.code}. {item.text}") for item in self.catalogue.manifestations]
        self.fields["signs"].choices = [
            (sign.code, f"{sign.code}. {sign.text}")
            for item in self.catalogue.manifestations for sign in item.signs]
        if review_rules.score_bands_for(year) is None:
            del self.fields["self_score"]

    def manifestation_groups(self) -> list[dict]:
        """The checkboxes grouped as in the resolution (A, B, C), each manifestation's signs
        under it, for the template."""
        boxes = {box.data["value"]: box for box in self["manifestations"]}
        sign_boxes = {box.data["value"]: box for box in self["signs"]}
        return [{"code": group.code, "title": group.title,
                 "items": [{"box": boxes[item.code],
                            "signs": [sign_boxes[sign.code] for sign in item.signs]}
                           for item in group.items]}
                for group in self.catalogue.groups]
