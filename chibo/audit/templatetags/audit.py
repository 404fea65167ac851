"""Template filters of the audit trail's pages (a builtin library: settings.TEMPLATES)."""

from django import template

from chibo.audit import present
from chibo.audit.registry import label_of

register = template.Library()


@register.filter
def action_label(name):
    """The registered label of an audit action name."""
    return label_of(name)


@register.filter
def audit_changes(record):
    """The fields a change altered, in words, one line each (chibo.audit.present)."""
    return present.changes_html(record)


@register.filter
def audit_type(record):
    """What kind of record it is, in words ("đảng viên")."""
    return present.type_label(record.object_type)
