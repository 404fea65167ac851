import sys

from django.core.management.base import BaseCommand

from chibo.audit.models import AuditRecord
from chibo.audit.services import verify_chain


class Command(BaseCommand):
    help = "`audit verify`: check the hash chain; exit 1 naming the first broken record."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify")

    def handle(self, *args, action, **options):
        broken = verify_chain()
        if broken is not None:
            self.stderr.write(f"audit trail broken at {broken}")
            sys.exit(1)
        self.stdout.write(f"audit trail intact: {AuditRecord.objects.count()} records")
