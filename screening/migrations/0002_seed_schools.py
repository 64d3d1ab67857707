from django.db import migrations


def load_schools(apps, schema_editor):
    from screening.schools import seed_rows

    School = apps.get_model("screening", "School")
    for row in seed_rows():
        School.objects.update_or_create(
            name=row["name"], defaults={"aliases": row["aliases"], "tiers": row["tiers"], "country": row.get("country", "")}
        )


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [migrations.RunPython(load_schools, migrations.RunPython.noop)]
