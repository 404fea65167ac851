"""Statistics queries at the database's own speed: rows read past the ORM's per-value work, and
date parts computed in SQL (Django's date functions call Python for every row on SQLite)."""

from datetime import date

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


class DateText(Func):
    """A date column read for `plain_rows` and turned into a date by `date_of`, for many rows:
    SQLite's driver would parse each declared date with Django's `parse_date` (a regular
    expression per value, most of the reading's time for a few thousand rows of dates);
    read as text there, `date.fromisoformat` does it in C. PostgreSQL's driver gives dates."""

    output_field = DateField()
    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="CAST(%(expressions)s AS TEXT)",
                              **extra)


def date_of(value) -> date | None:
    """A date read through `DateText` with `plain_rows`."""
    return date.fromisoformat(value) if isinstance(value, str) else value


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


def analyze_tables(connection, tables: list[str]) -> None:
    """Refresh the planner's statistics of `tables` (quoted names) on `connection`.

    On PostgreSQL, VACUUM also marks the pages all-visible, so that covering indexes are read
    alone (index-only scans) instead of visiting each row; it cannot run inside a transaction,
    where ANALYZE alone must do. On SQLite, see `_unique_means_one`."""
    postgresql = connection.vendor == "postgresql"
    verb = "VACUUM (ANALYZE)" if postgresql and not connection.in_atomic_block else "ANALYZE"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{verb} {table}")
        if not postgresql:
            _unique_means_one(cursor, tables)


def _unique_means_one(cursor, tables: list[str]) -> None:
    """Tell SQLite's planner that a unique index finds one row per value.

    SQLite's ANALYZE counts the NULLs of a nullable unique column as one value: the index of a
    member's login (NULL for all but a few hundred of 74,000 members) reads "74,000 rows per
    value", and the planner then found the signed-in member by scanning every active member
    (0.8 s) instead of by the login (1 ms). A lookup by a value finds at most one row, whatever
    the NULLs: that is what the statistics must say (SQLite lets them be edited; ANALYZE
    sqlite_schema reloads them)."""
    for table in tables:
        cursor.execute(f"PRAGMA index_list({table})")
        for _seq, index, unique, *_rest in cursor.fetchall():
            if not unique:
                continue
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE idx = %s", [index])
            row = cursor.fetchone()
            parts = row[0].split() if row else []
            if parts and parts[-1] != "1":
                cursor.execute("UPDATE sqlite_stat1 SET stat = %s WHERE idx = %s",
                               [" ".join([*parts[:-1], "1"]), index])
    cursor.execute("ANALYZE sqlite_schema")
