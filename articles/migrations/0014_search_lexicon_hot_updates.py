# Search (issue 15): the lexicon's counts updated in place.
#
# Each import batch updates the count of every lexeme its stories hold (tens
# of thousands of rows for 500 stories). Indexed by its lexeme alone, with
# free room on each page (fillfactor 50), a count's new version can stay on
# its page without touching any index (a HOT update), and the old versions
# are pruned as pages are read. 0011's partial index on the lexeme, whose
# predicate named the count, made every update a new entry in all three
# indexes: at 100,000 stories imported the table held 6.6 million dead rows
# in 192 MB and each batch's insert took over half a second. Django's own
# text_pattern_ops index of the primary key serves the prefix look-ups.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_search_vector_default_statistics"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP INDEX articles_searchlexeme_prefix;"
            "ALTER TABLE articles_searchlexeme SET (fillfactor = 50);",
            reverse_sql="ALTER TABLE articles_searchlexeme RESET (fillfactor);"
            "CREATE INDEX articles_searchlexeme_prefix "
            "ON articles_searchlexeme (lexeme text_pattern_ops) WHERE stories > 0;",
        ),
    ]
