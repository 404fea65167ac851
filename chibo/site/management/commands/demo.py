"""`chibo demo`: create ./var, migrate, build the demo province, print the logins, serve."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from chibo.site.demo import DEMO_PASSWORD, build_demo


class Command(BaseCommand):
    help = "Build the demo province (Tuyên Quang) with its demo accounts and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="only build")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--size", choices=["small", "province"], default="province")
        parser.add_argument("--force", action="store_true", help="rebuild without asking")

    def handle(self, *args, no_serve, port, seed, size, force, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if self._has_data() and not force and not self._confirm():
            self.stdout.write("Kept the existing demo database.")
        else:
            self._build(seed, size)
        if not no_serve:
            from chibo.site.management.commands.serve import serve

            self.stdout.write(f"\nchibo: http://127.0.0.1:{port}/  (Ctrl+C to stop)\n")
            serve(host="127.0.0.1", port=port, workers=2)

    def _has_data(self) -> bool:
        from chibo.organizations.models import Organization

        return Organization.objects.exists()

    def _confirm(self) -> bool:
        try:
            answer = input("A demo database exists. Rebuild it from scratch? [y/N] ")
        except EOFError:
            return False
        return answer.strip().lower() in {"y", "yes", "c", "có"}

    def _build(self, seed: int, size: str) -> None:
        self._reset_database()
        started = time.monotonic()
        accounts = build_demo(seed=seed, size=size, stream=self.stderr)
        self.stdout.write(f"Demo province built in {time.monotonic() - started:.1f}s "
                          f"(seed {seed}, size {size}).")
        self.stdout.write(f"\nDemo accounts (password: {DEMO_PASSWORD}):")
        for account in accounts:
            scope = (f"{account.organization.name} ({account.organization.code})"
                     if account.organization else "whole system")
            self.stdout.write(f"  {account.username:<10} {account.role or 'admin':<10} {scope}")

    def _reset_database(self) -> None:
        """Drop everything and migrate again, so a rebuild starts from an empty database."""
        if not self._has_data():
            return
        if connection.vendor == "sqlite":
            connection.close()
            path = settings.DATABASES["default"]["NAME"]
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        else:
            call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
        if self._has_data():
            raise CommandError("Could not empty the demo database.")
