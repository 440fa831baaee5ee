# Search and ingest (issues 15, 18): the backlog's count reads its stories'
# lexemes with ts_stat.
#
# The count (0031) unnested every lexeme of every story it took and grouped
# them: some 660 rows a story of 400 words, two thirds of the count's time
# (EXPLAIN ANALYZE of 1,500 stories of bench/ingest_bench.py --text long:
# 320 ms to unnest, 130 ms to group, 40 ms to upsert 3,071 lexemes).
# PostgreSQL's own ts_stat counts the stories holding each lexeme in C, and
# the pair lexemes ('+') are left out of its few thousand rows rather than of
# the unnested hundreds of thousands: the same counts in about a third of the
# time. The upsert is unchanged: in lexeme order, so counts never deadlock.

from django.db import migrations

FORWARD_SQL = """
CREATE OR REPLACE FUNCTION articles_lexicon_count_backlog() RETURNS integer
LANGUAGE plpgsql SET work_mem = '64MB' AS $$
DECLARE
    taken bigint[];
BEGIN
    WITH free AS (
        DELETE FROM articles_lexiconbacklog WHERE article_id IN (
            SELECT article_id FROM articles_lexiconbacklog FOR UPDATE SKIP LOCKED
        ) RETURNING article_id
    )
    SELECT array_agg(article_id) INTO taken FROM free;
    IF taken IS NULL THEN
        RETURN 0;
    END IF;
    INSERT INTO articles_searchlexeme (lexeme, stories)
    SELECT lexeme, stories FROM (
        SELECT word AS lexeme, ndoc AS stories FROM ts_stat(format(
            'SELECT search_vector FROM articles_article WHERE id = ANY(%L::bigint[])', taken
        ))
        WHERE left(word, 1) <> '+'
        UNION ALL
        SELECT '', count(*)::int FROM articles_article a WHERE a.id = ANY(taken)
    ) AS added
    WHERE stories > 0
    ORDER BY lexeme
    ON CONFLICT (lexeme) DO UPDATE
    SET stories = articles_searchlexeme.stories + EXCLUDED.stories;
    RETURN cardinality(taken);
END
$$;
"""

# The function as 0031 made it.
REVERSE_SQL = """
CREATE OR REPLACE FUNCTION articles_lexicon_count_backlog() RETURNS integer
LANGUAGE plpgsql SET work_mem = '64MB' AS $$
DECLARE
    taken bigint[];
BEGIN
    WITH free AS (
        DELETE FROM articles_lexiconbacklog WHERE article_id IN (
            SELECT article_id FROM articles_lexiconbacklog FOR UPDATE SKIP LOCKED
        ) RETURNING article_id
    )
    SELECT array_agg(article_id) INTO taken FROM free;
    IF taken IS NULL THEN
        RETURN 0;
    END IF;
    INSERT INTO articles_searchlexeme (lexeme, stories)
    SELECT lexeme, count(*)::int FROM (
        SELECT lexeme FROM articles_article a, unnest(tsvector_to_array(a.search_vector)) AS lexeme
        WHERE a.id = ANY(taken) AND left(lexeme, 1) <> '+'
        UNION ALL
        SELECT '' FROM articles_article a WHERE a.id = ANY(taken)
    ) AS added
    GROUP BY lexeme ORDER BY lexeme
    ON CONFLICT (lexeme) DO UPDATE
    SET stories = articles_searchlexeme.stories + EXCLUDED.stories;
    RETURN cardinality(taken);
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0033_lexicon_update_only_changed_vectors"),
    ]

    operations = [migrations.RunSQL(FORWARD_SQL, reverse_sql=REVERSE_SQL)]
