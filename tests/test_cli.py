"""The `chibo` console script."""

import io
import subprocess
import sys

from django.core.management import call_command

from chibo.accounts.models import User
from chibo.cli import ALIASES


def test_check_is_the_compliance_command():
    assert ALIASES["check"] == "compliance_check"


def test_createadmin_reads_the_password_from_stdin(db, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("long-enough-password\n"))
    call_command("createadmin", "boss", "--password-stdin", stdout=io.StringIO())
    user = User.objects.get(username="boss")
    assert user.is_superuser and user.check_password("long-enough-password")


def test_console_script_runs(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "chibo.cli", "check", "--help"], capture_output=True, text=True,
        env={"CHIBO_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}, timeout=60,
    )
    assert result.returncode == 0 and "--year" in result.stdout
