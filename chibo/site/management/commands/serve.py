"""`chibo serve`: the production WSGI server (gunicorn) on the configured database, and one
background-task worker (`chibo worker`) beside it unless told otherwise.

The worker runs what pages hand over to the background (a bundle import confirmed on the import
page). With nothing else set up, serving must also run those, so `chibo serve` starts one
worker process and stops it when it stops. Where workers run as their own service (several
machines, a process supervisor), pass `--no-worker`.
"""

import atexit
import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy


class Command(BaseCommand):
    help = gettext_lazy("Chạy chibo thật (gunicorn) cùng một tiến trình việc nền.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", metavar="H",
                            help=gettext_lazy("địa chỉ lắng nghe (mặc định: 127.0.0.1)"))
        parser.add_argument("--port", type=int, default=8000, metavar="N",
                            help=gettext_lazy("cổng (mặc định: 8000)"))
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1)),
                            metavar="N",
                            help=gettext_lazy("số tiến trình web (mặc định: số CPU, ít nhất 2)"))
        parser.add_argument("--no-worker", action="store_true",
                            help=gettext_lazy("không chạy tiến trình việc nền (khi chibo worker "
                                              "chạy như một dịch vụ riêng)"))

    def handle(self, *args, host, port, workers, no_worker, **options):
        serve(host=host, port=port, workers=workers, task_worker=not no_worker)


def start_task_worker() -> subprocess.Popen:
    """`chibo worker` as a child process, stopped when this process exits."""
    worker = subprocess.Popen([sys.executable, "-m", "chibo.cli", "worker"], env=os.environ)
    owner = os.getpid()

    def stop() -> None:
        # gunicorn's forked web workers inherit this exit hook: only the server stops the worker.
        if os.getpid() == owner and worker.poll() is None:
            worker.terminate()  # the worker finishes the task it is running, then exits
            try:
                worker.wait(timeout=120)
            except subprocess.TimeoutExpired:
                worker.kill()

    atexit.register(stop)
    return worker


def serve(*, host: str, port: int, workers: int, task_worker: bool = True) -> None:
    call_command("collectstatic", interactive=False, verbosity=0)
    from gunicorn.app.wsgiapp import run

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    argv = ["gunicorn", "chibo.wsgi:application", "--bind", f"{host}:{port}",
            "--workers", str(workers), "--access-logfile", "-", "--timeout", "120"]
    if settings.DEBUG:
        argv.append("--reload")
    if task_worker:
        start_task_worker()
    sys.argv = argv
    run()
