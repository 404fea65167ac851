"""What the report commands share (`chibo admission report`, `chibo inspection report`): the
options naming a subtree and a period, and their reading, judged by the pages' `PeriodForm`."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.console import UsageError, date_argument
from chibo.organizations.models import Organization
from chibo.stats.forms import PeriodForm


def add_period_arguments(parser, *, output_help) -> None:
    """--org, --from, --to and --output on a report's sub-command."""
    parser.add_argument("--org", required=True, metavar="CODE",
                        help=gettext_lazy("mã tổ chức (bắt buộc)"))
    parser.add_argument("--from", dest="date_from", type=date_argument, metavar="DATE",
                        help=gettext_lazy("đầu kỳ (mặc định: 1/1 của năm --to)"))
    parser.add_argument("--to", dest="date_to", type=date_argument, metavar="DATE",
                        help=gettext_lazy("cuối kỳ (mặc định: hôm nay)"))
    parser.add_argument("--output", required=True, metavar="FILE", help=output_help)


def report_period(org: str, date_from: date | None,
                  date_to: date | None) -> tuple[Organization, date, date]:
    """The organization and the period the options name; UsageError (exit status 2) for an
    unknown code or a period the page would refuse."""
    organization = Organization.objects.filter(code=org).first()
    if organization is None:
        raise UsageError(_("không có tổ chức mã %(code)s") % {"code": org})
    period = PeriodForm.of(date_from, date_to)
    if not period.is_valid():
        raise UsageError(period.error_text())
    return organization, *period.period()
