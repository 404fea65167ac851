"""The `chibo` console script."""

import io
import subprocess
import sys

import pytest
from django.core.management import call_command

from chibo.accounts.models import User
from chibo.cli import ALIASES


@pytest.mark.parametrize("command", ["check"])
def test_later_commands_say_so_and_exit_2(command):
    with pytest.raises(SystemExit) as exit_:
        call_command(ALIASES.get(command, command), stdout=io.StringIO(), stderr=io.StringIO())
    assert exit_.value.code == 2


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
    assert result.returncode in (0, 2)
