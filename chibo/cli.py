"""The `chibo` console script: chibo's commands, run as Django management commands.

`chibo demo`, `chibo serve`, `chibo import …` and the others of spec/INTERFACES.md; any other
Django command (`chibo shell`, `chibo makemigrations`) passes through.
"""

import os
import sys

# chibo's command names whose Django command is named differently (`check` is Django's own).
ALIASES = {
    "check": "compliance_check",
    "import": "import_bundle",
    "export": "export_bundle",
    "worker": "db_worker",
    "photos": "member_photos",
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    from django.core.management import execute_from_command_line

    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    else:
        argv.append("help")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
