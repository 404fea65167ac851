"""`chibo check`: the compliance checks and the record findings over an organization's subtree.

Runs every registered compliance check (chibo.core.compliance) for a year or one month of it,
and lists the record findings of the registered finding rules (chibo.findings.rules) whatever
the day they arose unless `--year`/`--month` narrow them to it, each as open or as excepted
(with the decision that allowed it). Prints tables (or `--format json`) and exits with status 1
when anything open is found, so that a scheduled job can alert; excepted findings do not count.
"""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.compliance import CHECKS, Period, run_checks
from chibo.core.console import UsageError, date_argument, number, table
from chibo.findings.queries import ListedFinding, record_findings
from chibo.findings.rules import RULES
from chibo.organizations.models import Organization


class Command(BaseCommand):
    help = gettext_lazy("Kiểm tra chấp hành quy định và các phát hiện trên hồ sơ; thoát 1 nếu có.")

    def add_arguments(self, parser):
        parser.add_argument("--org", metavar="CODE",
                            help=gettext_lazy("mã tổ chức (mặc định: mọi tổ chức gốc)"))
        parser.add_argument("--year", type=int, metavar="YYYY",
                            help=gettext_lazy("năm (mặc định: năm nay cho các kiểm tra, mọi năm "
                                              "cho phát hiện trên hồ sơ)"))
        parser.add_argument("--month", type=int, choices=range(1, 13), metavar="1-12",
                            help=gettext_lazy("chỉ tháng này của năm"))
        parser.add_argument("--checks", metavar="K1,K2",
                            help=gettext_lazy("các mã kiểm tra hoặc phát hiện, cách nhau bởi dấu "
                                              "phẩy (mặc định: tất cả; xem --list)"))
        parser.add_argument("--today", type=date_argument, metavar="DATE",
                            help=gettext_lazy("ngày coi là hôm nay, dd/mm/yyyy hoặc yyyy-mm-dd "
                                              "(mặc định: hôm nay)"))
        parser.add_argument("--format", choices=["table", "json"], default="table",
                            help=gettext_lazy("table (mặc định) hoặc json"))
        parser.add_argument("--list", action="store_true",
                            help=gettext_lazy("liệt kê các kiểm tra và quy tắc phát hiện rồi "
                                              "thoát"))

    def handle(self, *args, org, year, month, checks, today, format, list, **options):
        if list:
            for key, check in sorted(CHECKS.items()):
                self.stdout.write(f"{key}\t{check.label}")
            for key, rule in sorted(RULES.items()):
                self.stdout.write(f"{key}\t{rule.label}")
            return
        today = today or timezone.localdate()
        orgs = self._orgs(org)
        period = Period(year or today.year, month, today)
        check_keys, rule_keys = self._keys(checks)
        findings = [f for o in orgs for f in run_checks(o, period, check_keys)] \
            if check_keys != [] else []
        narrowed = bool(year or month)  # record findings: by the day they arose, else all
        first, last = (period.first_day, period.last_day) if narrowed else (None, None)
        listed = [item for o in orgs for item in record_findings(
            o, today, rule_keys, first=first, last=last)] if rule_keys != [] else []
        open_count = sum(1 for item in listed if not item.excepted)
        record_period = period.label() if narrowed else _("mọi năm")
        if format == "json":
            self.stdout.write(json.dumps({
                "org": [o.code for o in orgs], "period": period.label(),
                "count": len(findings), "findings": [f.as_dict() for f in findings],
                "record_period": period.label() if narrowed else None,
                "record_count": len(listed), "open_count": open_count,
                "record_findings": [_record_dict(item) for item in listed],
            }, ensure_ascii=False, indent=1))
        else:
            self.stdout.write(self._table(findings, period))
            self.stdout.write(self._record_table(listed, open_count, record_period))
        if findings or open_count:
            raise SystemExit(1)

    def _keys(self, checks: str | None) -> tuple[list[str] | None, list[str] | None]:
        """(compliance check keys, finding rule keys) asked for; None: all of them."""
        if not checks:
            return None, None
        keys = [key.strip() for key in checks.split(",") if key.strip()]
        unknown = [key for key in keys if key not in CHECKS and key not in RULES]
        if unknown:
            raise UsageError(_("không có kiểm tra %(keys)s (xem --list)")
                             % {"keys": ", ".join(unknown)})
        return [k for k in keys if k in CHECKS], [k for k in keys if k in RULES]

    def _orgs(self, code: str | None) -> list[Organization]:
        if code:
            organization = Organization.objects.filter(code=code).first()
            if organization is None:
                raise UsageError(_("không có tổ chức mã %(code)s") % {"code": code})
            return [organization]
        return list(Organization.objects.filter(parent__isnull=True).order_by("code"))

    def _table(self, findings, period) -> str:
        if not findings:
            return _("%(period)s: không có vấn đề nào.") % {"period": period.label()} + "\n"
        columns = ("check", "period", "org_code", "subject", "detail")
        rows = [[str(getattr(f, name)) for name in columns] for f in findings]
        lines = [table(rows, [_("kiểm tra"), _("kỳ"), _("tổ chức"), _("đối tượng"),
                              _("chi tiết")])]
        lines.append(_("%(n)s vấn đề (%(period)s).") % {"n": number(len(findings)),
                                                       "period": period.label()})
        return "\n".join(lines) + "\n"

    def _record_table(self, listed: list[ListedFinding], open_count: int, label: str) -> str:
        if not listed:
            return _("Phát hiện trên hồ sơ (%(period)s): không có.") % {"period": label} + "\n"
        rows = [[item.finding.key, f"{item.finding.file}:{item.finding.record}",
                 date_format(item.finding.day, "d/m/Y"), item.finding.org_code,
                 item.finding.subject,
                 item.status_text(), item.finding.detail,
                 f"{item.finding.rule} ({item.finding.source})"] for item in listed]
        lines = [table(rows, [_("phát hiện"), _("hồ sơ"), _("ngày phát sinh"), _("tổ chức"),
                              _("đối tượng"), _("tình trạng"), _("chi tiết"), _("quy tắc")])]
        lines.append(_("%(n)s phát hiện trên hồ sơ (%(period)s), %(open)s chưa có ngoại lệ.")
                     % {"n": number(len(listed)), "period": label,
                        "open": number(open_count)})
        return "\n".join(lines) + "\n"


def _record_dict(item: ListedFinding) -> dict:
    f, exception = item.finding, item.exception
    return {
        "key": f.key, "file": f.file, "record": f.record, "org_code": f.org_code,
        "org_name": f.org_name, "subject": f.subject, "detail": f.detail, "rule": f.rule,
        "source": f.source, "day": f.day.isoformat(),
        "status": "excepted" if exception else "open",
        "exception": None if exception is None else {
            "decision_no": exception.decision_no,
            "decided_on": exception.decided_on.isoformat(),
            "decided_by": exception.decided_by, "note": exception.note},
    }

