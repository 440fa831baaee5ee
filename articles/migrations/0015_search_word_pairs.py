# Search (issue 15): the pair lexemes of quoted phrases (articles.search.index).
#
# Each story's vector now holds, for each two successive words, a lexeme
# naming the bucket the pair hashes to ('+' and three characters), so that a
# phrase of two common words is narrowed inside the GIN index. They are not
# words: the lexicon's triggers (migration 0011) leave them out, and counting
# them would cost the import an upsert of some 200,000 bucket rows a file.
# Every stored vector is rewritten with them, a thousand stories at a time:
# without them a stored story would never match a phrase.

from django.db import migrations

COUNTED = "SELECT lexeme FROM {rows}, unnest(tsvector_to_array({vector})) AS lexeme"
WORDS_ONLY = COUNTED + " WHERE left(lexeme, 1) <> '+'"

LEXICON_SQL = """
CREATE OR REPLACE FUNCTION articles_lexicon_on_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_searchlexeme (lexeme, stories)
    SELECT lexeme, count(*)::int FROM (
        {inserted}
        UNION ALL
        SELECT '' FROM new_rows
    ) AS added
    GROUP BY lexeme ORDER BY lexeme
    ON CONFLICT (lexeme) DO UPDATE
    SET stories = articles_searchlexeme.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_lexicon_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_searchlexeme (lexeme, stories)
    SELECT lexeme, -count(*)::int FROM (
        {deleted}
        UNION ALL
        SELECT '' FROM old_rows
    ) AS removed
    GROUP BY lexeme ORDER BY lexeme
    ON CONFLICT (lexeme) DO UPDATE
    SET stories = articles_searchlexeme.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_lexicon_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_searchlexeme (lexeme, stories)
    SELECT lexeme, sum(change)::int FROM (
        SELECT lexeme, 1 AS change
        FROM new_rows n JOIN old_rows o ON o.id = n.id,
             unnest(tsvector_to_array(n.search_vector)) AS lexeme
        WHERE n.search_vector IS DISTINCT FROM o.search_vector {words_only}
        UNION ALL
        SELECT lexeme, -1
        FROM new_rows n JOIN old_rows o ON o.id = n.id,
             unnest(tsvector_to_array(o.search_vector)) AS lexeme
        WHERE n.search_vector IS DISTINCT FROM o.search_vector {words_only}
    ) AS changed
    GROUP BY lexeme HAVING sum(change) <> 0 ORDER BY lexeme
    ON CONFLICT (lexeme) DO UPDATE
    SET stories = articles_searchlexeme.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;
"""


def lexicon_sql(words_only: bool) -> str:
    select = WORDS_ONLY if words_only else COUNTED
    return LEXICON_SQL.format(
        inserted=select.format(rows="new_rows", vector="search_vector"),
        deleted=select.format(rows="old_rows", vector="search_vector"),
        words_only="AND left(lexeme, 1) <> '+'" if words_only else "",
    )


def rewrite_vectors(apps, schema_editor):
    # The index's own code, as every write path calls it: the vector is built
    # in Python (articles.search.index), so SQL alone cannot add the pairs.
    from articles.search.index import refresh_search_vectors

    article = apps.get_model("articles", "Article")
    ids = list(article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        refresh_search_vectors(ids[start : start + 1000])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_search_lexicon_hot_updates"),
    ]

    operations = [
        migrations.RunSQL(lexicon_sql(True), reverse_sql=lexicon_sql(False)),
        migrations.RunPython(rewrite_vectors, migrations.RunPython.noop, elidable=True),
    ]
