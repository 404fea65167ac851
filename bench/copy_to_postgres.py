"""Copy a chibo SQLite database into a PostgreSQL one, table by table with COPY.

Loading ten provinces through the importer takes minutes per province on PostgreSQL (the tree
goes through the organization services row by row); a database already built on SQLite copies
over in a few minutes instead. Both must be at the same migration; the target is migrated
first, emptied, filled (foreign keys are checked at commit), and its sequences reset.

    CHIBO_DATABASE_URL=postgres://chibo@127.0.0.1/chibo_ten uv run chibo migrate
    uv run python bench/copy_to_postgres.py /tmp/ten/chibo.sqlite3 postgres://chibo@127.0.0.1/chibo_ten
"""

import argparse
import sqlite3
import time

import psycopg

SKIP = {"django_migrations", "sqlite_sequence"}


def tables(source: sqlite3.Connection, target: psycopg.Connection) -> list[str]:
    names = {row[0] for row in source.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")}
    present = {row[0] for row in target.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    return sorted((names & present) - SKIP)


def columns(target: psycopg.Connection, table: str) -> dict[str, str]:
    return dict(target.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s",
        (table,)).fetchall())


def copy_table(source, target, table: str) -> int:
    types = columns(target, table)
    names = [row[1] for row in source.execute(f'PRAGMA table_info("{table}")')
             if row[1] in types]
    booleans = {i for i, name in enumerate(names) if types[name] == "boolean"}
    listed = ", ".join(f'"{name}"' for name in names)
    count = 0
    with target.cursor().copy(f'COPY "{table}" ({listed}) FROM STDIN') as copy:
        for row in source.execute(f'SELECT {listed} FROM "{table}"'):
            if booleans:
                row = [bool(v) if i in booleans and v is not None else v
                       for i, v in enumerate(row)]
            copy.write_row(row)
            count += 1
    return count


def reset_sequences(target, table: str) -> None:
    for (column,) in target.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND (column_default LIKE 'nextval%%' OR is_identity = 'YES')", (table,)).fetchall():
        target.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
            f"COALESCE((SELECT max(\"{column}\") FROM \"{table}\"), 0) + 1, false)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sqlite_file")
    parser.add_argument("postgres_url")
    args = parser.parse_args()
    source = sqlite3.connect(args.sqlite_file)
    started = time.monotonic()
    with psycopg.connect(args.postgres_url) as target:
        target.execute("SET TIME ZONE 'UTC'")
        names = tables(source, target)
        target.execute("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " CASCADE")
        target.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in names:
            print(f"{table}: {copy_table(source, target, table)} rows", flush=True)
            reset_sequences(target, table)
    print(f"copied in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
