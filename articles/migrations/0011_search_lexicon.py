# Search (issue 15): how many stories hold each lexeme, kept by the database.
#
# A prefix such as وزا or الح begins thousands of words; asked as 'وزا':* the
# GIN index reads the postings of every one of them, at every query (300 ms
# to 1.4 s at 100,000 stories). articles.search.lexicon instead expands a
# prefix to its most frequent completions, as Elasticsearch's max_expansions
# does, and estimates a query's matches from exact counts rather than from
# ANALYZE's sample (which does not exist right after a bulk load). Both read
# this table: ts_stat over 100,000 vectors takes seconds, too slow per query.
#
# Triggers keep it, not Python, so that no write path can forget it: the
# importer's COPY and bulk updates, refresh_search_vectors, the admin, a
# migration. They are statement triggers over transition tables: a batch of
# 1,000 stories is one aggregated upsert, not 250,000 row updates. Upserts go
# in lexeme order, so two writers at once wait for each other and never
# deadlock. A count can reach 0 and stay: the readers ask for counts above 0.
# The empty lexeme counts the stories themselves (with a vector or not).

from django.db import migrations, models

LEXICON_SQL = """
CREATE FUNCTION articles_lexicon_on_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_searchlexeme (lexeme, stories)
    SELECT lexeme, count(*)::int FROM (
        SELECT unnest(tsvector_to_array(search_vector)) AS lexeme FROM new_rows
        UNION ALL
        SELECT '' FROM new_rows
    ) AS added
    GROUP BY lexeme ORDER BY lexeme
    ON CONFLICT (lexeme) DO UPDATE
    SET stories = articles_searchlexeme.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;

CREATE FUNCTION articles_lexicon_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_searchlexeme (lexeme, stories)
    SELECT lexeme, -count(*)::int FROM (
        SELECT unnest(tsvector_to_array(search_vector)) AS lexeme FROM old_rows
        UNION ALL
        SELECT '' FROM old_rows
    ) AS removed
    GROUP BY lexeme ORDER BY lexeme
    ON CONFLICT (lexeme) DO UPDATE
    SET stories = articles_searchlexeme.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;

CREATE FUNCTION articles_lexicon_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_searchlexeme (lexeme, stories)
    SELECT lexeme, sum(change)::int FROM (
        SELECT unnest(tsvector_to_array(n.search_vector)) AS lexeme, 1 AS change
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.search_vector IS DISTINCT FROM o.search_vector
        UNION ALL
        SELECT unnest(tsvector_to_array(o.search_vector)), -1
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.search_vector IS DISTINCT FROM o.search_vector
    ) AS changed
    GROUP BY lexeme HAVING sum(change) <> 0 ORDER BY lexeme
    ON CONFLICT (lexeme) DO UPDATE
    SET stories = articles_searchlexeme.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;

CREATE TRIGGER articles_lexicon_insert AFTER INSERT ON articles_article
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION articles_lexicon_on_insert();

CREATE TRIGGER articles_lexicon_delete AFTER DELETE ON articles_article
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION articles_lexicon_on_delete();

CREATE TRIGGER articles_lexicon_update AFTER UPDATE ON articles_article
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION articles_lexicon_on_update();

INSERT INTO articles_searchlexeme (lexeme, stories)
SELECT lexeme, count(*)::int FROM (
    SELECT unnest(tsvector_to_array(search_vector)) AS lexeme FROM articles_article
    UNION ALL
    SELECT '' FROM articles_article
) AS stored
GROUP BY lexeme;

CREATE INDEX articles_searchlexeme_prefix
ON articles_searchlexeme (lexeme text_pattern_ops) WHERE stories > 0;
"""

REVERSE_SQL = """
DROP TRIGGER articles_lexicon_update ON articles_article;
DROP TRIGGER articles_lexicon_delete ON articles_article;
DROP TRIGGER articles_lexicon_insert ON articles_article;
DROP FUNCTION articles_lexicon_on_update();
DROP FUNCTION articles_lexicon_on_delete();
DROP FUNCTION articles_lexicon_on_insert();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_wire_version"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchLexeme",
            fields=[
                ("lexeme", models.TextField(primary_key=True, serialize=False)),
                ("stories", models.IntegerField()),
            ],
            options={
                "verbose_name": "كلمة في الفهرس",
                "verbose_name_plural": "كلمات الفهرس",
            },
        ),
        migrations.RunSQL(LEXICON_SQL, reverse_sql=REVERSE_SQL),
    ]
