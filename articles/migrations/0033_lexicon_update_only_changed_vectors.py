# Search and grouping (issues 15, 18, 19): an update that leaves a story's
# vector as it was leaves the lexicon and its backlog alone.
#
# The update trigger (0031) took every updated story that was still waiting
# in the backlog out of it and counted its whole vector at once, whether the
# vector had changed or not. Grouping's merges update stories' group only,
# most of them an ingest worker's new stories still in the backlog, under
# grouping's lock: each merge counted its stories' vectors one statement at a
# time, some 1.5 ms a story, where the worker's periodic count takes 0.24 ms
# a story for a thousand at once (bench/ingest_bench.py: 379 merges of 748
# stories in 10,000, 0.22 ms of the database's time a story).
#
# Now only the stories whose vector changed are taken out of the backlog and
# counted; the others stay in it, and the next count reads their vector,
# which is what it would have counted. A story whose vector changed is still
# taken out by the trigger's own DELETE, which waits for a count holding its
# backlog row: the count's vector is then the old one, and the trigger adds
# the difference, as before.

from django.db import migrations

FORWARD_SQL = """
CREATE OR REPLACE FUNCTION articles_lexicon_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    WITH edited AS (
        SELECT n.id, n.search_vector AS new_vector, o.search_vector AS old_vector
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.search_vector IS DISTINCT FROM o.search_vector
    ), never_counted AS (
        DELETE FROM articles_lexiconbacklog b USING edited e
        WHERE b.article_id = e.id RETURNING b.article_id
    ), changed AS (
        -- A story from the backlog: its new vector, whole, and the story itself.
        SELECT lexeme, 1 AS change
        FROM edited e, unnest(tsvector_to_array(e.new_vector)) AS lexeme
        WHERE e.id IN (SELECT article_id FROM never_counted) AND left(lexeme, 1) <> '+'
        UNION ALL
        SELECT '', 1 FROM edited e WHERE e.id IN (SELECT article_id FROM never_counted)
        UNION ALL
        -- A story counted before: what its vector gained and lost.
        SELECT lexeme, 1
        FROM edited e, unnest(tsvector_to_array(e.new_vector)) AS lexeme
        WHERE e.id NOT IN (SELECT article_id FROM never_counted) AND left(lexeme, 1) <> '+'
        UNION ALL
        SELECT lexeme, -1
        FROM edited e, unnest(tsvector_to_array(e.old_vector)) AS lexeme
        WHERE e.id NOT IN (SELECT article_id FROM never_counted) AND left(lexeme, 1) <> '+'
    )
    INSERT INTO articles_searchlexeme (lexeme, stories)
    SELECT lexeme, sum(change)::int FROM changed
    GROUP BY lexeme HAVING sum(change) <> 0 ORDER BY lexeme
    ON CONFLICT (lexeme) DO UPDATE
    SET stories = articles_searchlexeme.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;
"""

# The function as 0031 left it.
REVERSE_SQL = """
CREATE OR REPLACE FUNCTION articles_lexicon_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    WITH never_counted AS (
        DELETE FROM articles_lexiconbacklog b USING new_rows n
        WHERE b.article_id = n.id RETURNING b.article_id
    ), changed AS (
        SELECT lexeme, 1 AS change
        FROM new_rows n, unnest(tsvector_to_array(n.search_vector)) AS lexeme
        WHERE n.id IN (SELECT article_id FROM never_counted) AND left(lexeme, 1) <> '+'
        UNION ALL
        SELECT '', 1 FROM new_rows n WHERE n.id IN (SELECT article_id FROM never_counted)
        UNION ALL
        SELECT lexeme, 1
        FROM new_rows n JOIN old_rows o ON o.id = n.id,
             unnest(tsvector_to_array(n.search_vector)) AS lexeme
        WHERE n.search_vector IS DISTINCT FROM o.search_vector AND left(lexeme, 1) <> '+'
          AND n.id NOT IN (SELECT article_id FROM never_counted)
        UNION ALL
        SELECT lexeme, -1
        FROM new_rows n JOIN old_rows o ON o.id = n.id,
             unnest(tsvector_to_array(o.search_vector)) AS lexeme
        WHERE n.search_vector IS DISTINCT FROM o.search_vector AND left(lexeme, 1) <> '+'
          AND n.id NOT IN (SELECT article_id FROM never_counted)
    )
    INSERT INTO articles_searchlexeme (lexeme, stories)
    SELECT lexeme, sum(change)::int FROM changed
    GROUP BY lexeme HAVING sum(change) <> 0 ORDER BY lexeme
    ON CONFLICT (lexeme) DO UPDATE
    SET stories = articles_searchlexeme.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0032_grouping_log"),
    ]

    operations = [migrations.RunSQL(FORWARD_SQL, reverse_sql=REVERSE_SQL)]
