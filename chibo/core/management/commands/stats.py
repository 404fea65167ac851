from chibo.core.management.commands._later import LaterCommand


class Command(LaterCommand):
    help = "Not available yet: statistics (shared/spec/METRICS.md)."
    feature = "statistics (shared/spec/METRICS.md)"
