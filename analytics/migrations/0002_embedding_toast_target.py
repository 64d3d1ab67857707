from django.db import migrations


class Migration(migrations.Migration):
    """Move vectors out of line (TOAST) so heap rows stay narrow.

    A 384-dim vector is ~1.5 kB and would otherwise sit inline, making every full-text
    ranking and every tenant-filter recheck read wide rows. The HNSW index holds its own
    copy of the vectors, so only the final top-k pay the TOAST fetch.
    """

    dependencies = [("analytics", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE analytics_candidateembedding SET (toast_tuple_target = 512)",
            "ALTER TABLE analytics_candidateembedding RESET (toast_tuple_target)",
        )
    ]
