"""The `chibo` console script: chibo's commands under the names the README uses.

`chibo`, `chibo --help` and `chibo help` list chibo's commands (every command of a chibo app,
and the few of Django's or a library's that chibo adopts, under its own name) with their
one-line help, then Django's own in short; `chibo help NAME` is a command's help, under its
chibo name. Any other Django command (`chibo shell`, `chibo makemigrations`) passes through.

A wrong command line — an unknown command, an option argparse refuses, a bad date, an
organization that does not exist (chibo.core.console.UsageError) — is one line on stderr and
exit status 2, never a traceback; a command's own refusal or finding (an import with errors,
`chibo check` finding something) keeps status 1. Vietnamese by default; `LANGUAGE=en` gives
English (docs/cli.md).
"""

import argparse
import difflib
import os
import re
import sys
import textwrap

from django.core.management.base import CommandParser, DjangoHelpFormatter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# chibo's command names whose Django command is named differently (`check` is Django's own).
ALIASES = {
    "check": "compliance_check",
    "import": "import_bundle",
    "export": "export_bundle",
    "worker": "db_worker",
    "photos": "member_photos",
}

# Django's or a library's commands that are chibo's too (README), with their line in chibo's words.
ADOPTED = {
    "migrate": gettext_lazy("Tạo hoặc nâng cấp cơ sở dữ liệu."),
    "worker": gettext_lazy("Chạy các việc nền (kiểm tra và nhập các gói tải lên trang nhập)."),
}

# Django's options of every command, hidden from the help of chibo's own (still accepted).
BASE_OPTIONS = {"--version", "--verbosity", "--settings", "--pythonpath", "--traceback",
                "--no-color", "--force-color", "--skip-checks"}

PROG = "chibo"


def main(argv: list[str] | None = None) -> None:
    """`argv` as sys.argv: the program's name, then the command and its arguments."""
    args = list(sys.argv if argv is None else argv)[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    _setup()
    name = args[0] if args else "help"
    if name in ("help", "--help", "-h"):
        _help(args[1:])
    elif name in ("--version", "version"):
        _version()
    elif name in chibo_commands() or name in ALIASES.values():
        _run(_chibo_name(name), args[1:])
    elif name in django_commands():
        from django.core.management import execute_from_command_line

        execute_from_command_line([PROG, *args])
    else:
        _unknown(name)


def _setup() -> None:
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.utils import translation

    try:
        django.setup()
    except ImproperlyConfigured as error:
        _fail(PROG, _("cấu hình sai: %(error)s") % {"error": error}, status=1)
    translation.activate(_language())


def _language() -> str:
    """gettext's LANGUAGE (`LANGUAGE=en chibo …`), else the site's language (Vietnamese)."""
    from django.conf import settings

    wanted = os.environ.get("LANGUAGE", "").split(":")[0][:2].lower()
    known = {code for code, _name in settings.LANGUAGES}
    return wanted if wanted in known else settings.LANGUAGE_CODE


# The commands --------------------------------------------------------------------------------

def chibo_commands() -> dict[str, str]:
    """chibo's command names → their Django command: every command of a chibo app (under its
    alias if it has one) and the adopted ones, in name order."""
    from django.core.management import get_commands

    found = get_commands()
    names = {_chibo_name(name): name for name, app in found.items()
             if app.startswith("chibo.")}
    names |= {name: ALIASES.get(name, name) for name in ADOPTED
              if ALIASES.get(name, name) in found}
    return dict(sorted(names.items()))


def django_commands() -> list[str]:
    """The other commands: Django's and its libraries' (Django's `check` is hidden behind
    `chibo check`)."""
    from django.core.management import get_commands

    taken = set(chibo_commands().values()) | set(ALIASES)
    return sorted(name for name in get_commands() if name not in taken)


def _chibo_name(django_name: str) -> str:
    return {target: alias for alias, target in ALIASES.items()}.get(django_name, django_name)


def _load(name: str):
    """The command run by `chibo NAME`, set up to speak chibo."""
    from django.core.management import get_commands, load_command_class

    ours = chibo_commands()
    django_name = ours.get(name, name)
    command = load_command_class(get_commands()[django_name], django_name)
    if name in ADOPTED:
        command.help = ADOPTED[name]
    return command


def _parser(command, name: str) -> argparse.ArgumentParser:
    command.help = str(command.help or "")  # argparse wants the text, not a lazy translation
    parser = command.create_parser(PROG, name)
    _speak_chibo(parser)
    if name in chibo_commands() and name not in ADOPTED:
        for action in parser._actions:
            if BASE_OPTIONS & set(action.option_strings):
                action.help = argparse.SUPPRESS
    return parser


def summary(name: str) -> str:
    """The first line of a command's help."""
    text = str(ADOPTED.get(name) or _load(name).help or "").strip()
    return text.splitlines()[0] if text else ""


# Help ----------------------------------------------------------------------------------------

def _help(args: list[str]) -> None:
    if "--commands" in args:  # Django's: the names, one a line (shell completion)
        sys.stdout.write("\n".join(sorted([*chibo_commands(), *django_commands()])) + "\n")
    elif args:
        name = _chibo_name(args[0])
        if name not in chibo_commands() and name not in django_commands():
            _unknown(name)
        _parser(_load(name), name).print_help()
    else:
        sys.stdout.write(help_text() + "\n")


def help_text() -> str:
    from chibo.core.console import table

    ours = chibo_commands()
    lines = [_("Cách dùng: chibo LỆNH [tùy chọn]. Trợ giúp của một lệnh: chibo help LỆNH."),
             "", _("Lệnh của chibo:"),
             table([(name, summary(name)) for name in ours], indent="  "),
             "", _("Lệnh của Django:")]
    lines += textwrap.wrap(", ".join(django_commands()), width=96, initial_indent="  ",
                           subsequent_indent="  ", break_on_hyphens=False)
    return "\n".join(lines)


def _version() -> None:
    from importlib.metadata import version

    import django

    sys.stdout.write(f"chibo {version('chibo')} (Django {django.get_version()})\n")


# Running a command ---------------------------------------------------------------------------

def _run(name: str, args: list[str]) -> None:
    """Django's BaseCommand.run_from_argv, with chibo's errors: one line, no traceback (unless
    --traceback), `chibo NAME:` before it, plain (not bold red)."""
    from django.core.management.base import (
        CommandError,
        SystemCheckError,
        handle_default_options,
    )
    from django.db import DatabaseError, connections

    command = _load(name)
    command._called_from_command_line = True
    options = _parser(command, name).parse_args(args)
    values = vars(options)
    positional = values.pop("args", ())
    handle_default_options(options)
    prog = f"{PROG} {name}"
    try:
        command.execute(*positional, **values)
    except SystemCheckError as error:
        sys.stderr.write(f"{error}\n")
        sys.exit(error.returncode)
    except CommandError as error:
        if options.traceback:
            raise
        _fail(prog, str(error), status=error.returncode)
    except OSError as error:  # a file that cannot be read or written: said, not a traceback
        if options.traceback:
            raise
        _fail(prog, _("lỗi tệp: %(error)s") % {"error": error}, status=1)
    except DatabaseError as error:  # no database yet, or not reachable
        if options.traceback:
            raise
        _fail(prog, _("lỗi cơ sở dữ liệu: %(error)s (đã chạy chibo migrate chưa? Thêm "
                      "--traceback để xem chi tiết)") % {"error": error}, status=1)
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)
    finally:  # as run_from_argv does; a caller's transaction (a test's) is left alone
        if not any(c.in_atomic_block for c in connections.all(initialized_only=True)):
            connections.close_all()


def _fail(prog: str, message: str, status: int = 2):
    """One line on stderr, then exit."""
    text = " ".join(str(message).split())
    sys.stderr.write(f"{prog}: {text}\n")
    sys.exit(status)


def _unknown(name: str) -> None:
    names = [*chibo_commands(), *django_commands()]
    close = difflib.get_close_matches(name, names, n=1)
    message = _("không có lệnh «%(name)s»") % {"name": name}
    if close:
        message += _(" (có phải «%(close)s»?)") % {"close": close[0]}
    _fail(PROG, message + _("; xem chibo help"))


# argparse's errors in chibo's words ---------------------------------------------------------

def _speak_chibo(parser: argparse.ArgumentParser) -> None:
    """The parser (and its sub-commands' parsers: `chibo token create`) reports a refused
    command line as one line in chibo's words, and titles its help in them."""
    parser.__class__ = _ChiboParser
    parser.formatter_class = _Formatter
    parser._positionals.title = _("đối số")
    parser._optionals.title = _("tùy chọn")
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = _("in trợ giúp này rồi thoát")
        elif isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _speak_chibo(sub)


def _argparse_messages() -> list[tuple[str, str]]:
    """argparse's messages as Python 3.12 words them, and chibo's words for them (a message
    worded otherwise is shown as it is)."""
    return [
        (r"the following arguments are required: (?P<what>.*)", _("thiếu %(what)s")),
        (r"unrecognized arguments: (?P<what>.*)", _("không hiểu %(what)s")),
        (r"argument (?P<option>\S+): invalid choice: (?P<value>.*?) \(choose from "
         r"(?P<choices>.*)\)", _("%(option)s: «%(value)s» không phải là một trong "
                                 "%(choices)s")),
        (r"argument (?P<option>\S+): expected one argument", _("%(option)s cần một giá trị")),
        (r"argument (?P<option>\S+): invalid \S+ value: (?P<value>.*)",
         _("%(option)s: giá trị không hợp lệ «%(value)s»")),
        (r"argument (?P<option>\S+): (?P<what>.*)", "%(option)s: %(what)s"),  # words as they are
        (r"ambiguous option: (?P<option>\S+) could match (?P<what>.*)",
         _("%(option)s có thể là %(what)s")),
    ]


def words(message: str) -> str:
    """argparse's `message` in chibo's words (itself when it is not one chibo knows)."""
    for pattern, text in _argparse_messages():
        found = re.fullmatch(pattern, message)
        if found:
            return text % {key: value.replace("'", "") for key, value in
                           found.groupdict().items()}
    return message


class _Formatter(DjangoHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, _("Cách dùng: ") if prefix is None else prefix)


class _ChiboParser(CommandParser):
    """Django's CommandParser, whose errors are one line (no usage) in chibo's words, exit 2."""

    def error(self, message):
        command = (self.prog.split() + [""])[1]  # `chibo token create`: see chibo help token
        _fail(self.prog, words(message) + _("; xem chibo help %(command)s")
              % {"command": command})


if __name__ == "__main__":
    main()
