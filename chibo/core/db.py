"""Statistics queries at the database's own speed: rows read past the ORM's per-value work, and
date parts computed in SQL (Django's date functions call Python for every row on SQLite)."""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import CharField, DateField, Func, IntegerField, QuerySet


def plain_rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a `values_list` queryset as the database gives them.

    For grouped counts: Django would call a converter for every count (tens of thousands for a
    province), which costs more than the database's own reading of the rows. Integers and text
    come back alike from both databases; a boolean column comes back as 0/1 from SQLite and as
    False/True from PostgreSQL, so read it as a truth value, never compare it."""
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # a condition that selects nothing (e.g. an empty `__in` list)
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class MonthOf(Func):
    """The calendar month of a date, one value per month (compared and counted, never read)."""

    output_field = CharField()
    template = "date_trunc('month', %(expressions)s::timestamp)"

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite stores a date as ISO text: its first seven characters are the month.
        return super().as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)",
                              **extra)


class YearOf(Func):
    """The year of a date, as an integer."""

    output_field = IntegerField()
    template = "CAST(EXTRACT(YEAR FROM %(expressions)s) AS integer)"

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection,
                              template="CAST(substr(%(expressions)s, 1, 4) AS integer)", **extra)


class PlusMonths(Func):
    """A date `months` calendar months later (a whole number, written into the SQL), as a date
    compared with others. PostgreSQL keeps the day or takes the month's last day (31 January
    + 1 month = 28 February); SQLite carries the extra days over (3 March), a later day: a
    condition `day < PlusMonths(...)` selects at least the rows it should, and the caller
    judges the few days at the end of a month exactly."""

    output_field = DateField()

    def __init__(self, expression, months: int, *, month_start: bool = False, **extra):
        self.months, self.month_start = int(months), month_start
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra):
        # a timestamp without time zone: with one, every row would pay the zone's rules
        start = "date_trunc('month', CAST(%(expressions)s AS timestamp))" if self.month_start \
            else "%(expressions)s"
        return super().as_sql(compiler, connection, template=(
            f"CAST({start} + interval '{self.months} months' AS date)"), **extra)

    def as_sqlite(self, compiler, connection, **extra):
        start = ", 'start of month'" if self.month_start else ""
        return super().as_sql(compiler, connection, template=(
            f"date(%(expressions)s{start}, '{self.months:+d} months')"), **extra)


class Unindexed(Func):
    """A column as a value that no index serves, on SQLite (a unary +, SQLite's documented way
    to keep its planner off an index); the column as is elsewhere. For the queries whose plan
    the application picks (docs/performance.md): a large subtree's first page in name order
    walks the name index and stops after a page, instead of reading every member that the
    status and the subtree select through their own index and sorting them all."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra)
