import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from chibo.accounts.policy import SYSTEM
from chibo.accounts.services import create_user
from chibo.core.exceptions import ValidationError


class Command(BaseCommand):
    help = "Create a system administrator (asks for the password, or --password-stdin)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password-stdin", action="store_true")
        parser.add_argument("--full-name", default="")

    def handle(self, *args, username, password_stdin, full_name, **options):
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Mật khẩu / Password: ")
            if password != getpass.getpass("Nhập lại / Again: "):
                raise CommandError("The passwords differ.")
        if len(password) < 8:
            raise CommandError("The password needs at least 8 characters.")
        try:
            create_user(actor=SYSTEM, username=username, password=password, full_name=full_name,
                        is_superuser=True)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Administrator {username} created.")
