"""Reading rows past the ORM's per-value work, where a statistics query returns thousands."""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def plain_rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a `values_list` queryset as the database gives them.

    For grouped counts, whose columns are integers or text on both databases: Django would call
    a converter for every count (tens of thousands for a province), which costs more than the
    database's own reading of the rows."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a condition that selects nothing (e.g. an empty `__in` list)
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
