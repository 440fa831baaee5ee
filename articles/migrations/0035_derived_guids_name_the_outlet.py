# Exactly once (issues 4, 18): copy without an id is keyed by its outlet too.
#
# A plain-text story's key (articles.importers.reading.derived_guid) was its
# source, day and headline. Outlets that run one agency's story under the
# agency's headline got one key between them, so each outlet's copy, as it
# arrived, overwrote the last one's text: 10% of the files of
# bench/ingest_bench.py (plain text, 10,000 files) were such updates, each
# losing an outlet's copy. The key now ends with "/" and a hash of the
# outlet when the story names one; stories without an outlet keep theirs.
#
# The stored stories with an outlet are given the key their file now
# derives, so that importing it again finds them rather than doubling
# them; the import log's rows and the known versions under the old key
# follow. Their stored outlet is the one their last file named, which is
# the file a new import would find them by. Backwards the keys stay: two
# outlets' stories may since share the old one.

from django.db import migrations

BATCH = 2000

RENAME_SQL = """
UPDATE {table} AS t SET guid = renamed.new
FROM unnest(%s::text[], %s::text[]) AS renamed (old, new)
WHERE t.guid = renamed.old
"""


def key_the_outlets(apps, schema_editor):
    # The recipe the importer derives keys with, so the two cannot differ.
    from articles.importers.reading import publisher_key

    Article = apps.get_model("articles", "Article")
    stories = (
        Article.objects.filter(guid__startswith="text:")
        .exclude(publisher="")
        .exclude(guid__contains="/")
        .values_list("guid", "publisher")
    )
    renamed = [(guid, guid + publisher_key(publisher)) for guid, publisher in stories.iterator()]
    with schema_editor.connection.cursor() as cursor:
        for start in range(0, len(renamed), BATCH):
            old, new = (list(column) for column in zip(*renamed[start : start + BATCH]))
            for table in ("articles_article", "articles_importrecord", "articles_wireversion"):
                cursor.execute(RENAME_SQL.format(table=table), [old, new])


class Migration(migrations.Migration):
    dependencies = [("articles", "0034_lexicon_count_with_ts_stat")]

    operations = [migrations.RunPython(key_the_outlets, migrations.RunPython.noop)]
