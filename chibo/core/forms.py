"""Form helpers shared by every app's pages."""

from django.core.exceptions import ValidationError


def add_service_error(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names, else above the form."""
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, error.messages)
