from django.contrib.postgres.operations import CreateExtension, TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_initial")]

    operations = [
        CreateExtension("vector"),
        TrigramExtension(),
        UnaccentExtension(),
    ]
