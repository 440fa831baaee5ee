# Search (issue 5): store the search vector uncompressed.
#
# Ranking a result, or testing a story against a query outside the GIN index,
# reads the story's vector back from TOAST. Vectors are a few KB and compress
# poorly (to about three quarters), so with the default EXTENDED storage most
# of that read went into decompressing them. Measured on PostgreSQL 15 with
# 10,000 vectors of bench/search_bench.py's stories: reading them took 140 ms
# compressed (pglz) against 40 ms uncompressed, and writing them 1.4 s against
# 0.46 s, for a third more space. Django has no field option for the storage
# mode, hence the SQL. Only values written afterwards are affected;
# refresh_search_vectors rewrites older ones.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_editor_roles"),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE EXTERNAL",
            reverse_sql="ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE EXTENDED",
        ),
    ]
