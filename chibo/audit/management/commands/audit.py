import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy

from chibo.audit.models import AuditRecord
from chibo.audit.services import verify_chain


class Command(BaseCommand):
    help = gettext_lazy("Kiểm tra chuỗi băm của nhật ký thay đổi (audit verify); thoát 1 nếu hỏng.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="verify",
                                    title=gettext_lazy("việc"))
        sub.add_parser("verify", help=gettext_lazy("kiểm tra chuỗi băm của nhật ký thay đổi"))

    def handle(self, *args, action, **options):
        broken = verify_chain()
        if broken is not None:
            self.stderr.write(f"audit trail broken at {broken}")
            sys.exit(1)
        self.stdout.write(f"audit trail intact: {AuditRecord.objects.count()} records")
