"""Template filters for Vietnamese number and percentage formats (1.733; 47,0 %)."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def num(value):
    """An integer with the locale's thousands separator: 1.733 in Vietnamese."""
    if value is None or value == "":
        return ""
    return number_format(value, force_grouping=True)


@register.filter
def percent(part, whole):
    """`part` as a share of `whole`, one decimal: 47,0 % in Vietnamese; empty when whole is 0."""
    if not whole:
        return ""
    return f"{number_format(round(100 * part / whole, 1), 1, force_grouping=True)} %"


@register.filter
def dictget(mapping, key):
    """mapping[key] in a template (None when absent)."""
    return mapping.get(key) if mapping else None
