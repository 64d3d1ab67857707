"""Options stored before tenants/endpoint_options.py was enforced on every write: keep the valid keys, drop
the rest (a non-object, an unknown key, a format we do not render), which failed or spoiled every job."""

from django.db import migrations


def salvage_options(apps, schema_editor):
    from tenants.endpoint_options import endpoint_options_salvage

    Endpoint = apps.get_model("tenants", "Endpoint")
    for endpoint in Endpoint.objects.only("pk", "options").iterator():
        kept = endpoint_options_salvage(endpoint.options)
        if kept != endpoint.options:
            Endpoint.objects.filter(pk=endpoint.pk).update(options=kept)


class Migration(migrations.Migration):
    dependencies = [("tenants", "0004_tenant_review_threshold")]

    operations = [migrations.RunPython(salvage_options, migrations.RunPython.noop)]
