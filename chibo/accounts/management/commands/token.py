from django.core.management.base import BaseCommand, CommandError

from chibo.accounts.models import User
from chibo.accounts.policy import SYSTEM
from chibo.accounts.services import create_token, revoke_token
from chibo.core.exceptions import ValidationError


class Command(BaseCommand):
    help = "Personal API tokens: `token create USERNAME [--name N]` or `token revoke TOKEN`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("username")
        create.add_argument("--name", default="")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("token")

    def handle(self, *args, action, **options):
        try:
            if action == "create":
                user = User.objects.filter(username=options["username"]).first()
                if user is None:
                    raise CommandError(f"No user {options['username']!r}.")
                _, raw = create_token(user, actor=SYSTEM, name=options["name"])
                self.stdout.write(raw)
                self.stderr.write("Keep this token now: it is stored only as a hash.")
            else:
                token = revoke_token(options["token"], actor=SYSTEM)
                self.stdout.write(f"Token {token.prefix}… of {token.user.username} revoked.")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
