"""The sign-in lockout: an account at an address, and the account from anywhere, more slowly.

django-axes counts failures by the groups of settings.AXES_LOCKOUT_PARAMETERS — here the
account at the client's address, then the account alone — but compares every group with one
limit (AXES_FAILURE_LIMIT). With one limit the account-alone group, which counts at least as
many failures as the other, would decide alone: the five bad passwords of one person would lock
the account everywhere, as they used to lock the whole address. Axes has no limit per group, so
this handler gives the account alone its own, larger one (ACCOUNT_FAILURE_LIMIT): a guesser
spread over many addresses is stopped there, and the owner at their office is not stopped by
someone else's mistakes.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.core.checks import Error, register
from django.db.models import Sum


class AccountAtAddressHandler(AxesDatabaseHandler):
    """Axes' database handler whose failure count is the one that decides the lockout."""

    def get_failures(self, request, credentials=None) -> int:
        """The failures of this account at this address; the account's from every address
        instead once those reach ACCOUNT_FAILURE_LIMIT (always at least AXES_FAILURE_LIMIT, so
        that axes locks then)."""
        at_address, anywhere = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if anywhere >= settings.ACCOUNT_FAILURE_LIMIT:
            return anywhere
        return at_address


@register()
def check_lockout_settings(app_configs, **kwargs):
    """The handler reads the groups in this order and relies on the larger account limit."""
    errors = []
    if settings.AXES_LOCKOUT_PARAMETERS != [["username", "ip_address"], "username"]:
        errors.append(Error("AXES_LOCKOUT_PARAMETERS must be "
                            '[["username", "ip_address"], "username"] for '
                            "chibo.accounts.lockout", id="chibo.E101"))
    if settings.ACCOUNT_FAILURE_LIMIT < settings.AXES_FAILURE_LIMIT:
        errors.append(Error("ACCOUNT_FAILURE_LIMIT must not be below AXES_FAILURE_LIMIT",
                            id="chibo.E102"))
    return errors
