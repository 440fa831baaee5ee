# Search (issue 15): the search vector's statistics back to PostgreSQL's default.
#
# Migration 0005 had ANALYZE keep 10,000 lexemes of the column, because the
# search read its estimates from them. It now reads exact counts from the
# lexicon (0011), and ANALYZE is run by the importer after a bulk load
# (articles.importers.statistics): with the finer statistics each run took
# 5.4 s at 100,000 stories, sampling them all; with the default it samples
# 30,000 rows, and the planner keeps what it needs to prefer the GIN index.

from django.db import migrations

ALTER = "ALTER TABLE articles_article ALTER COLUMN search_vector"


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_article_sharing_fields"),
    ]

    operations = [
        migrations.RunSQL(
            f"{ALTER} SET STATISTICS -1",
            reverse_sql=f"{ALTER} SET STATISTICS 1000",
        ),
    ]
