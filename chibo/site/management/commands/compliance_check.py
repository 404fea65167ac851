"""`chibo check`: the compliance checks of the rules over an organization's subtree.

Runs every registered check (chibo.core.compliance; apps register theirs) for a year or one
month of it, prints a table (or `--format json`), and exits with status 1 when anything is found,
so that a scheduled job can alert.
"""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.compliance import CHECKS, Period, run_checks
from chibo.organizations.models import Organization


class Command(BaseCommand):
    help = "Compliance checks of the rules (meetings, absences, …) over an organization's subtree."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="organization code (default: every root)")
        parser.add_argument("--year", type=int, help="calendar year (default: this year)")
        parser.add_argument("--month", type=int, choices=range(1, 13), metavar="1-12",
                            help="only this month of the year")
        parser.add_argument("--checks", help="comma-separated check keys (default: all)")
        parser.add_argument("--today", type=date.fromisoformat,
                            help="the day the check is run as of (YYYY-MM-DD; default today)")
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument("--list", action="store_true", help="list the checks and exit")

    def handle(self, *args, org, year, month, checks, today, format, list, **options):
        if list:
            for key, check in sorted(CHECKS.items()):
                self.stdout.write(f"{key}\t{check.label}")
            return
        today = today or timezone.localdate()
        orgs = self._orgs(org)
        period = Period(year or today.year, month, today)
        keys = [key.strip() for key in checks.split(",")] if checks else None
        try:
            findings = [f for organization in orgs for f in run_checks(organization, period, keys)]
        except KeyError as error:
            raise CommandError(f"unknown check: {error.args[0]}") from error
        if format == "json":
            self.stdout.write(json.dumps({
                "org": [o.code for o in orgs], "period": period.label(),
                "count": len(findings), "findings": [f.as_dict() for f in findings],
            }, ensure_ascii=False, indent=1))
        else:
            self.stdout.write(self._table(findings, period))
        if findings:
            raise SystemExit(1)

    def _orgs(self, code: str | None) -> list[Organization]:
        if code:
            organization = Organization.objects.filter(code=code).first()
            if organization is None:
                raise CommandError(f"no organization {code}")
            return [organization]
        return list(Organization.objects.filter(parent__isnull=True).order_by("code"))

    def _table(self, findings, period) -> str:
        if not findings:
            return _("%(period)s: không có vấn đề nào.") % {"period": period.label()} + "\n"
        columns = ("check", "period", "org_code", "subject", "detail")
        rows = [[str(getattr(f, name)) for name in columns] for f in findings]
        widths = [min(48, max(len(c), *(len(r[i]) for r in rows))) for i, c in enumerate(columns)]
        widths[-1] = max(len(r[-1]) for r in rows)
        lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
        lines += ["  ".join(v[:w].ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
                  for r in rows]
        lines.append(_("%(n)s vấn đề (%(period)s).") % {"n": len(findings),
                                                       "period": period.label()})
        return "\n".join(lines) + "\n"
