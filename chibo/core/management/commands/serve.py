"""`chibo serve`: the production WSGI server (gunicorn) on the configured database."""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve chibo with gunicorn (collects static files first)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1)))

    def handle(self, *args, host, port, workers, **options):
        serve(host=host, port=port, workers=workers)


def serve(*, host: str, port: int, workers: int) -> None:
    call_command("collectstatic", interactive=False, verbosity=0)
    from gunicorn.app.wsgiapp import run

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    argv = ["gunicorn", "chibo.wsgi:application", "--bind", f"{host}:{port}",
            "--workers", str(workers), "--access-logfile", "-", "--timeout", "120"]
    if settings.DEBUG:
        argv.append("--reload")
    import sys

    sys.argv = argv
    run()
