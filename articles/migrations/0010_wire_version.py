# Issue 13: the highest version of each wire story known, and whether it was
# canceled, kept even when the story is not (articles.importers.versions).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_article_byline"),
    ]

    operations = [
        migrations.CreateModel(
            name="WireVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "guid",
                    models.CharField(max_length=255, unique=True, verbose_name="المعرّف الخارجي"),
                ),
                ("version", models.PositiveIntegerField(verbose_name="أعلى نسخة معروفة")),
                ("is_canceled", models.BooleanField(default=False, verbose_name="ألغاه المرسل")),
                ("seen_at", models.DateTimeField(verbose_name="آخر وصول")),
            ],
            options={
                "verbose_name": "نسخة واردة",
                "verbose_name_plural": "النسخ الواردة",
            },
        ),
        # What the stored stories already tell: their versions, so an older copy
        # of a story deleted after this migration is still known to be older.
        migrations.RunSQL(
            """
            INSERT INTO articles_wireversion (guid, version, is_canceled, seen_at)
            SELECT guid, version, false, updated_at FROM articles_article
            WHERE guid NOT LIKE 'newsroom:%'
            """,
            migrations.RunSQL.noop,
        ),
    ]
