"""The Vietnamese sort key of organization and village names (chibo.core.text.title_sort_key),
stored beside the name so that lists ORDER BY it, filled in for the rows already there."""

from django.db import migrations

import chibo.core.fields
from chibo.core.text import title_sort_key


def fill(apps, schema_editor):
    for model_name in ("Organization", "OrgPeriod", "Village"):
        model = apps.get_model("organizations", model_name)
        rows = list(model.objects.only("pk", "name"))
        for row in rows:
            row.sort_key = title_sort_key(row.name)
        model.objects.bulk_update(rows, ["sort_key"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0002_alter_organization_kind_alter_village_commune'),
    ]

    operations = [
        migrations.AddField(
            model_name='organization',
            name='sort_key',
            field=chibo.core.fields.BinaryCharField(default='', max_length=800),
        ),
        migrations.AddField(
            model_name='orgperiod',
            name='sort_key',
            field=chibo.core.fields.BinaryCharField(default='', max_length=800),
        ),
        migrations.AddField(
            model_name='village',
            name='sort_key',
            field=chibo.core.fields.BinaryCharField(default='', max_length=800),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
