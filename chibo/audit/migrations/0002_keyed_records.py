"""Records gain their hash scheme and key id. The records already there were made with plain
SHA-256 and keep it (scheme `sha256`): re-signing them with the key would launder any tampering
done before, so they stay as they were, and `chibo audit verify` says how far they reach."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditrecord",
            name="scheme",
            field=models.CharField(choices=[("sha256", "SHA-256"), ("hmac-sha256", "HMAC-SHA256")],
                                   default="sha256", max_length=16),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditrecord",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
            preserve_default=False,
        ),
    ]
