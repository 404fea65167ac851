"""Form helpers shared by every app's pages."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError

from chibo.core import validation
from chibo.core.concurrency import StaleVersion


class DateInput(forms.DateInput):
    """A date typed the Vietnamese way (dd/mm/yyyy) in a plain text box: the browsers' date
    pickers show the locale of the device, not the page's."""

    input_type = "text"

    def __init__(self, **kwargs):
        attrs = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "class": "form-control",
                 "autocomplete": "off"}
        super().__init__(attrs=attrs, format="%d/%m/%Y", **kwargs)


def style_fields(form: forms.Form) -> None:
    """Bootstrap's classes on every field of `form` that has none yet."""
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


def add_service_error(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names, else above the form. A
    record changed since the form was opened is shown with what changed
    (`chibo.core.concurrency.VersionedFormMixin.show_conflict`)."""
    if isinstance(error, StaleVersion) and getattr(form, "record", None) is not None:
        form.show_conflict(error)
        return
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, error.messages)


def submit(request, form, action: Callable[[dict], Any],
           message: str | Callable[[Any], str]) -> Any:
    """Run a posted, valid form through its service: `action(form.cleaned_data)`.

    Returns the action's result (True when the action returns nothing), after adding the
    success `message` (a text, or a function of the result that builds it). Returns None when
    there is nothing to do (not a POST, or the form has errors, including errors the view added
    before) and when the service refuses: its ValidationError (a RuleViolation too) is then shown
    on the form, and the page is rendered again. So a view reads
    `if (meeting := submit(...)) is not None: return redirect(...)`.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as error:
        add_service_error(form, error)
        return None
    messages.success(request, message(result) if callable(message) else message)
    return True if result is None else result


# Field classes with the rules of chibo.core.validation (one definition for every way in) -----

class LineField(forms.CharField):
    """One line of text: no control or direction characters (validation.validate_line)."""

    default_validators = [validation.validate_line]


class LongTextField(forms.CharField):
    """A long text in a text area: line breaks allowed (validation.validate_text)."""

    default_validators = [validation.validate_text]

    def __init__(self, *, rows: int = 3, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)


class CodeField(forms.CharField):
    """A code: one word (validation.validate_code)."""

    default_validators = [validation.validate_code]


class PhoneField(forms.CharField):
    """A Vietnamese telephone number (validation.validate_phone)."""

    default_validators = [validation.validate_phone]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.input_type = "tel"


class EmailField(forms.CharField):
    """An e-mail address (validation.validate_email: Django's rule, and one line)."""

    default_validators = [validation.validate_email]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)
        self.widget.input_type = "email"


class PlausibleDateField(forms.DateField):
    """A date of the records: from 1900, at most a few years ahead
    (validation.validate_plausible_date)."""

    default_validators = [validation.validate_plausible_date]


def date_field(label, required: bool = True, **kwargs) -> PlausibleDateField:
    """A date of the records typed dd/mm/yyyy (or ISO: the format modules' DATE_INPUT_FORMATS)
    in a plain text box."""
    return PlausibleDateField(label=label, required=required, widget=DateInput(), **kwargs)


class StyledForm(forms.Form):
    """A form whose fields carry Bootstrap's classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
