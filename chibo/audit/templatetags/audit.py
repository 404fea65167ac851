"""Template filters of the audit trail's pages (a builtin library: settings.TEMPLATES)."""

from django import template

from chibo.audit.registry import label_of

register = template.Library()


@register.filter
def action_label(name):
    """The registered label of an audit action name."""
    return label_of(name)


@register.filter
def audit_diff(record):
    """(field, (before, after)) for the fields a change altered; every field for a creation."""
    before, after = record.before or {}, record.after or {}
    keys = sorted(set(before) | set(after))
    return [(k, (before.get(k), after.get(k))) for k in keys if before.get(k) != after.get(k)]
