"""The dues configuration as the rules read it (chibo.dues.rules): the rules with their rates,
the shares kept per level. Read from the database on each use (a few rows)."""

from chibo.dues import rules
from chibo.dues.models import DuesRule, DuesShare


def load_rates() -> rules.Rates:
    found = []
    for rule in DuesRule.objects.prefetch_related("rates").order_by("effective_on"):
        rates = {rate.category: rules.Rate(rule.name, rule.effective_on, rate.percent,
                                           rate.amount) for rate in rule.rates.all()}
        found.append(rules.Rule(rule.name, rule.effective_on, rates))
    return rules.Rates(found)


def load_shares() -> rules.Shares:
    return rules.Shares(rules.Share(share.level, share.effective_on, share.keep_percent)
                        for share in DuesShare.objects.all())


def install_defaults(rule_model=DuesRule, share_model=DuesShare) -> None:
    """The rules and shares of RULES.md §6 (chibo.dues.rules.DEFAULT_RULES, DEFAULT_SHARES),
    where none is configured yet: the migration that creates the tables runs it."""
    from decimal import Decimal

    if not rule_model.objects.exists():
        for name, issued_on, effective_on, rates in rules.DEFAULT_RULES:
            rule = rule_model.objects.create(name=name, issued_on=issued_on,
                                             effective_on=effective_on)
            for category, (percent, amount) in rates.items():
                rule.rates.create(category=category, amount=amount,
                                  percent=Decimal(percent) if percent else None)
    if not share_model.objects.exists():
        for level, effective_on, keep, source in rules.DEFAULT_SHARES:
            share_model.objects.create(level=level, effective_on=effective_on,
                                       keep_percent=Decimal(keep), source=source)
