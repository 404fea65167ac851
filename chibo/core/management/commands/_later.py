"""Commands whose features arrive with a later issue: they say so and exit with status 2."""

from django.core.management.base import BaseCommand


class LaterCommand(BaseCommand):
    feature = ""

    def add_arguments(self, parser):
        parser.add_argument("args", nargs="*")

    def handle(self, *args, **options):
        self.stderr.write(f"chibo: {self.feature} is not available yet in this version.")
        raise SystemExit(2)
