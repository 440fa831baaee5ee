# Grouping (issue 19): band keys indexed with their story's time.
#
# A band key of two MinHash rows is shared by chance by many stories of one
# kind (results, weather, a minister's visits); looking a batch's keys up in
# (key, article) read every story that ever shared them, a cost growing with
# the store. With the time in the index, only the window's are read.
#
# And no foreign key constraint: its check, deferred to the commit, locked the
# new story's row once for each of its band keys.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_search_source_lexemes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="storyband", name="storyband_key_article"),
        migrations.AlterField(
            model_name="storyband",
            name="article",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="articles.article",
            ),
        ),
        migrations.AddField(
            model_name="storyband",
            name="published_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunSQL(
            "UPDATE articles_storyband b SET published_at = a.published_at"
            " FROM articles_article a WHERE a.id = b.article_id",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="storyband",
            name="published_at",
            field=models.DateTimeField(),
        ),
        migrations.AddIndex(
            model_name="storyband",
            index=models.Index(
                fields=["key", "published_at"], include=["article"], name="storyband_key_time"
            ),
        ),
    ]
