from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.policy import SYSTEM
from chibo.core.console import UsageError, date_argument, table
from chibo.core.exceptions import RuleViolation
from chibo.organizations import calendar


def _day(value) -> str:
    return value.strftime("%d/%m/%Y")


class Command(BaseCommand):
    help = gettext_lazy("Lịch làm việc mà các thời hạn theo ngày làm việc được tính: xem một "
                        "năm, tính một thời hạn, điều chỉnh một ngày.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="show|deadline|set|unset",
                                    title=gettext_lazy("việc"))
        show = sub.add_parser("show", help=gettext_lazy(
            "các ngày nghỉ trong tuần và ngày làm bù cuối tuần của một năm (mặc định)"))
        show.add_argument("--year", type=int, help=gettext_lazy("năm (mặc định: năm nay)"))
        deadline = sub.add_parser("deadline", help=gettext_lazy(
            "hạn cuối của \"trong N ngày làm việc kể từ\" một ngày"))
        deadline.add_argument("start", type=date_argument, metavar="NGÀY",
                              help=gettext_lazy("ngày bắt đầu tính (dd/mm/yyyy hoặc ISO)"))
        deadline.add_argument("days", type=int, metavar="N",
                              help=gettext_lazy("số ngày làm việc"))
        correct = sub.add_parser("set", help=gettext_lazy(
            "ghi một ngày là ngày nghỉ hoặc ngày làm việc, khác lịch nhà nước"))
        correct.add_argument("day", type=date_argument, metavar="NGÀY",
                             help=gettext_lazy("ngày điều chỉnh"))
        kind = correct.add_mutually_exclusive_group(required=True)
        kind.add_argument("--off", dest="working", action="store_false",
                          help=gettext_lazy("ngày nghỉ"))
        kind.add_argument("--working", dest="working", action="store_true",
                          help=gettext_lazy("ngày làm việc (làm bù)"))
        correct.add_argument("--note", required=True,
                             help=gettext_lazy("lý do, văn bản công bố"))
        unset = sub.add_parser("unset", help=gettext_lazy("bỏ điều chỉnh của một ngày"))
        unset.add_argument("day", type=date_argument, metavar="NGÀY",
                           help=gettext_lazy("ngày đã điều chỉnh"))

    def handle(self, *args, action=None, **options):
        if action == "deadline":
            return self._deadline(options["start"], options["days"])
        try:
            if action == "set":
                calendar.correct_day(options["day"], options["working"], options["note"],
                                     actor=SYSTEM)
                return self._show(options["day"].year)
            if action == "unset":
                calendar.remove_correction(options["day"], actor=SYSTEM)
                return self._show(options["day"].year)
        except RuleViolation as error:
            raise UsageError(error.messages[0]) from error
        return self._show(options.get("year") or timezone.localdate().year)

    def _show(self, year: int) -> None:
        working = calendar.working_calendar()
        rows = [(_day(d.day), date_format(d.day, "D"),
                 _("làm việc") if d.working else _("nghỉ"),
                 f"{d.name} ({_('tỉnh điều chỉnh')})" if d.corrected else d.name)
                for d in working.exceptions(year)]
        self.stdout.write(table(rows, (_("ngày"), _("thứ"), "", _("lý do"))))
        count = working.working_days_between(date(year - 1, 12, 31), date(year, 12, 31))
        self.stdout.write(_("Năm %(year)s có %(n)s ngày làm việc.") % {"year": year, "n": count})

    def _deadline(self, start, days: int) -> None:
        if days < 1:
            raise UsageError(_("số ngày làm việc phải từ 1 trở lên"))
        working = calendar.working_calendar()
        due = working.nth_working_day_after(start, days)
        left = working.working_days_between(timezone.localdate(), due)
        if left >= 0:
            line = _("Hạn cuối: %(due)s (còn %(n)s ngày làm việc)")
        else:
            line = _("Hạn cuối: %(due)s (đã quá %(n)s ngày làm việc)")
        self.stdout.write(line % {"due": _day(due), "n": abs(left)})
