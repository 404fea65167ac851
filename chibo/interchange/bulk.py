"""Inserting many rows fast: COPY on PostgreSQL, one prepared INSERT run with executemany on
SQLite.

`bulk_create` compiles every value through the ORM's query compiler, which costs about 0.3 ms
per member row here (a 70,000-member province took 20 s for the members alone, 9 s for their
150,000 periods). The import writes its big tables with this instead. A value is prepared by
its model field (`get_db_prep_save`, so that times and the like reach each database as it
expects) unless it is a str, int, bool or date: every field passes those through unchanged, and
both drivers take a date as it is (Django registers SQLite's adapter); a choice (an Enum, such
as a member's status) is stored as its value, as the model field would. On PostgreSQL,
executemany manages only about 10,000 rows/s, COPY several times that. No signals run.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum
from itertools import batched

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from chibo.core.db import analyze_tables

BATCH = 5000
PLAIN = frozenset({str, int, bool, date, type(None)})  # exact types: not datetime


def _default(field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return field.get_default()


def insert_rows(model, rows: Iterable[dict]) -> int:
    """INSERT `rows` into `model`: dicts of field attnames to values; a column a row leaves out
    takes the field's default (auto_now fields: now), as a saved instance would. `rows` may be
    a generator, read as written (BATCH rows at a time on SQLite), so that a big table's rows
    are never all in memory at once; how many were written."""
    connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-thread proxy
    now = timezone.now()
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    defaults = {field.attname: _default(field, now) for field in fields}
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    prepared = [(field.attname, field.get_db_prep_save) for field in fields]

    def values(row: dict) -> list:
        out = [row.get(name, defaults[name]) for name, _ in prepared]
        for index, value in enumerate(out):
            if type(value) not in PLAIN:
                out[index] = value.value if isinstance(value, Enum) else (
                    prepared[index][1](value, connection))
        return out

    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
                    written += 1
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
            for batch in batched(rows, BATCH):
                cursor.executemany(sql, [values(row) for row in batch])
                written += len(batch)
    if written:
        analyze_on_commit(model)
    return written


def analyze_on_commit(*models) -> None:
    """Refresh the planner's statistics of the models' tables once the load commits (nothing
    on rollback).

    Until they are refreshed the planner believes freshly loaded tables small, or knows nothing
    of how selective an index is, and picks poor plans: on PostgreSQL the demo province's
    statistics took 500 ms right after `chibo demo` and 340 ms once its tables were analyzed;
    on SQLite, which keeps no statistics unless asked, a province's findings read every meeting
    of the year through the date index (0.2 s) instead of the few absences (0.04 s)."""
    connection = connections[DEFAULT_DB_ALIAS]
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]

    transaction.on_commit(lambda: analyze_tables(connection, tables))


@contextmanager
def roomy_cache(megabytes: int = 128) -> Iterator[None]:
    """On SQLite, a page cache big enough for a province's indexes while a bundle is written.

    With SQLite's default of 2 MB, every insert into the member tables reads index pages back
    and writes others out (a fifth of the write time of a 70,000-member import). The cache
    grows only as pages are used; the connection's own size is put back afterwards. Nothing to
    do on PostgreSQL, whose cache is the server's."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-1024 * int(megabytes)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
