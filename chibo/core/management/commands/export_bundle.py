from chibo.core.management.commands._later import LaterCommand


class Command(LaterCommand):
    help = "Not available yet: bundle export (shared/spec/BUNDLE.md)."
    feature = "bundle export (shared/spec/BUNDLE.md)"
