"""Errors that services raise: views turn them into form errors, the API into 400/403/422."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "RuleViolation", "ValidationError"]


class RuleViolation(ValidationError):
    """A business rule refused the change; the message is for the user (Vietnamese by default).

    `field` names the input at fault when there is one, so forms and the API can point at it.
    """

    def __init__(self, message, *, code: str = "rule", field: str | None = None, params=None):
        super().__init__(message, code=code, params=params)
        self.field = field
