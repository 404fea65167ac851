from chibo.core.management.commands._later import LaterCommand


class Command(LaterCommand):
    help = "Not available yet: the compliance checks."
    feature = "the compliance checks"
