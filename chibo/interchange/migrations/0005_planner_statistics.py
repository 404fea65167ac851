"""The planner's statistics, once, for an installation whose records were loaded before loads
analyzed their tables (chibo.interchange.bulk.analyze_on_commit): on SQLite, which keeps none
unless asked, the findings' first visit of a province read far more rows than it needed. Loads
keep them fresh from here on. The same as the loads write: SQLite's ANALYZE corrected for
nullable unique columns (chibo.core.db.analyze_tables)."""

from django.db import migrations

from chibo.core.db import analyze_tables


def analyze_everything(apps, schema_editor):
    connection = schema_editor.connection
    tables = [connection.ops.quote_name(model._meta.db_table)
              for model in apps.get_models() if model._meta.managed]
    analyze_tables(connection, tables)


class Migration(migrations.Migration):
    atomic = False  # PostgreSQL: VACUUM (ANALYZE) cannot run in a transaction

    dependencies = [
        ("interchange", "0004_import_run_more_errors"),
        ("members", "0015_file_reads"),
        ("meetings", "0005_below_quality_index"),
        ("organizations", "0004_dated_sector"),
    ]

    operations = [migrations.RunPython(analyze_everything, migrations.RunPython.noop,
                                       elidable=True)]
