"""The sector becomes part of the dated history: each period keeps its own (a town's committee
became a commune's in the 2025 reform), and a rename may change it. Periods recorded before
take their organization's sector, which never changed until now."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Organization = apps.get_model("organizations", "Organization")
    OrgPeriod = apps.get_model("organizations", "OrgPeriod")
    Reorganization = apps.get_model("organizations", "Reorganization")
    sector = Subquery(Organization.objects.filter(pk=OuterRef("organization_id")).values(
        "sector")[:1])
    OrgPeriod.objects.update(sector=sector)
    Reorganization.objects.filter(change="rename").update(old_sector=sector)


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0003_title_sort_keys'),
    ]

    operations = [
        migrations.AddField(
            model_name='orgperiod',
            name='sector',
            field=models.CharField(blank=True, choices=[('commune', 'Xã'), ('ward', 'Phường'), ('town', 'Thị trấn'), ('agency', 'Cơ quan'), ('public_service_unit', 'Đơn vị sự nghiệp'), ('state_enterprise', 'Doanh nghiệp nhà nước'), ('non_state_enterprise', 'Doanh nghiệp ngoài nhà nước'), ('army', 'Quân đội'), ('police', 'Công an'), ('other', 'Khác')], default='', max_length=32, verbose_name='loại hình'),
        ),
        migrations.AddField(
            model_name='reorganization',
            name='new_sector',
            field=models.CharField(blank=True, choices=[('commune', 'Xã'), ('ward', 'Phường'), ('town', 'Thị trấn'), ('agency', 'Cơ quan'), ('public_service_unit', 'Đơn vị sự nghiệp'), ('state_enterprise', 'Doanh nghiệp nhà nước'), ('non_state_enterprise', 'Doanh nghiệp ngoài nhà nước'), ('army', 'Quân đội'), ('police', 'Công an'), ('other', 'Khác')], max_length=32),
        ),
        migrations.AddField(
            model_name='reorganization',
            name='old_sector',
            field=models.CharField(blank=True, choices=[('commune', 'Xã'), ('ward', 'Phường'), ('town', 'Thị trấn'), ('agency', 'Cơ quan'), ('public_service_unit', 'Đơn vị sự nghiệp'), ('state_enterprise', 'Doanh nghiệp nhà nước'), ('non_state_enterprise', 'Doanh nghiệp ngoài nhà nước'), ('army', 'Quân đội'), ('police', 'Công an'), ('other', 'Khác')], max_length=32),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
