from chibo.core.management.commands._later import LaterCommand


class Command(LaterCommand):
    help = "Not available yet: bundle import (shared/spec/BUNDLE.md)."
    feature = "bundle import (shared/spec/BUNDLE.md)"
