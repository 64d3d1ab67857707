from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("webhooks", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="webhookdelivery",
            name="event_type",
            field=models.CharField(
                choices=[
                    ("cv.completed", "Cv Completed"),
                    ("cv.failed", "Cv Failed"),
                    ("cv.updated", "Cv Updated"),
                    ("batch.completed", "Batch Completed"),
                    ("screening.completed", "Screening Completed"),
                    ("webhook.test", "Test"),
                ],
                db_index=True,
                max_length=40,
            ),
        ),
    ]
